"""Judging a gate: the scope over both states, what is fetched, the order, the warnings, and the
exit code (``judge.verdict.gate_exit_code``, the one place it is decided)."""

from __future__ import annotations

from datetime import date

import pytest

from faasdrift.errors import ExitCode
from faasdrift.judge.fail_on import parse_gate_fail_on
from faasdrift.judge.gate import GateJudging, before_gate, judge_gate
from faasdrift.judge.scope import Scope, ScopeError
from faasdrift.judge.verdict import gate_exit_code
from faasdrift.model import (
    FAILING,
    DesiredFunction,
    DesiredState,
    FunctionId,
    GateChange,
    GateClass,
    GateFunction,
    GateResult,
    IgnoreRule,
    LiveResult,
    LiveStatus,
    Position,
)

HERE = Position(1, 1)


def function(
    name: str, namespace: str = "prod-api", source: str = "new.yaml", **fields: object
) -> DesiredFunction:
    return DesiredFunction(FunctionId(1, 1, namespace, name), fields, HERE, source=source)


def state(source: str, *functions: DesiredFunction, **kwargs: object) -> DesiredState:
    return DesiredState(source, functions, **kwargs)  # type: ignore[arg-type]


def live(name: str, namespace: str = "prod-api", **data: object) -> LiveResult:
    return LiveResult(FunctionId(1, 1, namespace, name), LiveStatus.FOUND, data=data)


BASE = state("base.yaml", function("a", timeout=5), function("old", timeout=5))
NEW = state("new.yaml", function("b", flavor="x"), function("a", flavor="x"))


def test_each_function_is_fetched_once_for_the_fields_of_both_states() -> None:
    prepared = before_gate(BASE, NEW, GateJudging())
    fetched = [(f.identity.name, sorted(f.fields)) for f in prepared.fetch.functions]
    assert fetched == [("b", ["flavor"]), ("a", ["flavor", "timeout"]), ("old", ["timeout"])]


def test_the_scope_selects_from_both_states() -> None:
    prepared = before_gate(BASE, NEW, GateJudging(scope=Scope(only=("prod-api/old",))))
    assert [f.identity.name for f in prepared.fetch.functions] == ["old"]
    assert [f.identity.name for f in prepared.base.functions] == ["old"]
    assert prepared.new.functions == ()
    excluded = before_gate(BASE, NEW, GateJudging(scope=Scope(exclude=("*/a",))))
    assert [f.identity.name for f in excluded.fetch.functions] == ["b", "old"]


def test_a_scope_that_selects_nothing_is_a_usage_error() -> None:
    with pytest.raises(ScopeError, match="--only 'prod-api/olt' selects no declared function"):
        before_gate(BASE, NEW, GateJudging(scope=Scope(only=("prod-api/olt",))))
    with pytest.raises(ScopeError, match="leaves nothing to check"):
        before_gate(BASE, NEW, GateJudging(scope=Scope(exclude=("prod-api/*",))))


def test_only_the_new_files_expired_rules_are_warned_about() -> None:
    rule = IgnoreRule("timeout", "r", "new.yaml", Position(2, 3), until=date(2026, 1, 1))
    old_rule = IgnoreRule("timeout", "r", "base.yaml", Position(2, 3), until=date(2026, 1, 1))
    new = state("new.yaml", function("a", timeout=5), ignore=(rule,))
    base = state("base.yaml", function("a", timeout=5), ignore=(old_rule,))
    prepared = before_gate(base, new, GateJudging(today=date(2026, 2, 1)))
    assert prepared.warnings == (
        "new.yaml:2:3: ignore rule 'timeout' expired on 2026-01-01; it no longer applies",
    )


def test_a_function_moved_to_another_namespace_is_a_delete_and_a_create_and_said_so() -> None:
    base = state("base.yaml", function("hello", "prod-api", timeout=5))
    new = state("new.yaml", function("hello", "prod-api2", timeout=5))
    prepared = before_gate(base, new, GateJudging())
    assert prepared.warnings == (
        "prod-api2/hello (project 1, region 1) is new, and prod-api/hello (project 1, region 1) "
        "is no longer declared: the deploy would create one and delete the other, not move it",
    )
    result, _ = judge_gate(
        prepared,
        {
            FunctionId(1, 1, "prod-api", "hello"): live("hello", timeout=5),
            FunctionId(1, 1, "prod-api2", "hello"): LiveResult(
                FunctionId(1, 1, "prod-api2", "hello"), LiveStatus.MISSING
            ),
        },
        GateJudging(),
    )
    assert [(f.identity.label, f.gate_class) for f in result.functions] == [
        ("prod-api2/hello", GateClass.CREATE),
        ("prod-api/hello", GateClass.DELETE),
    ]


