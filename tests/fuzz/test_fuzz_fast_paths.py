"""Property: the fast paths of issue 12 change no result, no message, no position.

Each fast path keeps its exact twin, the code that ran before it: the one-pass YAML reader and the
exact reader (limits, compose, build), the compiled validator and jsonschema alone. Over the fuzz
corpus of hostile desired files both must give the same data, the same problems word for word,
the same positions for every node, and the same schema problems.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any
from unittest import mock

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from faasdrift.desired import interpolate as interpolation
from faasdrift.desired.interpolate import interpolate
from faasdrift.desired.schema import schema_problems
from faasdrift.desired.validators import schema_errors
from faasdrift.desired.yaml_reader import parse_yaml
from faasdrift.errors import DesiredFileError
from faasdrift.live.answers import Answer, one_line, plain_json_object
from faasdrift.live.body import json_shape_problem
from faasdrift.live.fields import (
    check_compared_fields,
    compared_fields_validator,
    describe_field_error,
)
from faasdrift.model import COMPARED_FIELDS
from faasdrift.schemas import inlined_schema, is_plain
from tests.fuzz.conftest import FUZZ
from tests.fuzz.strategies import almost_valid_documents, desired_files, dumped

SOURCE = "desired.yaml"


def read(text: str, *, one_pass: bool) -> tuple[Any, ...]:
    """Everything a reader's result says: data (by repr, so 1, True and 1.0 differ and NaN
    equals itself), every node's positions and text, the problems as printed, ``plain``."""
    try:
        document = parse_yaml(text, source=SOURCE, one_pass=one_pass)
    except DesiredFileError as error:
        return ("refused", [str(problem) for problem in error.problems])
    problems = [str(problem) for problem in document.problems]
    return ("read", repr(document.data), document.root, problems, document.plain)


@FUZZ
@given(data=desired_files())
def test_the_one_pass_reader_reads_every_file_as_the_exact_reader(data: bytes) -> None:
    text = data.decode("utf-8-sig", errors="replace")
    fast, exact = read(text, one_pass=True), read(text, one_pass=False)
    event(str(exact[0]))
    assert fast == exact


@FUZZ
@given(data=desired_files())
def test_plain_is_what_the_data_holds(data: bytes) -> None:
    """The reader's ``plain`` (which lets the compiled validator answer) is ``is_plain``'s."""
    try:
        document = parse_yaml(data.decode("utf-8-sig", errors="replace"), source=SOURCE)
    except DesiredFileError:
        return
    assert document.plain == is_plain(document.data)


@FUZZ
@given(text=dumped(almost_valid_documents()))
def test_the_compiled_validator_changes_no_schema_problem(text: str) -> None:
    try:
        document = parse_yaml(text, source=SOURCE)
    except DesiredFileError:
        return
    fast = schema_problems(document, source=SOURCE)
    exact = schema_problems(document, source=SOURCE, compiled=False)
    event("valid" if not exact else "invalid")
    assert [str(problem) for problem in fast] == [str(problem) for problem in exact]


# What the compiled validator reads differently from jsonschema, each where a field wants it.
UNLIKE = [
    "timeout: 5.0",  # jsonschema-rs counts 5.0 as an integer; faasdrift's schema does not
    "timeout: 9007199254740993",  # beyond 2**53, where a compiled validator may round
    "timeout: -9007199254740993",
    "timeout: true",
    "description: 2024-01-01",  # a YAML date: jsonschema-rs cannot read it at all
    "description: 2024-01-01 10:00:00",
    "timeout: .nan",
    "timeout: 1e400",
    "envs: {A: 1.5}",
    "envs: {A: 2024-01-01}",
    "autoscaling: {min_instances: 1.0, max_instances: 2}",
    "name: fn-ok\n    flavor: 80mCPU-128MB\n    timeout: 5",
]


@pytest.mark.parametrize("field", UNLIKE)
def test_the_compiled_validator_defers_to_jsonschema_where_they_read_data_differently(
    field: str,
) -> None:
    text = f"functions:\n  - name: fn-a\n    namespace: ns\n    {field}\n"
    document = parse_yaml(text, source=SOURCE)
    assert document.plain == is_plain(document.data)
    fast = schema_errors(document.data, plain=document.plain)
    exact = schema_errors(document.data, plain=document.plain, compiled=False)
    assert [_error(error) for error in fast] == [_error(error) for error in exact]
    fast_problems = schema_problems(document, source=SOURCE)
    assert fast_problems == schema_problems(document, source=SOURCE, compiled=False)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
