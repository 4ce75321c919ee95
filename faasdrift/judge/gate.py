"""Judging a gate: which functions it looks at, what it fetches, and every function classified.

Functions are matched by identity (project, region, namespace, name) across the base and the new
files: a function moved to another namespace is a delete and a create, as a deploy would do it
(the run warns when it sees one). ``--only`` and ``--exclude`` select from the functions either
state declares, before anything is fetched, with ``check``'s rules: a scope that selects nothing
is a usage error (exit 2). Live, each function is fetched once, for every field either state
declares. The exit code is decided in ``judge.verdict``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from faasdrift.judge.ignores import expired_message, expired_rules, sorted_rules, where
from faasdrift.judge.scope import Scope, ScopeError, narrow
from faasdrift.judge.three_way import classify
from faasdrift.model import (
    FAILING,
    DesiredFunction,
    DesiredState,
    FunctionId,
    GateClass,
    GateFunction,
    GateResult,
    LiveResult,
    LiveStatus,
)


@dataclass(frozen=True)
class GateJudging:
    """How a gate selects and judges functions, as plain values; the defaults change nothing."""

    scope: Scope = field(default_factory=Scope)
    fail_on: frozenset[GateClass] = FAILING  # the classes that fail the run
    strict: bool = False  # compare code byte for byte, a trailing newline included
    today: date | None = None  # for ``until``; None is today in UTC (tests pin a day)

    def day(self) -> date:
        return self.today or datetime.now(timezone.utc).date()


@dataclass(frozen=True)
class GatePrepared:
    """Both states narrowed to the selected functions, and what to fetch for them."""

    base: DesiredState
    new: DesiredState
    fetch: DesiredState  # each selected function once, with every field either state declares
    warnings: tuple[str, ...] = ()


def before_gate(base: DesiredState, new: DesiredState, judging: GateJudging) -> GatePrepared:
    """The functions to fetch; raises ``ScopeError`` (exit 2) when neither state declares a
    function or the filters select nothing. New files that declare none, after a base that did,
    are a deploy that deletes every function: that is a question worth the gate."""
    if not base.functions and not new.functions:
        raise ScopeError(
            f"neither the new files ({new.source}) nor the base ({base.source or 'no files'}) "
            "declare a function: there is nothing to check"
        )
    both = narrow(_union(base, new), judging.scope)
    selected = {function.identity for function in both.functions}
    # Only the new files' rules apply; their expiry is a fact of the file, whatever is selected.
    expired = sorted_rules(expired_rules(new, judging.day()))
    warnings = [f"{where(rule)}: {expired_message(rule)}" for rule in expired]
    return GatePrepared(
        _keep(base, selected), _keep(new, selected), both, (*warnings, *_moved(base, new))
    )


def judge_gate(
    prepared: GatePrepared,
    live: Mapping[FunctionId, LiveResult],
    judging: GateJudging,
    *,
    base_ref: str | None = None,
    base_commit: str | None = None,
) -> tuple[GateResult, tuple[str, ...]]:
    """Every selected function classified, and what the run should warn about."""
    base = {function.identity: function for function in prepared.base.functions}
    new = {function.identity: function for function in prepared.new.functions}
    day = judging.day()
    verdicts = [
        classify(
            base.get(function.identity),
            new.get(function.identity),
            live.get(function.identity),
            strict=judging.strict,
            today=day,
        )
        for function in prepared.fetch.functions
    ]
    result = GateResult(
        source=prepared.new.source,
        base_source=prepared.base.source,
        functions=tuple(sorted(verdicts, key=_group)),
        base_ref=base_ref,
        base_commit=base_commit,
    )
    return result, tuple(_switched_off(prepared.fetch.functions, new, live))


def _group(function: GateFunction) -> int:
    """Overwrites and conflicts first, then what could not be checked, then the rest."""
    if function.classes & FAILING:
        return 0
    return 1 if function.gate_class is GateClass.NOT_CHECKED else 2


def _union(base: DesiredState, new: DesiredState) -> DesiredState:
    """The new files' functions, then those only the base declares, each with both field sets
    (only their names matter: they are what the fetch validates)."""
    functions = {function.identity: function for function in base.functions}
    merged = [
        _with_fields(function, functions.pop(function.identity, None)) for function in new.functions
    ]
    return DesiredState(
        source=new.source, functions=(*merged, *functions.values()), ignore=new.ignore
    )


def _with_fields(new: DesiredFunction, base: DesiredFunction | None) -> DesiredFunction:
    if base is None:
        return new
    return dataclasses.replace(new, fields={**base.fields, **new.fields})


def _keep(state: DesiredState, selected: set[FunctionId]) -> DesiredState:
    functions = tuple(function for function in state.functions if function.identity in selected)
    return dataclasses.replace(state, functions=functions)


def _moved(base: DesiredState, new: DesiredState) -> Iterable[str]:
    """A name the base declares in one place and the new files in another: a move is a delete
    and a create (or a take-over), so say it, in case it is a slip of the namespace."""
    old = {function.identity: function for function in base.functions}
    declared = {function.identity for function in new.functions}
    by_name: dict[str, list[FunctionId]] = {}
    for identity in old:
        if identity not in declared:
            by_name.setdefault(identity.name, []).append(identity)
    for function in new.functions:
        for gone in by_name.get(function.identity.name, []) if function.identity not in old else []:
            yield (
                f"{_label(function.identity)} is new, and {_label(gone)} is no longer declared: "
                "the deploy would create one and delete the other, not move it"
            )


def _switched_off(
    functions: Iterable[DesiredFunction],
    new: Mapping[FunctionId, DesiredFunction],
    live: Mapping[FunctionId, LiveResult],
) -> Iterable[str]:
    """Functions the new files deploy that are switched off live, when neither state declares
    ``disabled`` (``functions`` hold both states' fields): the gate did not compare it, and the
    deploy would leave them off, but nobody should be surprised by that."""
    for function in functions:
        result = live.get(function.identity)
        if function.identity not in new or result is None or result.status is not LiveStatus.FOUND:
            continue
        if "disabled" in function.fields or (result.data or {}).get("disabled") is not True:
            continue
        yield (
            f"{_label(function.identity)} is disabled live and neither the base nor the new "
            "files declare 'disabled', so the gate did not compare it (declare disabled: false "
            "to have it checked)"
        )


def _label(identity: FunctionId) -> str:
    return f"{identity.label} (project {identity.project_id}, region {identity.region_id})"
