"""Which functions a check looks at: ``--only`` and ``--exclude``.

Filters select functions by ``namespace/name`` with shell patterns (``fnmatch``, case-sensitive;
``*`` also matches ``/``) before anything is fetched. An ``--only`` pattern that selects no
declared function is a warning: it is most likely a typo, and a check of nothing passes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fnmatch import fnmatchcase

from faasdrift.model import (
    DesiredState,
    FunctionId,
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
