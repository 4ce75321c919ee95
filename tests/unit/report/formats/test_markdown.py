"""Markdown: a table and collapsible changes, with user data unable to break out of either."""

from __future__ import annotations

import itertools

import pytest

from faasdrift.errors import ExitCode
from faasdrift.model import (
    ChangeKind,
    CheckRun,
    FunctionResult,
    FunctionStatus,
    Position,
)
from faasdrift.report.formats import ReportOptions, build_reporter
from tests.unit.report.cases import CASES, change, drifted, identity, result


def render(drift: CheckRun, *, verbose: bool = False) -> str:
    return build_reporter("markdown", ReportOptions(verbose=verbose)).render(drift)


def test_in_sync_is_a_headline_and_no_table() -> None:
    assert render(CASES["in_sync"]) == (
        "## faasdrift: in sync\n\n2 functions: 2 in sync, 0 drifted, 0 missing, 0 not checked.\n"
    )


def test_verbose_lists_in_sync_functions_in_the_table() -> None:
    assert "| `prod-api/hello` | 1 | 1 | in sync | `deploy/desired.yaml:6` |" in render(
        CASES["in_sync"], verbose=True
    )


def test_a_reason_cannot_break_the_table_or_inject_html() -> None:
    reason = "bad | gateway <script>\nsecond line"
    unchecked = FunctionResult(
        identity("x"), FunctionStatus.NOT_CHECKED, Position(1, 1), reason=reason
    )
    text = render(result(ExitCode.INCOMPLETE, unchecked))
    assert "not checked: bad \\| gateway &lt;script&gt;\\nsecond line |" in text
    assert "<script>" not in text


def test_code_with_backticks_cannot_close_the_fence() -> None:
    code = change("code_text", ChangeKind.CHANGED, "a\n````\nb\n", "a\nb\n", 3)
    text = render(result(ExitCode.DRIFT, drifted("hello", 1, code)))
    assert "`````diff\n" in text
    assert "\n`````\n" in text


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_table_separator_has_one_cell_per_header_cell(case: str) -> None:
    lines = build_reporter("markdown", ReportOptions()).render(CASES[case]).splitlines()
    for header, separator in itertools.pairwise(lines):
        if header.startswith("| ") and separator.startswith("|---"):
            assert separator == "|" + "---|" * (header.count("|") - 1), (header, separator)
