"""Judging a check: which functions it looks at, what the ignore rules accept, its exit code.

``before_fetch`` narrows the state to the selected functions and judges the ignore rules' dates;
``after_compare`` applies the rules and adds the unmanaged functions; ``exit_code`` is the one
place that decides how a check run exits. Neither of the first two changes what is fetched for a
declared function or how it is compared: filters only drop functions, rules only move changes
from drift to ignored.

The decisions behind the exit code:

* 3 when a function could not be checked (it wins over drift), 1 on drift or missing functions,
  else 0; only the outcomes in ``fail_on`` count (none of them: always 0);
* an unmanaged function counts as drift (``--fail-on drift``);
* a namespace whose unmanaged functions could not be looked for makes the check incomplete (3)
  when ``not_checked`` fails the run: "no unmanaged functions" must never rest on a failed list;
* the run's deadline (``--deadline``) passing makes it incomplete (3) likewise: what was not
  fetched by then is not checked, even a namespace listed only for ``--unmanaged``;
* filters that select nothing to check stop the run before anything is fetched (2): a check of
  nothing must not pass CI;
* with a baseline (``--baseline``, ``memory``), drift counts only where it is new or changed
  since then, or known for longer than ``fail_on_age`` days; the other known findings are
  reported with their age and pass. A function that could not be checked still fails (3) when
  ``not_checked`` counts, however long it has been so: no baseline ever accepts a check that
  could not be completed;
* with ``strict_ignores`` an expired rule stops the run before anything is fetched (2), and a rule
  that matched nothing makes the run exit 2 after the report is written (it wins over 1 and 3:
  the desired file needs fixing either way);
* a gate (``gate_exit_code``) exits 3 when a function could not be checked, even with
  ``--fail-on none``: "safe to deploy" never rests on a function nobody could read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from faasdrift.errors import DesiredFileError, ExitCode
from faasdrift.judge.fail_on import FAIL_ON_ALL
from faasdrift.judge.ignores import (
    apply_ignores,
    expired_message,
    expired_rules,
    sorted_rules,
    unmatched_message,
    unmatched_rules,
    where,
)
from faasdrift.judge.scope import Scope, narrow
from faasdrift.judge.unmanaged import find_unmanaged
from faasdrift.model import (
    BaselineStatus,
    DesiredState,
    DriftResult,
    Fetched,
    FindingKind,
    FunctionId,
    FunctionStatus,
    GateClass,
    GateResult,
    Memory,
    NamespaceKey,
    Problem,
)


@dataclass(frozen=True)
class Judging:
    """How a check selects and judges functions, as plain values; the defaults change nothing."""

    scope: Scope = field(default_factory=Scope)
    unmanaged: bool = False
    strict_ignores: bool = False
    fail_on: frozenset[FunctionStatus] = FAIL_ON_ALL  # the outcomes that fail the run
    today: date | None = None  # for ``until``; None is today in UTC (tests pin a day)
    fail_on_age: int | None = None  # with a baseline: known findings older than this fail too
    now: datetime | None = None  # the run's clock (``--now``); None is the real one

    def day(self) -> date:
        return self.today or self.moment().date()

    def moment(self) -> datetime:
        """Now, in UTC: when the run's report says it was generated."""
        return self.now or datetime.now(timezone.utc)


@dataclass(frozen=True)
class Prepared:
    state: DesiredState  # the selected functions only
    warnings: tuple[str, ...]
    declared: frozenset[FunctionId] = frozenset()  # every declared function, selected or not


@dataclass(frozen=True)
class Judged:
    """A compared result once judged: rules applied, unmanaged functions appended."""

    result: DriftResult
    warnings: tuple[str, ...] = ()  # stale rules, namespaces whose unmanaged functions are unknown
    unmanaged_unknown: bool = False  # a namespace's unmanaged functions could not be looked for
    stale_rules: bool = False  # a rule matched nothing (an error with ``strict_ignores``)
    deadline_passed: bool = False  # the run's deadline cut the fetch short
    listed: frozenset[NamespaceKey] = frozenset()  # namespaces listed whole for --unmanaged


def before_fetch(state: DesiredState, judging: Judging) -> Prepared:
    """The state to fetch; raises ``ScopeError`` when the filters select nothing to check, and
    ``DesiredFileError`` on expired rules with ``strict_ignores``: both exit 2, before any
    request."""
    narrowed = narrow(state, judging.scope)
    # Expiry is a fact of the file, whatever the filters select.
    expired = list(sorted_rules(expired_rules(state, judging.day())))
    if expired and judging.strict_ignores:
        raise DesiredFileError(
            [Problem(rule.source, rule.position, "", expired_message(rule)) for rule in expired]
        )
    warnings = [f"{where(rule)}: {expired_message(rule)}" for rule in expired]
    declared = frozenset(function.identity for function in state.functions)
    return Prepared(narrowed, tuple(warnings), declared)


