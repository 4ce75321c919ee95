"""Around fetching and comparing: scope filters, ignore rules and unmanaged functions.

``before_fetch`` narrows the state to the selected functions and judges the ignore rules' dates;
``after_compare`` applies the rules and adds the unmanaged functions. Neither changes what is
fetched for a declared function or how it is compared: filters only drop functions, rules only
move changes from drift to ignored.

Decisions the exit code depends on, beyond ``check.exit_code_for``:

* an unmanaged function counts as drift (``--fail-on drift``), as the issue asks;
* a namespace whose unmanaged functions could not be looked for makes the check incomplete (3)
  when ``not_checked`` fails the run: "no unmanaged functions" must never rest on a failed list;
* with ``strict_ignores`` an expired rule stops the run before anything is fetched (2), and a rule
  that matched nothing makes the run exit 2 after the report is written (it wins over 1 and 3:
  the desired file needs fixing either way).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from faasdrift.errors import DesiredFileError, ExitCode, Problem
from faasdrift.judge.ignores import (
    apply_ignores,
    expired_message,
    expired_rules,
    sorted_rules,
    unmatched_message,
    unmatched_rules,
    where,
)
from faasdrift.judge.scope import Scope, find_unmanaged, narrow
from faasdrift.live.fetch import Fetched
from faasdrift.model import DesiredState, DriftResult


@dataclass(frozen=True)
class Judging:
    """How a check selects and judges functions, as plain values; the defaults change nothing."""

    scope: Scope = field(default_factory=Scope)
    unmanaged: bool = False
    strict_ignores: bool = False
    today: date | None = None  # for ``until``; None is today in UTC (tests pin a day)

    def day(self) -> date:
        return self.today or datetime.now(timezone.utc).date()


@dataclass(frozen=True)
class Prepared:
    state: DesiredState  # the selected functions only
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Judged:
    result: DriftResult  # rules applied, unmanaged functions added, warnings set
    incomplete: bool = False  # a namespace's unmanaged functions are unknown
    stale_rules: bool = False  # a rule matched nothing (an error with ``strict_ignores``)


def before_fetch(state: DesiredState, judging: Judging) -> Prepared:
    """The state to fetch; raises ``DesiredFileError`` on expired rules with ``strict_ignores``."""
    narrowed, warnings = narrow(state, judging.scope)
    # Expiry is a fact of the file, whatever the filters select.
    expired = list(sorted_rules(expired_rules(state, judging.day())))
    if expired and judging.strict_ignores:
        raise DesiredFileError(
            [Problem(rule.source, rule.position, "", expired_message(rule)) for rule in expired]
        )
    warnings += [f"{where(rule)}: {expired_message(rule)}" for rule in expired]
    return Prepared(narrowed, tuple(warnings))


def after_compare(
    result: DriftResult, state: DesiredState, fetched: Fetched, judging: Judging
) -> Judged:
    """``result`` judged: ignored changes set apart, unmanaged functions appended."""
    today = judging.day()
    result = apply_ignores(result, state, today)
    stale = list(sorted_rules(unmatched_rules(result, state, today)))
    warnings = [f"{where(rule)}: {unmatched_message(rule)}" for rule in stale]
    incomplete = False
    if judging.unmanaged:
        found = find_unmanaged(state, fetched.listings, judging.scope)
        result = dataclasses.replace(result, functions=(*result.functions, *found.functions))
        warnings += found.unknown
        incomplete = bool(found.unknown)
    judged = dataclasses.replace(
        result,
        warnings=(*result.warnings, *warnings),
        unmanaged_checked=judging.unmanaged,
    )
    return Judged(judged, incomplete=incomplete, stale_rules=bool(stale))


def final_exit_code(
    judged: Judged, code: ExitCode, judging: Judging, *, fail_incomplete: bool
) -> ExitCode:
    """``code`` (from the functions' statuses) adjusted for what only the judging knows."""
    if judged.stale_rules and judging.strict_ignores:
        return ExitCode.USAGE
    if judged.incomplete and fail_incomplete:
        return ExitCode.INCOMPLETE
    return code
