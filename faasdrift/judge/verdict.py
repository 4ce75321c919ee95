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
* with ``strict_ignores`` an expired rule stops the run before anything is fetched (2), and a rule
  that matched nothing makes the run exit 2 after the report is written (it wins over 1 and 3:
  the desired file needs fixing either way);
* a gate (``gate_exit_code``) exits 3 when a function could not be checked, even with
  ``--fail-on none``: "safe to deploy" never rests on a function nobody could read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TypeVar

from faasdrift.errors import DesiredFileError, ExitCode
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
    DesiredState,
    DriftResult,
    Fetched,
    FunctionStatus,
    GateClass,
    GateResult,
    Problem,
)

T = TypeVar("T")

# The outcomes `--fail-on` can name, and what each means in the result.
FAIL_ON_NAMES: Mapping[str, FunctionStatus] = {
    "drift": FunctionStatus.DRIFTED,
    "missing": FunctionStatus.MISSING,
    "not_checked": FunctionStatus.NOT_CHECKED,
}
FAIL_ON_ALL: frozenset[FunctionStatus] = frozenset(FAIL_ON_NAMES.values())


@dataclass(frozen=True)
class Judging:
    """How a check selects and judges functions, as plain values; the defaults change nothing."""

    scope: Scope = field(default_factory=Scope)
    unmanaged: bool = False
    strict_ignores: bool = False
    fail_on: frozenset[FunctionStatus] = FAIL_ON_ALL  # the outcomes that fail the run
    today: date | None = None  # for ``until``; None is today in UTC (tests pin a day)

    def day(self) -> date:
        return self.today or datetime.now(timezone.utc).date()


@dataclass(frozen=True)
class Prepared:
    state: DesiredState  # the selected functions only
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Judged:
    """A compared result once judged: rules applied, unmanaged functions appended."""

    result: DriftResult
    warnings: tuple[str, ...] = ()  # stale rules, namespaces whose unmanaged functions are unknown
    unmanaged_unknown: bool = False  # a namespace's unmanaged functions could not be looked for
    stale_rules: bool = False  # a rule matched nothing (an error with ``strict_ignores``)
    deadline_passed: bool = False  # the run's deadline cut the fetch short


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
    return Prepared(narrowed, tuple(warnings))


def after_compare(
    result: DriftResult, state: DesiredState, fetched: Fetched, judging: Judging
) -> Judged:
    """``result`` judged: ignored changes set apart, unmanaged functions appended."""
    today = judging.day()
    result = apply_ignores(result, state, today)
    stale = list(sorted_rules(unmatched_rules(result, state, today)))
    warnings = [f"{where(rule)}: {unmatched_message(rule)}" for rule in stale]
    unknown: tuple[str, ...] = ()
    if judging.unmanaged:
        found = find_unmanaged(state, fetched.listings, judging.scope)
        result = dataclasses.replace(result, functions=(*result.functions, *found.functions))
        unknown = found.unknown
    judged = dataclasses.replace(result, unmanaged_checked=judging.unmanaged)
    warnings.extend(deadline_warnings(fetched))
    warnings.extend(unknown)
    return Judged(judged, tuple(warnings), bool(unknown), bool(stale), fetched.deadline_passed)


def deadline_warnings(fetched: Fetched) -> list[str]:
    """The warning a run whose deadline cut the fetch short gives (check and gate alike)."""
    if not fetched.deadline_passed:
        return []
    noun = "function" if fetched.late == 1 else "functions"
    return [f"the run's deadline passed: {fetched.late} {noun} not checked"]


def exit_code(judged: Judged, judging: Judging) -> ExitCode:
    """How a check run exits: the exit-code contract, decided here and nowhere else."""
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
    failing = (FunctionStatus.DRIFTED, FunctionStatus.MISSING)
    if any(status in fail_on and result.count(status) for status in failing):
        return ExitCode.DRIFT
    if FunctionStatus.DRIFTED in fail_on and result.count(FunctionStatus.UNMANAGED):
        return ExitCode.DRIFT
    return ExitCode.IN_SYNC


# The classes `gate --fail-on` can name: what would be lost by the deploy.
GATE_FAIL_ON_NAMES: Mapping[str, GateClass] = {
    "overwrite": GateClass.OVERWRITE,
    "conflict": GateClass.CONFLICT,
}


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


def parse_gate_fail_on(text: str) -> frozenset[GateClass]:
    """``overwrite,conflict`` -> the classes it names; ``none`` -> none. Raises ``ValueError``."""
    return _parse_names(text, GATE_FAIL_ON_NAMES)


def snapshot_exit_code(not_checked: int) -> ExitCode:
    """How ``snapshot`` exits: 3 when a function could not be fetched (the file records why)."""
    return ExitCode.INCOMPLETE if not_checked else ExitCode.OK


def parse_fail_on(text: str) -> frozenset[FunctionStatus]:
    """``drift,missing`` -> the statuses it names; ``none`` -> none. Raises ``ValueError``."""
    return _parse_names(text, FAIL_ON_NAMES)


def _parse_names(text: str, known: Mapping[str, T]) -> frozenset[T]:
    names = [name.strip() for name in text.split(",")]
    if names == ["none"]:
        return frozenset()
    unknown = [name for name in names if name not in known]
    if unknown:
        choices = ", ".join([*known, "none"])
        raise ValueError(f"unknown outcome {unknown[0]!r}: use a comma list of {choices}")
    return frozenset(known[name] for name in names)
