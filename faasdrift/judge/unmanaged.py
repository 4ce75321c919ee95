"""Unmanaged functions: live in a namespace the desired files use, yet declared nowhere.

They are looked for in the namespaces (project, region, namespace) of the selected declared
functions, and are subject to the same filters. They are found in the namespace lists the fetch
stage made. When a list failed, or contradicted itself (pages that disagree, a name given twice,
an item of another namespace), the answer for that namespace is unknown, and the check says so
instead of claiming there are none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from faasdrift.judge.scope import Scope
from faasdrift.model import (
    DesiredFunction,
    DesiredState,
    Failure,
    FunctionId,
    FunctionList,
    FunctionResult,
    FunctionStatus,
    NamespaceKey,
)


@dataclass(frozen=True)
class Unmanaged:
    """Undeclared live functions, and the namespaces where they could not be looked for."""

    functions: tuple[FunctionResult, ...]
    unknown: tuple[str, ...]  # one warning per namespace whose answer is unknown
    # The namespaces listed whole: there, a name absent from the list is not live (a baseline's
    # unmanaged function that is gone is resolved only in one of them).
    listed: frozenset[NamespaceKey] = frozenset()


def find_unmanaged(
    state: DesiredState,
    listings: Mapping[NamespaceKey, FunctionList | Failure],
    scope: Scope,
) -> Unmanaged:
    """The live functions of the state's namespaces that no declared function names."""
    declared = {function.identity for function in state.functions}
    found: list[FunctionResult] = []
    unknown: list[str] = []
    listed: set[NamespaceKey] = set()
    for key, first in _first_by_namespace(state.functions).items():
        where = "/".join(map(str, key))
        listing = listings.get(key)
        if listing is None or isinstance(listing, Failure):
            reason = "it was not listed" if listing is None else listing.reason
            unknown.append(f"unmanaged functions in {where} not checked: {reason}")
            continue
        if not listing.complete:
            unknown.append(
                f"unmanaged functions in {where} may be incomplete: its list contradicted itself"
            )
        else:
            listed.add(key)
        # A name the list gave twice exists all the same: only its content is in doubt.
        for name in sorted({*listing.items, *listing.repeated}):
            identity = FunctionId(*key, name)
            if identity not in declared and scope.selects(identity):
                found.append(_unmanaged(identity, first))
    return Unmanaged(tuple(found), tuple(unknown), frozenset(listed))


def _first_by_namespace(
    functions: Iterable[DesiredFunction],
) -> dict[NamespaceKey, DesiredFunction]:
    first: dict[NamespaceKey, DesiredFunction] = {}
    for function in functions:
        first.setdefault(function.identity.namespace_key, function)
    return first


def _unmanaged(identity: FunctionId, first: DesiredFunction) -> FunctionResult:
    # It has no line of its own: reports point at the first declared function of its namespace,
    # the place that made the check look there.
    return FunctionResult(identity, FunctionStatus.UNMANAGED, first.position, source=first.source)
