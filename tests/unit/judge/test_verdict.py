"""--fail-on: which outcomes make the exit code non-zero."""

from __future__ import annotations

import pytest

from faasdrift.errors import ExitCode
from faasdrift.judge.fail_on import FAIL_ON_ALL, parse_fail_on
from faasdrift.judge.verdict import Judged, Judging, exit_code
from faasdrift.model import (
    FunctionStatus,
)
from tests.unit.report.cases import CASES

DRIFTED, MISSING, NOT_CHECKED = (
    FunctionStatus.DRIFTED,
    FunctionStatus.MISSING,
    FunctionStatus.NOT_CHECKED,
)


def test_parse_fail_on() -> None:
    assert parse_fail_on("drift,missing,not_checked") == FAIL_ON_ALL
    assert parse_fail_on(" drift , missing") == {DRIFTED, MISSING}
    assert parse_fail_on("none") == frozenset()
    with pytest.raises(ValueError, match="unknown outcome 'drifted': use a comma list of drift, "):
        parse_fail_on("drifted")
    with pytest.raises(ValueError, match="unknown outcome 'none'"):
        parse_fail_on("drift,none")


@pytest.mark.parametrize(
    ("case", "fail_on", "code"),
    [
        ("not_checked", FAIL_ON_ALL, ExitCode.INCOMPLETE),  # 3 wins over 1
        ("not_checked", {DRIFTED}, ExitCode.DRIFT),
        ("not_checked", {NOT_CHECKED}, ExitCode.INCOMPLETE),
        ("not_checked", {MISSING}, ExitCode.IN_SYNC),
        ("missing", {DRIFTED}, ExitCode.IN_SYNC),
        ("missing", {MISSING}, ExitCode.DRIFT),
        ("every_kind", set(), ExitCode.IN_SYNC),
        ("in_sync", FAIL_ON_ALL, ExitCode.IN_SYNC),
    ],
)
def test_only_the_named_outcomes_fail(case: str, fail_on: set[FunctionStatus], code: int) -> None:
    assert exit_code(Judged(CASES[case].result), Judging(fail_on=frozenset(fail_on))) == code


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [(FAIL_ON_ALL, ExitCode.INCOMPLETE), ({NOT_CHECKED}, ExitCode.INCOMPLETE), ({DRIFTED}, 0)],
)
def test_a_run_whose_deadline_passed_is_incomplete_when_not_checked_fails_it(
    fail_on: set[FunctionStatus], code: int
) -> None:
    # Every declared function was fetched; only an --unmanaged list was cut short.
    judged = Judged(CASES["in_sync"].result, deadline_passed=True)
    assert exit_code(judged, Judging(fail_on=frozenset(fail_on))) == code
    assert exit_code(Judged(CASES["in_sync"].result), Judging()) == ExitCode.IN_SYNC
