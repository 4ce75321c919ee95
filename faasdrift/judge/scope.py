"""Which functions a check looks at: ``--only`` and ``--exclude``.

Filters select functions by ``namespace/name`` with shell patterns (``fnmatch``, case-sensitive;
``*`` also matches ``/``) before anything is fetched. A check of nothing must not pass CI, so a
scope that selects nothing is a usage error (exit 2), raised before any request: an ``--only``
pattern that selects no declared function (most likely a typo: the message names the closest
``namespace/name``), or an ``--exclude`` that leaves nothing to check.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from faasdrift.errors import UsageError
from faasdrift.model import DesiredState, FunctionId

_SHOWN_LABELS = 5  # declared functions a message lists when no name is close to a pattern


class ScopeError(UsageError):
    """``--only``/``--exclude`` select nothing to check."""


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


def narrow(state: DesiredState, scope: Scope) -> DesiredState:
    """``state`` with the selected functions only; ``ScopeError`` when that is nothing to check
    (or an ``--only`` pattern selects no declared function)."""
    if not state.functions:  # an empty file checks nothing: a green CI run would claim otherwise
        raise ScopeError(f"{state.source} declares no function: there is nothing to check")
    labels = [function.identity.label for function in state.functions]
    unmatched = [
        pattern
        for pattern in scope.only
        if not any(fnmatchcase(label, pattern) for label in labels)
    ]
    if unmatched:
        raise ScopeError("\n".join(_selects_nothing(pattern, labels) for pattern in unmatched))
    functions = tuple(function for function in state.functions if scope.selects(function.identity))
    if state.functions and not functions:
        patterns = " ".join(f"--exclude {pattern!r}" for pattern in scope.exclude)
        selected = "every function --only selects" if scope.only else "every declared function"
        raise ScopeError(f"{patterns} leaves nothing to check: it excludes {selected}")
    return dataclasses.replace(state, functions=functions)


def _selects_nothing(pattern: str, labels: Sequence[str]) -> str:
    message = f"--only {pattern!r} selects no declared function"
    close = difflib.get_close_matches(pattern, labels, n=1, cutoff=0.3)
    if close:
        return f"{message} (did you mean {close[0]!r}?)"
    shown = ", ".join(labels[:_SHOWN_LABELS]) + (", …" if len(labels) > _SHOWN_LABELS else "")
    return f"{message} (declared: {shown})"
