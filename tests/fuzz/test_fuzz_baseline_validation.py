"""Property: reading a ``--baseline`` through the compiled validator changes no verdict and no
message. Over reports with one value replaced anywhere by any JSON value, the compiled validator
finds valid exactly what jsonschema finds valid (when the data is plain, ``schemas.is_plain``),
and a refused report is refused with jsonschema's own first error, word for word.
"""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import patch

from hypothesis import event, given
from hypothesis import strategies as st

from faasdrift.report import baseline_file
from faasdrift.report.baseline_file import BaselineError, parse_baseline
from faasdrift.report.formats import ReportOptions, build_reporter
from faasdrift.schemas import is_plain
from tests.fuzz.conftest import FUZZ
from tests.unit.report.cases import CASES

REPORT = json.loads(build_reporter("json", ReportOptions()).render(CASES["every_kind"]))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


def leaf_paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if not isinstance(data, dict | list):
        return [path]
    children: Any = data.items() if isinstance(data, dict) else enumerate(data)
    found = [path]
    for key, value in children:
        found += leaf_paths(value, (*path, key))
    return found


PATHS = leaf_paths(REPORT)[1:]  # every value but the whole document
EXACT = baseline_file._validator().exact


def replaced(path: tuple[Any, ...], value: Any) -> Any:
    document = json.loads(json.dumps(REPORT))
    holder = document
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
    return document


class _ExactOnly:
    """The baseline's validator as it was before the compiled one: jsonschema alone."""

    def iter_errors(self, document: Any) -> Any:
        return EXACT.iter_errors(document)


def refusal(document: Any) -> str | None:
    try:
        parse_baseline(document, path="r.json")
    except BaselineError as error:
        return str(error)
    return None


@FUZZ
@given(st.sampled_from(PATHS), json_values)
def test_the_compiled_validator_changes_no_verdict_and_no_message(
    path: tuple[Any, ...], value: Any
) -> None:
    document = replaced(path, value)
    exact_valid = not list(EXACT.iter_errors(document))
    event("valid" if exact_valid else "invalid")
    fast_valid = baseline_file._validator().is_valid(document)
    assert fast_valid == (exact_valid and is_plain(document))
    with patch.object(baseline_file, "_validator", _ExactOnly):
        expected = refusal(document)
    assert refusal(document) == expected