EDGE = st.sampled_from([5.0, 2**53, 2**63, -(2**53), True, 0, 1, "", "a" * 27, "ab", "z\n"])


@FUZZ
@given(item=st.dictionaries(st.sampled_from(sorted(COMPARED_FIELDS)), JSON | EDGE, max_size=6))
def test_a_list_item_is_judged_as_jsonschema_judges_it(item: dict[str, Any]) -> None:
    validator = compared_fields_validator()
    fast = [error.message for error in validator.iter_errors(item)]
    exact = [error.message for error in validator.exact.iter_errors(item)]
    assert fast == exact


def _error(error: Any) -> tuple[Any, ...]:
    return (list(error.absolute_path), error.validator, list(error.relative_schema_path))


@FUZZ
@given(data=desired_files())
def test_a_document_without_references_interpolates_as_the_full_walk_does(data: bytes) -> None:
    """The reader's ``references`` (which lets ``interpolate`` skip its walk) is False only
    where the walk would expand, refuse and record nothing."""
    try:
        document = parse_yaml(data.decode("utf-8-sig", errors="replace"), source=SOURCE)
    except DesiredFileError:
        return
    event(f"references: {document.references}")
    environ = {"HOME": "/home/x", "TOKEN": "t0k3n"}
    walked = interpolate(dataclasses.replace(document, references=True), environ, source=SOURCE)
    assert interpolate(document, environ, source=SOURCE) == walked or document.references
    assert document.references or (walked.data is document.data and not walked.problems)


@FUZZ
@given(data=desired_files())
def test_interpolation_skipping_settled_values_finds_what_the_full_walk_finds(data: bytes) -> None:
    """The walk passes over scalars and strings without a ``${`` (``_settled``) without a look;
    walking into every value instead gives the same data, paths, problems and placeholders."""
    try:
        document = parse_yaml(data.decode("utf-8-sig", errors="replace"), source=SOURCE)
    except DesiredFileError:
        return
    document = dataclasses.replace(document, references=True)
    environ = {"HOME": "/home/x", "TOKEN": "t0k3n", "FUZZ_VAR": "v"}
    for placeholders in (False, True):
        fast = interpolate(document, environ, source=SOURCE, unset_as_placeholder=placeholders)
        with mock.patch.object(interpolation, "_settled", return_value=False):
            full = interpolate(document, environ, source=SOURCE, unset_as_placeholder=placeholders)
        event(f"paths: {bool(full.paths)}, problems: {bool(full.problems)}")
        assert repr(fast) == repr(full)


# The JSON value count before parsing (live.body): the separators outside strings, counted by
# emptying the strings with one linear expression, against the walk that ran before it, string by
# string. The walk's expression backtracked exponentially on an unterminated string
# (``(?:[^"\\]+|\\.)*``); its twin here is the unrolled one, which finds the same strings.
_WALKED_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_OLD_STRING = re.compile(rb'"(?:[^"\\]+|\\.)*"', re.DOTALL)


def _walked_shape_problem(content: bytes, *, max_values: int) -> str | None:
    def separators(start: int, end: int) -> int:
        return sum(content.count(mark, start, end) for mark in (b",", b":", b"[", b"{"))

    if not content[:64].lstrip().startswith((b"{", b"[")):
        return None
    too_many = f"invalid response: more than {max_values:,} JSON values, refused"
    total = separators(0, len(content))
    if total + 1 <= max_values:
        return None
    if (content.count(b'"') - content.count(b'\\"')) // 2 > max_values:
        return too_many
    inside = 0
    for count, match in enumerate(_WALKED_STRING.finditer(content), start=1):
        if count > max_values:
            return too_many
        inside += separators(match.start(), match.end())
    return too_many if total - inside + 1 > max_values else None


BODY_BYTES = st.text(alphabet='"\\,:[{}] a1\n', max_size=80).map(str.encode)
JSON_BODIES = JSON.map(lambda value: json.dumps(value).encode())


@FUZZ
@given(
    body=st.tuples(st.sampled_from([b"[", b"{", b" [", b"x"]), BODY_BYTES | JSON_BODIES),
    max_values=st.integers(0, 30),
)
def test_json_values_are_counted_as_the_walk_counted_them(
    body: tuple[bytes, bytes], max_values: int
) -> None:
    content = b"".join(body)
    fast = json_shape_problem(content, max_values=max_values)
    assert fast == _walked_shape_problem(content, max_values=max_values)
    event("refused" if fast else "passed")


