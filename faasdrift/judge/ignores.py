"""Ignore rules: differences the desired file accepts. They change the verdict, nothing else.

Rules are read with the desired file (``desired.ignore_rules``) and applied after the comparison,
so fetching and comparing are exactly what they would be without them. A rule's pattern matches a
change whose path starts with the pattern's segments, each segment compared as a shell pattern
(``fnmatch``, case-sensitive) that cannot cross a dot: ``envs`` covers every env var,
``envs.*_AT`` covers ``envs.CREATED_AT`` but not ``envs.A.B``, and ``envs.BUILD_ID`` does not cover
a change of the whole ``envs`` value (it is bigger than the rule).

An expired rule (``until`` before today, UTC) no longer applies; it is known when the file is read.
A rule that matched nothing is known only after the run, and only for rules whose functions were
all compared: a function that is missing or not checked cannot prove a rule stale.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import date
from fnmatch import fnmatchcase

from faasdrift.model import (
    FAILING,
    Change,
    DesiredFunction,
    DesiredState,
    DriftResult,
    FunctionResult,
    FunctionStatus,
    GateChange,
    IgnoredChange,
    IgnoredGateChange,
    IgnoreRule,
)

# Only a function that was compared can show that a rule matches nothing.
_COMPARED = frozenset({FunctionStatus.IN_SYNC, FunctionStatus.DRIFTED})


def matches(rule: IgnoreRule, path: str) -> bool:
    """Whether ``rule`` covers a change at ``path``: its segments match the path's first ones."""
    wanted, have = rule.path.split("."), path.split(".")
    return len(wanted) <= len(have) and all(map(fnmatchcase, have, wanted))


def is_expired(rule: IgnoreRule, today: date) -> bool:
    return rule.until is not None and rule.until < today


def all_rules(state: DesiredState) -> list[IgnoreRule]:
    """Every rule of ``state`` once, in file order."""
    rules = [*state.ignore, *(rule for function in state.functions for rule in function.ignore)]
    return list(dict.fromkeys(rules))


def expired_rules(state: DesiredState, today: date) -> list[IgnoreRule]:
    return [rule for rule in all_rules(state) if is_expired(rule, today)]


def expired_message(rule: IgnoreRule) -> str:
    return f"ignore rule {rule.path!r} expired on {rule.until}; it no longer applies"


def unmatched_message(rule: IgnoreRule) -> str:
    return f"ignore rule {rule.path!r} matched no difference; remove it if that drift is gone"


def where(rule: IgnoreRule) -> str:
    return f"{rule.source}:{rule.position}"


def apply_ignores(result: DriftResult, state: DesiredState, today: date) -> DriftResult:
    """``result`` with the changes that active rules cover moved to ``ignored``."""
    functions = {function.identity: function for function in state.functions}
    judged = tuple(
        _apply(verdict, functions[verdict.identity], today)
        if verdict.identity in functions
        else verdict
        for verdict in result.functions
    )
    return dataclasses.replace(result, functions=judged)


def _apply(verdict: FunctionResult, desired: DesiredFunction, today: date) -> FunctionResult:
    rules = [rule for rule in desired.ignore if not is_expired(rule, today)]
    if not rules or verdict.status is not FunctionStatus.DRIFTED:
        return verdict
    kept: list[Change] = []
    ignored: list[IgnoredChange] = []
    for change in verdict.changes:
        rule = next((rule for rule in rules if matches(rule, change.path)), None)
        if rule is None:
            kept.append(change)
        else:
            ignored.append(IgnoredChange(change, rule))
    status = FunctionStatus.DRIFTED if kept else FunctionStatus.IN_SYNC
    return dataclasses.replace(verdict, status=status, changes=tuple(kept), ignored=tuple(ignored))


def unmatched_rules(result: DriftResult, state: DesiredState, today: date) -> list[IgnoreRule]:
    """Active rules that matched nothing, though every function they apply to was compared."""
    statuses = {verdict.identity: verdict.status for verdict in result.functions}
    used = {item.rule for verdict in result.functions for item in verdict.ignored}
    compared: dict[IgnoreRule, bool] = {}
    for function in state.functions:
        for rule in function.ignore:
            was_compared = statuses.get(function.identity) in _COMPARED
            compared[rule] = compared.get(rule, True) and was_compared
    return [
        rule
        for rule, all_compared in compared.items()
        if all_compared and rule not in used and not is_expired(rule, today)
    ]


def sorted_rules(rules: Iterable[IgnoreRule]) -> Iterator[IgnoreRule]:
    """In the order a reader meets them: by file, then position."""
    yield from sorted(
        rules, key=lambda rule: (rule.source, rule.position.line, rule.position.column)
    )


def accept_gate_changes(
    changes: Iterable[GateChange], rules: Iterable[IgnoreRule], today: date | None
) -> tuple[list[GateChange], list[IgnoredGateChange]]:
    """A gate's values with the overwrites and conflicts active rules accept set apart (only
    those: a planned change is not a difference to accept). ``today`` None: every rule holds."""
    active = [rule for rule in rules if today is None or not is_expired(rule, today)]
    kept: list[GateChange] = []
    ignored: list[IgnoredGateChange] = []
    for change in changes:
        rule = next((rule for rule in active if matches(rule, change.path)), None)
        if rule is not None and change.gate_class in FAILING:
            ignored.append(IgnoredGateChange(change, rule))
        else:
            kept.append(change)
    return kept, ignored
