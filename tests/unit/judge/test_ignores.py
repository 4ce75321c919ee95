"""Ignore rules: reading them, matching paths, applying them after the comparison, stale rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError, ExitCode
from faasdrift.judge.ignores import apply_ignores, matches, unmatched_rules
from faasdrift.judge.verdict import Judging
from faasdrift.live.fetch import FetchMode
from faasdrift.model import (
    Change,
    ChangeKind,
    DesiredFunction,
    DesiredState,
    DriftResult,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    IgnoreRule,
    Position,
)
from faasdrift.workflows.check import run_check
from tests.unit.workflows.test_check import FakeSource, found

TODAY = date(2026, 6, 1)
HEAD = "version: 1\ndefaults: {project_id: 1, region_id: 1, namespace: ns}\n"


def rule(path: str, until: date | None = None) -> IgnoreRule:
    return IgnoreRule(path, "why", "d.yaml", Position(1, 1), until)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("envs.BUILD_ID", "envs.BUILD_ID", True),
        ("envs.*_AT", "envs.DEPLOYED_AT", True),
        ("envs.*_AT", "envs.DEPLOYED_ATX", False),
        ("envs", "envs.ANYTHING", True),  # a rule covers everything under its path
        ("envs.BUILD_ID", "envs", False),  # a whole-envs change is bigger than the rule
        ("envs.*", "envs.A", True),
        ("*", "timeout", True),
        ("envs.build_id", "envs.BUILD_ID", False),  # case-sensitive, as env names are
        ("autoscaling.*", "autoscaling.max_instances", True),
        ("timeout", "timeouts", False),  # segments, not prefixes of text
    ],
)
def test_a_pattern_matches_segment_by_segment(pattern: str, path: str, expected: bool) -> None:
    assert matches(rule(pattern), path) is expected


def load(tmp_path: Path, body: str) -> DesiredState:
    file = tmp_path / "d.yaml"
    file.write_text(HEAD + body, encoding="utf-8")
    return load_desired(file, display_name="d.yaml")


def test_rules_are_read_at_the_top_and_per_function_with_dates(tmp_path: Path) -> None:
    state = load(
        tmp_path,
        "ignore:\n- {path: envs.*_AT, reason: stamped}\n"
        "functions:\n- name: fa\n  ignore:\n  - {path: timeout, reason: tuned, until: 2027-01-31}\n"
        "- name: fb\n",
    )

    a, b = state.functions
    assert [(r.path, r.until) for r in a.ignore] == [
        ("timeout", date(2027, 1, 31)),
        ("envs.*_AT", None),
    ]
    assert [r.path for r in b.ignore] == ["envs.*_AT"]
    assert a.ignore[0].position == Position(8, 5)
    assert state.ignore == (a.ignore[1],)


def test_a_quoted_date_is_read_and_a_bad_one_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(DesiredFileError) as caught:
        load(
            tmp_path,
            "functions:\n- name: fa\n  ignore:\n"
            "  - {path: timeout, reason: x, until: '2027-01-31'}\n"
            "  - {path: timeout, reason: x, until: '31/01/2027'}\n"
            "  - {path: timeout, reason: x, until: 2027-01-31 10:00:00}\n",
        )
    messages = [str(problem) for problem in caught.value.problems]
    assert messages == [
        "d.yaml:7:39: functions[0].ignore[1].until: expected a date written YYYY-MM-DD, "
        "e.g. 2027-01-31",
        "d.yaml:8:39: functions[0].ignore[2].until: expected a date written YYYY-MM-DD, "
        "e.g. 2027-01-31",
    ]


def drifted(*paths: str) -> FunctionResult:
    changes = tuple(Change(p, ChangeKind.CHANGED, 1, 2, Position(1, 1)) for p in paths)
    return FunctionResult(
        FunctionId(1, 1, "ns", "fa"), FunctionStatus.DRIFTED, Position(1, 1), changes
    )


def state_with(*rules: IgnoreRule) -> DesiredState:
    function = DesiredFunction(FunctionId(1, 1, "ns", "fa"), {}, Position(1, 1), ignore=rules)
    return DesiredState("d.yaml", (function,))


def test_applying_moves_matching_changes_and_keeps_the_rest() -> None:
    result = DriftResult("d.yaml", (drifted("timeout", "envs.BUILD_ID"),))
    first, second = rule("envs.*"), rule("envs.BUILD_ID")

    judged = apply_ignores(result, state_with(first, second), TODAY).functions[0]

    assert judged.status is FunctionStatus.DRIFTED
    assert [c.path for c in judged.changes] == ["timeout"]
    assert [(i.change.path, i.rule) for i in judged.ignored] == [("envs.BUILD_ID", first)]


def test_a_function_whose_every_change_is_ignored_is_in_sync() -> None:
    result = DriftResult("d.yaml", (drifted("envs.BUILD_ID"),))

    judged = apply_ignores(result, state_with(rule("envs")), TODAY).functions[0]

    assert judged.status is FunctionStatus.IN_SYNC
    assert judged.changes == ()


def test_an_expired_rule_ignores_nothing_and_the_last_day_still_counts() -> None:
    result = DriftResult("d.yaml", (drifted("timeout"),))
    last_day = rule("timeout", until=TODAY)
    expired = rule("timeout", until=date(2026, 5, 31))

    assert apply_ignores(result, state_with(last_day), TODAY).functions[0].ignored
    assert not apply_ignores(result, state_with(expired), TODAY).functions[0].ignored


def test_a_rule_is_stale_only_when_its_functions_were_compared() -> None:
    unused = rule("flavor")
    compared = DriftResult("d.yaml", (drifted("timeout"),))
    unchecked = DriftResult(
        "d.yaml",
        (FunctionResult(FunctionId(1, 1, "ns", "fa"), FunctionStatus.NOT_CHECKED, Position(1, 1)),),
    )

    assert unmatched_rules(compared, state_with(unused), TODAY) == [unused]
    assert unmatched_rules(unchecked, state_with(unused), TODAY) == []


def test_rules_never_change_what_is_fetched(tmp_path: Path) -> None:
    body = "functions:\n- name: fa\n  timeout: 5\n  ignore:\n  - {path: timeout, reason: x}\n"
    state = load(tmp_path, body)
    source = FakeSource({"fa": found("fa", timeout=9)})

    judging = Judging(today=TODAY)
    run = run_check(state, source, fetch_mode=FetchMode.PER_FUNCTION, judging=judging)

    assert source.asked == [("fa", ("timeout",))]
    assert run.exit_code == ExitCode.IN_SYNC
    assert run.result.ignored_count == 1


def test_strict_ignores_fails_a_run_whose_rule_matched_nothing(tmp_path: Path) -> None:
    body = "functions:\n- name: fa\n  timeout: 5\n  ignore:\n  - {path: flavor, reason: x}\n"
    state = load(tmp_path, body)
    judging = Judging(today=TODAY, strict_ignores=True)

    source = FakeSource({"fa": found("fa", timeout=9)})
    run = run_check(state, source, fetch_mode=FetchMode.PER_FUNCTION, judging=judging)

    assert run.exit_code == ExitCode.USAGE  # wins over the drift of timeout
    assert run.result.count(FunctionStatus.DRIFTED) == 1
    assert any("'flavor' matched no difference" in warning for warning in run.warnings)