def test_functions_that_lose_hand_changes_come_first_then_those_not_checked() -> None:
    base = state("base.yaml", function("a", timeout=5), function("b", timeout=5))
    new = state(
        "new.yaml", function("a", timeout=6), function("b", timeout=5), function("c", timeout=5)
    )
    prepared = before_gate(base, new, GateJudging())
    broken = LiveResult(FunctionId(1, 1, "prod-api", "c"), LiveStatus.ERROR, reason="HTTP 502")
    found = {
        FunctionId(1, 1, "prod-api", "a"): live("a", timeout=5),
        FunctionId(1, 1, "prod-api", "b"): live("b", timeout=9),
        FunctionId(1, 1, "prod-api", "c"): broken,
    }
    result, _ = judge_gate(prepared, found, GateJudging(), base_ref="main", base_commit="abc")
    assert [(f.identity.name, f.gate_class) for f in result.functions] == [
        ("b", GateClass.OVERWRITE),
        ("c", GateClass.NOT_CHECKED),
        ("a", GateClass.DEPLOY),
    ]
    assert (result.source, result.base_source) == ("new.yaml", "base.yaml")
    assert (result.base_ref, result.base_commit) == ("main", "abc")


def test_a_function_switched_off_live_that_no_state_declares_disabled_for_is_a_warning() -> None:
    new = state("new.yaml", function("a", timeout=5), function("b", timeout=5, disabled=False))
    prepared = before_gate(state("base.yaml"), new, GateJudging())
    found = {
        FunctionId(1, 1, "prod-api", "a"): live("a", timeout=5, disabled=True),
        FunctionId(1, 1, "prod-api", "b"): live("b", timeout=5, disabled=True),
    }
    _, warnings = judge_gate(prepared, found, GateJudging())
    assert warnings == (
        "prod-api/a (project 1, region 1) is disabled live and neither the base nor the new "
        "files declare 'disabled', so the gate did not compare it (declare disabled: false to "
        "have it checked)",
    )


def verdict(*classes: GateClass, changes: tuple[GateClass, ...] = ()) -> GateResult:
    change = [GateChange("timeout", name, 5, 6, 5, HERE) for name in changes]
    functions = tuple(
        GateFunction(
            FunctionId(1, 1, "ns", f"f{index}"),
            name,
            HERE,
            "new.yaml",
            in_base=True,
            in_new=True,
            changes=tuple(change) if index == 0 else (),
        )
        for index, name in enumerate(classes)
    )
    return GateResult("new.yaml", "base.yaml", functions)


@pytest.mark.parametrize(
    ("result", "fail_on", "expected"),
    [
        (verdict(), FAILING, ExitCode.IN_SYNC),
        (verdict(GateClass.UNCHANGED, GateClass.DEPLOY, GateClass.ADOPTED), FAILING, 0),
        (verdict(GateClass.CREATE, GateClass.DELETE, GateClass.RELEASED), FAILING, 0),
        (verdict(GateClass.OVERWRITE), FAILING, ExitCode.DRIFT),
        (verdict(GateClass.CONFLICT), FAILING, ExitCode.DRIFT),
        # A function's class is its first; each value's class counts on its own.
        (
            verdict(GateClass.CONFLICT, changes=(GateClass.CONFLICT, GateClass.OVERWRITE)),
            frozenset({GateClass.OVERWRITE}),
            ExitCode.DRIFT,
        ),
        (verdict(GateClass.CONFLICT), frozenset({GateClass.OVERWRITE}), ExitCode.IN_SYNC),
        (verdict(GateClass.OVERWRITE), frozenset(), ExitCode.IN_SYNC),
        # 3 wins over 1, and holds even with --fail-on none.
        (verdict(GateClass.OVERWRITE, GateClass.NOT_CHECKED), FAILING, ExitCode.INCOMPLETE),
        (verdict(GateClass.NOT_CHECKED), frozenset(), ExitCode.INCOMPLETE),
    ],
)
def test_the_exit_code_of_a_gate(
    result: GateResult, fail_on: frozenset[GateClass], expected: ExitCode
) -> None:
    assert gate_exit_code(result, fail_on) == expected


def test_a_deadline_that_passed_leaves_the_gate_incomplete() -> None:
    assert gate_exit_code(verdict(GateClass.DEPLOY), FAILING, deadline_passed=True) == 3


def test_fail_on_names_the_classes_that_fail() -> None:
    assert parse_gate_fail_on("overwrite,conflict") == FAILING
    assert parse_gate_fail_on(" conflict ") == frozenset({GateClass.CONFLICT})
    assert parse_gate_fail_on("none") == frozenset()
    with pytest.raises(ValueError, match="unknown outcome 'drift': use a comma list of "):
        parse_gate_fail_on("drift")


def test_a_gate_of_nothing_is_a_usage_error_but_emptying_the_files_is_a_deploy() -> None:
    with pytest.raises(ScopeError, match=r"^neither the new files \(new.yaml\) nor the base "):
        before_gate(state("base.yaml"), state("new.yaml"), GateJudging())
    emptied = before_gate(BASE, state("new.yaml"), GateJudging())  # every function deleted
    assert [f.identity.name for f in emptied.fetch.functions] == ["a", "old"]
    first = before_gate(state("base.yaml"), NEW, GateJudging())  # a first deploy
    assert [f.identity.name for f in first.fetch.functions] == ["b", "a"]
