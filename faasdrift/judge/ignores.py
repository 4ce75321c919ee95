"""Ignore rules: differences the desired file accepts. They change the verdict, nothing else.

A rule is written at the top of a desired file (it applies to every function of that file) or in
one function entry::

    ignore:
      - path: envs.BUILD_ID        # dotted path; `*` matches within one segment (envs.*_AT)
        reason: set by the deploy pipeline
        until: 2027-01-31          # optional: the last day the rule holds

Rules are applied after the comparison, so fetching and comparing are exactly what they would be
without them. A rule's pattern matches a change whose path starts with the pattern's segments, each
segment compared as a shell pattern (``fnmatch``, case-sensitive) that cannot cross a dot: ``envs``
covers every env var, ``envs.*_AT`` covers ``envs.CREATED_AT`` but not ``envs.A.B``, and
``envs.BUILD_ID`` does not cover a change of the whole ``envs`` value (it is bigger than the rule).

An expired rule (``until`` before today, UTC) no longer applies; it is known when the file is read.
A rule that matched nothing is known only after the run, and only for rules whose functions were
all compared: a function that is missing or not checked cannot prove a rule stale.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from fnmatch import fnmatchcase
from typing import Any

from faasdrift.desired.yaml_reader import YamlDocument, YamlPath, format_path
from faasdrift.errors import Problem
from faasdrift.model import (
    COMPARED_FIELDS,
    Change,
    DesiredFunction,
    DesiredState,
    DriftResult,
    FunctionResult,
    FunctionStatus,
    IgnoredChange,
    IgnoreRule,
)

# Only a function that was compared can show that a rule matches nothing.
_COMPARED = frozenset({FunctionStatus.IN_SYNC, FunctionStatus.DRIFTED})


def read_rules(
    document: YamlDocument, at: YamlPath, *, source: str
) -> tuple[tuple[IgnoreRule, ...], list[Problem]]:
    """The rules of the ``ignore`` list at ``at``, and what is wrong with them.

    The schema has reported wrong types already; entries it refused are skipped quietly.
    """
    entries = _get(document.data, at)
    rules: list[IgnoreRule] = []
    problems: list[Problem] = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        where: YamlPath = (*at, index)
        path, reason = _dict(entry).get("path"), _dict(entry).get("reason")
        if not isinstance(path, str) or not isinstance(reason, str):
            continue
        until, wrong_until = _until(_dict(entry).get("until"))
        wrong = [("until", wrong_until), ("path", _path_problem(path))]
        for key, message in ((key, message) for key, message in wrong if message):
            position = document.value_position((*where, key))
            problems.append(Problem(source, position, format_path((*where, key)), message))
        if any(message for _, message in wrong):
            continue
        position = document.value_position(where)
        rules.append(IgnoreRule(path, reason, source, position, until))
    return tuple(rules), problems


def _get(data: Any, at: YamlPath) -> Any:
    for key in at:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _until(value: Any) -> tuple[date | None, str | None]:
    """``until`` as a date; YAML reads ``2027-01-31`` as a date, a quoted one is a string."""
    if value is None:
        return None, None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value, None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value), None
        except ValueError:
            pass
    return None, "expected a date written YYYY-MM-DD, e.g. 2027-01-31"


def _path_problem(pattern: str) -> str | None:
    segments = pattern.split(".")
    if not all(segments):
        return f"{pattern!r} has an empty segment; write a dotted path such as envs.BUILD_ID"
    if not any(fnmatchcase(field, segments[0]) for field in COMPARED_FIELDS):
        fields = ", ".join(COMPARED_FIELDS)
        return f"{segments[0]!r} names no compared field; a path starts with one of {fields}"
    return None


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
