"""Which functions a check looks at: ``--only``/``--exclude``, and the unmanaged ones.

Filters select functions by ``namespace/name`` with shell patterns (``fnmatch``, case-sensitive;
``*`` also matches ``/``) before anything is fetched. An ``--only`` pattern that selects no
declared function is a warning: it is most likely a typo, and a check of nothing passes.

Unmanaged functions are live in a (project, region, namespace) that a selected declared function
uses, yet declared nowhere; they are subject to the same filters. They are found in the namespace
lists the fetch stage made. When a list failed, or its pages contradicted themselves, the answer
for that namespace is unknown, and the check says so instead of claiming there are none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

from faasdrift.live.answers import Failure, FunctionList
from faasdrift.live.fetch import NamespaceKey
from faasdrift.model import (
    DesiredFunction,
    DesiredState,
    FunctionId,
    FunctionResult,
    FunctionStatus,
)


@dataclass(frozen=True)
class Scope:
    """The ``--only`` and ``--exclude`` patterns; with neither, every function is selected."""

    only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def selects(self, identity: FunctionId) -> bool:
        label = identity.label
        if self.only and not any(fnmatchcase(label, pattern) for pattern in self.only):
            return False
        return not any(fnmatchcase(label, pattern) for pattern in self.exclude)


def narrow(state: DesiredState, scope: Scope) -> tuple[DesiredState, list[str]]:
    """``state`` with the selected functions only, and a warning per ``--only`` selecting none."""
    functions = tuple(function for function in state.functions if scope.selects(function.identity))
    labels = [function.identity.label for function in state.functions]
    warnings = [
        f"--only {pattern!r} matches no declared function"
        for pattern in scope.only
        if not any(fnmatchcase(label, pattern) for label in labels)
    ]
    return dataclasses.replace(state, functions=functions), warnings


@dataclass(frozen=True)
class Unmanaged:
    """Undeclared live functions, and the namespaces where they could not be looked for."""

    functions: tuple[FunctionResult, ...]
    unknown: tuple[str, ...]  # one warning per namespace whose answer is unknown


def find_unmanaged(
    state: DesiredState,
    listings: Mapping[NamespaceKey, FunctionList | Failure],
    scope: Scope,
) -> Unmanaged:
    """The live functions of the state's namespaces that no declared function names."""
    declared = {function.identity for function in state.functions}
    found: list[FunctionResult] = []
    unknown: list[str] = []
    for key, first in _first_by_namespace(state.functions).items():
        where = "/".join(map(str, key))
        listing = listings.get(key)
        if listing is None or isinstance(listing, Failure):
            reason = "it was not listed" if listing is None else listing.reason
            unknown.append(f"unmanaged functions in {where} not checked: {reason}")
            continue
        if not listing.complete:
            unknown.append(
                f"unmanaged functions in {where} may be incomplete: its list pages disagreed"
            )
        for name in sorted(listing.items):
            identity = FunctionId(*key, name)
            if identity not in declared and scope.selects(identity):
                found.append(_unmanaged(identity, first))
    return Unmanaged(tuple(found), tuple(unknown))


def _first_by_namespace(
    functions: Iterable[DesiredFunction],
) -> dict[NamespaceKey, DesiredFunction]:
    first: dict[NamespaceKey, DesiredFunction] = {}
    for function in functions:
        identity = function.identity
        first.setdefault((identity.project_id, identity.region_id, identity.namespace), function)
    return first


def _unmanaged(identity: FunctionId, first: DesiredFunction) -> FunctionResult:
    # It has no line of its own: reports point at the first declared function of its namespace,
    # the place that made the check look there.
    return FunctionResult(identity, FunctionStatus.UNMANAGED, first.position, source=first.source)