def after_compare(
    result: DriftResult, state: DesiredState, fetched: Fetched, judging: Judging
) -> Judged:
    """``result`` judged: ignored changes set apart, unmanaged functions appended."""
    today = judging.day()
    result = apply_ignores(result, state, today)
    stale = list(sorted_rules(unmatched_rules(result, state, today)))
    warnings = [f"{where(rule)}: {unmatched_message(rule)}" for rule in stale]
    unknown: tuple[str, ...] = ()
    listed: frozenset[NamespaceKey] = frozenset()
    if judging.unmanaged:
        found = find_unmanaged(state, fetched.listings, judging.scope)
        result = dataclasses.replace(result, functions=(*result.functions, *found.functions))
        unknown, listed = found.unknown, found.listed
    judged = dataclasses.replace(result, unmanaged_checked=judging.unmanaged)
    warnings.extend(deadline_warnings(fetched))
    warnings.extend(unknown)
    deadline = fetched.deadline_passed
    return Judged(judged, tuple(warnings), bool(unknown), bool(stale), deadline, listed)


def deadline_warnings(fetched: Fetched) -> list[str]:
    """The warning a run whose deadline cut the fetch short gives (check and gate alike)."""
    if not fetched.deadline_passed:
        return []
    noun = "function" if fetched.late == 1 else "functions"
    return [f"the run's deadline passed: {fetched.late} {noun} not checked"]


def exit_code(judged: Judged, judging: Judging, memory: Memory | None = None) -> ExitCode:
    """How a check run exits: the exit-code contract, decided here and nowhere else.

    ``memory`` compared with a baseline: only its failing findings count as drift."""
    result, fail_on = judged.result, judging.fail_on
    if judged.stale_rules and judging.strict_ignores:
        return ExitCode.USAGE
    unchecked = (
        result.count(FunctionStatus.NOT_CHECKED)
        or judged.unmanaged_unknown
        or judged.deadline_passed
    )
    if FunctionStatus.NOT_CHECKED in fail_on and unchecked:
        return ExitCode.INCOMPLETE
    counted = _drift_counted(result, memory)
    failing = (FunctionStatus.DRIFTED, FunctionStatus.MISSING)
    if any(status in fail_on and counted[status] for status in failing):
        return ExitCode.DRIFT
    if FunctionStatus.DRIFTED in fail_on and counted[FunctionStatus.UNMANAGED]:
        return ExitCode.DRIFT
    return ExitCode.IN_SYNC


def gate_exit_code(
    result: GateResult, fail_on: frozenset[GateClass], *, deadline_passed: bool = False
) -> ExitCode:
    """How a gate exits: 3 when a function could not be checked, whatever ``fail_on`` says (a
    gate that could not look cannot call a deploy safe), else 1 when a class in ``fail_on`` is
    found (ignored changes aside), else 0."""
    if deadline_passed or result.count(GateClass.NOT_CHECKED):
        return ExitCode.INCOMPLETE
    if any(function.classes & fail_on for function in result.functions):
        return ExitCode.DRIFT
    return ExitCode.IN_SYNC


# Which outcome a finding of each kind is, for --fail-on.
_STATUS_OF_KIND = {
    FindingKind.VALUE: FunctionStatus.DRIFTED,
    FindingKind.MISSING: FunctionStatus.MISSING,
    FindingKind.UNMANAGED: FunctionStatus.UNMANAGED,
}


def fails(status: BaselineStatus, overdue: bool) -> bool:
    """Whether a finding compared with a baseline fails the run (when --fail-on counts it)."""
    return status is not BaselineStatus.KNOWN or overdue


def _drift_counted(result: DriftResult, memory: Memory | None) -> dict[FunctionStatus, int]:
    """How much drift of each outcome counts: all of it, or with a baseline only the findings
    that are new, changed, or known for too long."""
    if memory is None or memory.baseline is None:
        return {status: result.count(status) for status in _STATUS_OF_KIND.values()}
    counted = dict.fromkeys(_STATUS_OF_KIND.values(), 0)
    for finding in memory.findings:
        status = _STATUS_OF_KIND.get(finding.key.kind)
        if status is not None and fails(finding.status, finding.overdue):
            counted[status] += 1
    return counted


def snapshot_exit_code(not_checked: int) -> ExitCode:
    """How ``snapshot`` exits: 3 when a function could not be fetched (the file records why)."""
    return ExitCode.INCOMPLETE if not_checked else ExitCode.OK
