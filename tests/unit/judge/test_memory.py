"""Tonight against a baseline, both ways: known/changed/new, resolved only where checked, ages,
and which of them fail the run (verdict.exit_code, the one place)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone

from faasdrift.errors import ExitCode
from faasdrift.judge.memory import NOT_CHECKED_TONIGHT, OUT_OF_SCOPE, Recall, remember
from faasdrift.judge.scope import Scope
from faasdrift.judge.verdict import Judged, Judging, exit_code
from faasdrift.model import (
    Baseline,
    BaselineStatus,
    BaselineUsed,
    ChangeKind,
    DriftResult,
    FunctionResult,
    FunctionStatus,
    Memory,
    Position,
    Remembered,
    RunTotals,
)
from tests.unit.report.cases import SALT, change, drifted, holds_secret, identity, in_sync

LAST_NIGHT = datetime(2026, 11, 20, 5, 17, tzinfo=timezone.utc)
TONIGHT = date(2026, 11, 21)
FIRST_SEEN = date(2026, 11, 10)


def timeout(name: str, live: int) -> FunctionResult:
    return drifted(name, 6, change("timeout", ChangeKind.CHANGED, 5, live, 9))


def unchecked(name: str) -> FunctionResult:
    return FunctionResult(identity(name), FunctionStatus.NOT_CHECKED, Position(1, 1), reason="502")


def night(*functions: FunctionResult) -> DriftResult:
    return DriftResult("d.yaml", functions)


def baseline_of(*functions: FunctionResult) -> Baseline:
    """Last night's findings as its report holds them, first seen on FIRST_SEEN."""
    memory = remember(night(*functions), Recall(SALT, FIRST_SEEN, holds_secret))
    held = tuple(
        Remembered(f.key, f.fingerprint, FIRST_SEEN, FIRST_SEEN, change_kind=f.change_kind)
        for f in memory.findings
    )
    return Baseline("last.json", LAST_NIGHT, "d.yaml", held, RunTotals(LAST_NIGHT), salt=SALT)


def tonight(
    result: DriftResult, baseline: Baseline, *, fail_on_age: int | None = None, **kw: object
) -> Memory:
    declared = frozenset(f.identity for f in result.functions) | {
        f.key.identity for f in baseline.findings
    }
    recall = Recall(
        SALT,
        TONIGHT,
        holds_secret,
        BaselineUsed("last.json", LAST_NIGHT),
        baseline,
        declared=declared,
        fail_on_age=fail_on_age,
        **kw,  # type: ignore[arg-type]
    )
    return remember(result, recall)


def statuses(memory: Memory) -> dict[str, BaselineStatus]:
    return {finding.key.identity.name: finding.status for finding in memory.findings}


def test_same_value_known_with_its_first_seen_other_value_changed_else_new() -> None:
    memory = tonight(
        night(timeout("a", 10), timeout("b", 12), timeout("c", 10)),
        baseline_of(timeout("a", 10), timeout("b", 11)),
    )
    assert statuses(memory) == {
        "a": BaselineStatus.KNOWN,
        "b": BaselineStatus.CHANGED,
        "c": BaselineStatus.NEW,
    }
    known, changed, _new = memory.findings
    assert (known.first_seen, known.value_since) == (FIRST_SEEN, FIRST_SEEN)
    assert (changed.first_seen, changed.value_since) == (FIRST_SEEN, TONIGHT)
    assert memory.age(known.first_seen) == 11


def test_resolved_only_on_a_function_checked_tonight() -> None:
    memory = tonight(
        night(in_sync("d", 1), unchecked("e")), baseline_of(timeout("d", 10), timeout("e", 10))
    )
    assert [item.finding.key.identity.name for item in memory.resolved] == ["d"]
    assert [(item.finding.key.identity.name, item.reason) for item in memory.kept] == [
        ("e", NOT_CHECKED_TONIGHT)
    ]


def test_a_function_outside_the_scope_resolves_nothing() -> None:
    memory = tonight(
        night(in_sync("a", 1)),
        baseline_of(timeout("a", 10), timeout("z", 10)),
        scope=Scope(exclude=("z",)),
    )
    assert [item.reason for item in memory.kept] == [OUT_OF_SCOPE]


def judged(result: DriftResult) -> Judged:
    return Judged(result, ())


def test_only_new_and_changed_fail_and_known_passes_until_overdue() -> None:
    baseline = baseline_of(timeout("a", 10))
    known = night(timeout("a", 10))
    assert exit_code(judged(known), Judging(), tonight(known, baseline)) == ExitCode.IN_SYNC
    assert exit_code(judged(known), Judging()) == ExitCode.DRIFT  # no baseline: all drift counts
    changed = night(timeout("a", 11))
    assert exit_code(judged(changed), Judging(), tonight(changed, baseline)) == ExitCode.DRIFT
    for limit, code in ((11, ExitCode.IN_SYNC), (10, ExitCode.DRIFT)):
        memory = tonight(known, baseline, fail_on_age=limit)
        assert exit_code(judged(known), Judging(), memory) == code, limit


def test_a_function_not_checked_fails_however_long_it_has_been_so() -> None:
    baseline = baseline_of(unchecked("e"))
    result = night(unchecked("e"))
    memory = tonight(result, baseline)
    assert statuses(memory) == {"e": BaselineStatus.KNOWN}
    assert exit_code(judged(result), Judging(), memory) == ExitCode.INCOMPLETE


def test_history_carries_the_baselines_runs_up_to_90() -> None:
    runs = tuple(RunTotals(LAST_NIGHT) for _ in range(95))
    baseline = dataclasses.replace(baseline_of(timeout("a", 10)), history=runs)
    memory = tonight(night(timeout("a", 10)), baseline)
    assert len(memory.history) == 90
    assert memory.history[-1] is baseline.totals
