"""The gate's three-way classification: base (B), live (L), new (N) -> a class per value.

Pure: no IO, no clock. No comparison rule lives here: each pair of states is compared by
``compare.compare_function``, exactly as ``check`` compares (null means empty, one trailing
newline, numbers by value, keys as a set, secrets), and a value is one path of those changes:
each env var, each autoscaling key, each key name its own. The three answers are read through
one table, ``CLASS_BY_EQUALITY``:

| L vs B | N      | class     |
|--------|--------|-----------|
| L = B  | N = B  | unchanged |
| L = B  | N ≠ B  | deploy    |
| L ≠ B  | N = L  | adopted   |
| L ≠ B  | N = B  | overwrite |
| L ≠ B  | other  | conflict  |

A field only N declares is ``deploy`` where L ≠ N (newly managed); one only B declares is
``released``. A function only N declares is read with B = nothing: live, the deploy takes over a
function made by hand (each value through the table); not live, ``create``. Both declare it and
it is not live: deleted by hand, ``overwrite``. Only B: ``delete`` (listing the hand changes it
discards), or not live, ``adopted``. Unreadable: ``not_checked``. N's ignore rules accept
overwrites and conflicts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from faasdrift.compare import compare_function, is_hidden
from faasdrift.judge.ignores import accept_gate_changes
from faasdrift.model import (
    ABSENT,
    COMPARED_FIELDS,
    FAILING,
    PRECEDENCE,
    Change,
    ChangeKind,
    DesiredFunction,
    GateChange,
    GateClass,
    GateFunction,
    LiveResult,
    LiveStatus,
)

# (L = B, N = B, N = L) -> class. The last three cells break transitivity and cannot happen (each
# comparison is an equivalence); should one ever, the gate must not let it pass quietly.
CLASS_BY_EQUALITY: Mapping[tuple[bool, bool, bool], GateClass] = {
    (True, True, True): GateClass.UNCHANGED,
    (True, False, False): GateClass.DEPLOY,
    (False, False, True): GateClass.ADOPTED,
    (False, True, False): GateClass.OVERWRITE,
    (False, False, False): GateClass.CONFLICT,
    (True, True, False): GateClass.CONFLICT,
    (True, False, True): GateClass.CONFLICT,
    (False, True, True): GateClass.CONFLICT,
}
NOT_FETCHED = "live state was not fetched"
RECREATE = "deleted by hand: the deploy would recreate it"
TAKE_OVER = "live, but not in the base files: the deploy would take over a function made by hand"
TAKEN_IN = "live, but not in the base files: the new files take it in, losing no hand change"
GONE = "not live (deleted by hand), and the new files no longer declare it"


def classify(
    base: DesiredFunction | None,
    new: DesiredFunction | None,
    live: LiveResult | None,
    *,
    strict: bool = False,
    today: date | None = None,
) -> GateFunction:
    """The verdict on one function the base, the new files or both declare.

    ``today`` judges the ignore rules' ``until`` (None: every rule holds).
    """
    base, new = _share_secrets(base, new)
    declared = new or base
    assert declared is not None, "a function is declared in the base, the new files or both"
    verdict = GateFunction(
        declared.identity,
        GateClass.UNCHANGED,
        declared.position,
        source=declared.source,
        in_base=base is not None,
        in_new=new is not None,
    )
    if live is None or live.status is LiveStatus.ERROR or live.data is None:
        if live is not None and live.status is LiveStatus.MISSING:
            return _not_live(verdict, live)
        reason = NOT_FETCHED if live is None else live.reason or "no live data"
        return dataclasses.replace(verdict, gate_class=GateClass.NOT_CHECKED, reason=reason)
    changes = sorted(_changes(base, new, live, strict), key=_rank)
    kept, ignored = accept_gate_changes(changes, new.ignore if new else (), today)
    verdict = dataclasses.replace(verdict, changes=tuple(kept), ignored=tuple(ignored))
    if new is None:
        return dataclasses.replace(verdict, gate_class=GateClass.DELETE)
    if base is None:
        failing = any(change.gate_class in FAILING for change in kept)
        reason = TAKE_OVER if failing else TAKEN_IN
        return dataclasses.replace(
            verdict, gate_class=_first(kept, GateClass.ADOPTED), reason=reason
        )
    return dataclasses.replace(verdict, gate_class=_first(kept, GateClass.UNCHANGED))


def _not_live(verdict: GateFunction, live: LiveResult) -> GateFunction:
    if verdict.in_base and verdict.in_new:
        why = f"{live.reason}: {RECREATE}" if live.reason else RECREATE
        return dataclasses.replace(verdict, gate_class=GateClass.OVERWRITE, reason=why)
    if verdict.in_new:
        return dataclasses.replace(verdict, gate_class=GateClass.CREATE, reason=live.reason)
    return dataclasses.replace(verdict, gate_class=GateClass.ADOPTED, reason=GONE)


def _share_secrets(
    base: DesiredFunction | None, new: DesiredFunction | None
) -> tuple[DesiredFunction | None, DesiredFunction | None]:
    """Both sides hide what either side hides: a value secret in one state is secret in all."""
    sides = [side for side in (base, new) if side is not None]
    names: frozenset[str] = frozenset().union(*(side.sensitive for side in sides))
    paths: frozenset[str] = frozenset().union(*(side.sensitive_paths for side in sides))

    def shared(side: DesiredFunction | None) -> DesiredFunction | None:
        return side and dataclasses.replace(side, sensitive=names, sensitive_paths=paths)

    return shared(base), shared(new)


def _changes(
    base: DesiredFunction | None, new: DesiredFunction | None, live: LiveResult, strict: bool
) -> Iterator[GateChange]:
    if new is None:  # deleted: every hand change goes with it
        assert base is not None
        for change in _diffs(base, live, strict):
            yield _one_pair(base, change, GateClass.DELETE, base=_desired(change), desired=ABSENT)
    elif base is None:  # taken over: B is nothing, so L = B where L has no such value
        for change in _diffs(new, live, strict):
            key = (_live(change) is ABSENT, _desired(change) is ABSENT, False)
            gate_class = CLASS_BY_EQUALITY[key]
            yield _one_pair(new, change, gate_class, base=ABSENT, desired=_desired(change))
    else:
        yield from _three_way(base, new, live, strict)
        yield from _released(base, new, live)


def _three_way(
    base: DesiredFunction, new: DesiredFunction, live: LiveResult, strict: bool
) -> Iterator[GateChange]:
    shared = [name for name in new.fields if name in base.fields]
    hand_changes = _by_path(_diffs(_only(base, shared), live, strict))  # L vs B
    planned = _by_path(_diffs(new, live, strict))  # L vs N, every field N declares
    as_live = LiveResult(base.identity, LiveStatus.FOUND, data=base.fields)
    new_vs_base = _by_path(_diffs(_only(new, shared), as_live, strict))
    # A path in none of the first two has L = B = N (unchanged); in the third only, it cannot be.
    for path in dict.fromkeys([*hand_changes, *planned]):
        hand, plan = hand_changes.get(path), planned.get(path)
        if path.split(".")[0] not in base.fields:  # newly managed: L vs N is all there is
            assert plan is not None
            yield _one_pair(new, plan, GateClass.DEPLOY, base=ABSENT, desired=_desired(plan))
            continue
        either = hand if hand is not None else plan
        assert either is not None
        live_value = _live(either)  # both pairs saw the same live value
        key = (hand is None, path not in new_vs_base, plan is None)
        sensitive = any(c.sensitive for c in (hand, plan, new_vs_base.get(path)) if c is not None)
        yield GateChange(
            path,
            CLASS_BY_EQUALITY[key],
            base=live_value if hand is None else _desired(hand),  # no hand change: L = B
            live=live_value,
            desired=live_value if plan is None else _desired(plan),  # nothing planned: N = L
            position=new.position_of(path),
            sensitive=sensitive,
        )


def _released(
    base: DesiredFunction, new: DesiredFunction, live: LiveResult
) -> Iterator[GateChange]:
    """The fields the new files no longer declare: whole, as the base declared them."""
    data = live.data or {}
    for field in base.fields:
        if field in new.fields:
            continue
        values = (base.fields[field], data.get(field))
        yield GateChange(
            field,
            GateClass.RELEASED,
            base=values[0],
            live=values[1],
            desired=ABSENT,
            position=new.position_of(field),
            sensitive=is_hidden(field, values, base.sensitive, base.sensitive_paths),
        )


def _diffs(desired: DesiredFunction, live: LiveResult, strict: bool) -> tuple[Change, ...]:
    names = desired.sensitive
    return compare_function(desired, live, strict=strict, sensitive_names=names).changes


def _only(function: DesiredFunction, fields: Iterable[str]) -> DesiredFunction:
    return dataclasses.replace(function, fields={name: function.fields[name] for name in fields})


def _by_path(changes: Iterable[Change]) -> dict[str, Change]:
    return {change.path: change for change in changes}


def _desired(change: Change) -> Any:
    """The desired side of a pairwise change; ABSENT where that side has no such value."""
    return ABSENT if change.kind is ChangeKind.REMOVED else change.desired


def _live(change: Change) -> Any:
    return ABSENT if change.kind is ChangeKind.ADDED else change.live


def _one_pair(
    at: DesiredFunction, change: Change, gate_class: GateClass, *, base: Any, desired: Any
) -> GateChange:
    """A value that only one pair of states speaks of (the other side is given)."""
    return GateChange(
        change.path,
        gate_class,
        base=base,
        live=_live(change),
        desired=desired,
        position=at.position_of(change.path),
        sensitive=change.sensitive,
    )


def _first(changes: Iterable[GateChange], otherwise: GateClass) -> GateClass:
    """The function's class: the first of its changes' classes in ``PRECEDENCE``."""
    classes = {change.gate_class for change in changes}
    return next((name for name in PRECEDENCE if name in classes), otherwise)


def _rank(change: GateChange) -> tuple[bool, int, str]:
    """Overwrites and conflicts first, then in the order ``check`` lists fields."""
    field = change.path.split(".")[0]
    index = COMPARED_FIELDS.index(field) if field in COMPARED_FIELDS else len(COMPARED_FIELDS)
    return (change.gate_class not in FAILING, index, change.path)