@FUZZ
@given(text=st.text(alphabet='"\\a,\n', max_size=14).map(str.encode))
def test_the_unrolled_string_expression_finds_the_strings_the_old_one_found(text: bytes) -> None:
    found = [match.span() for match in _WALKED_STRING.finditer(text)]
    assert found == [match.span() for match in _OLD_STRING.finditer(text)]


# A JSON answer's ``plain`` (live.answers), told by the parse, and the list item check that
# trusts it (live.fields): against json.loads alone and the walk of ``is_plain``.
NUMBERS = st.sampled_from(
    ["0", "-0", "5.0", "1e5", "1E400", "-1.5e-3", "NaN", "-Infinity", "Infinity"]
) | st.sampled_from(["9007199254740991", "9007199254740993", "123456789012345", "-123456789012345"])
LEAF_TEXTS = NUMBERS | JSON.map(json.dumps)
OBJECT_TEXTS = st.lists(st.tuples(st.sampled_from(["name", "a", "b"]), LEAF_TEXTS), max_size=4).map(
    lambda pairs: "{" + ", ".join(f'"{key}": {value}' for key, value in pairs) + "}"
)
ANSWER_TEXTS = (
    OBJECT_TEXTS
    | st.lists(OBJECT_TEXTS, max_size=3).map(lambda items: f'{{"results": [{", ".join(items)}]}}')
    | JSON.map(json.dumps)
)


def _loaded_alone(content: bytes) -> Any:
    """What ``json_object`` gave before it told ``plain``: json.loads with a duplicate check."""

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if len(dict(pairs)) != len(pairs):
            keys = [key for key, _ in pairs]
            raise KeyError(next(key for key in keys if keys.count(key) > 1))
        return dict(pairs)

    try:
        body = json.loads(content, object_pairs_hook=unique)
    except KeyError as error:
        key = one_line(error.args[0], 60)
        return f"invalid response: a JSON object holds the key {key!r} twice"
    except (ValueError, RecursionError):
        return "invalid response: body is not JSON (HTTP 200)"
    if not isinstance(body, dict):
        kind = type(body).__name__ if body is not None else "null"
        return f"invalid response: expected a JSON object, got {kind}"
    return body


@FUZZ
@given(text=ANSWER_TEXTS)
def test_an_answer_parses_as_before_and_is_plain_only_where_the_walk_says_so(text: str) -> None:
    parsed = plain_json_object(Answer(200, content=text.encode()))
    alone = _loaded_alone(text.encode())
    if isinstance(parsed, str):
        assert parsed == alone
        return
    body, plain = parsed
    assert repr(body) == repr(alone)  # 1, 1.0 and True differ; NaN equals itself
    event(f"plain: {plain}, walked: {is_plain(body)}")
    assert not plain or is_plain(body)  # it may only be more careful than the walk


def _checked_before(item: dict[str, Any], fields: list[str], absent_means_null: bool) -> Any:
    """``check_compared_fields`` before its fast paths: every field looked up, jsonschema alone."""
    properties = inlined_schema("function.schema.json")["properties"]
    for name in fields:
        nullable = "null" in properties.get(name, {}).get("type", ())
        if name not in item and not (absent_means_null and nullable):
            return f"response has no '{name}' field"
    subset = {name: item[name] for name in fields if name in item}
    error = next(compared_fields_validator().exact.iter_errors(subset), None)
    return f"invalid response: {describe_field_error(error)}" if error is not None else None


@FUZZ
@given(
    item=st.dictionaries(st.sampled_from(sorted(COMPARED_FIELDS)), JSON | EDGE, max_size=6),
    fields=st.lists(st.sampled_from(sorted(COMPARED_FIELDS)), unique=True, max_size=6),
    absent_means_null=st.booleans(),
)
def test_a_list_item_is_checked_as_before_whatever_the_caller_knows(
    item: dict[str, Any], fields: list[str], absent_means_null: bool
) -> None:
    before = _checked_before(item, fields, absent_means_null)
    walked = check_compared_fields(item, fields, absent_means_null=absent_means_null)
    assert walked == before
    if is_plain(item):  # what a plain page's parse tells the caller
        trusted = check_compared_fields(
            item, fields, absent_means_null=absent_means_null, plain=True
        )
        assert trusted == before
    event("refused" if before else "comparable")
