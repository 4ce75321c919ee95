"""The gate's verdicts: what a deploy of the new files would do to each function, field by field.

Three states of every value: B, the desired files as last deployed (the *base*); L, live; N, the
new desired files. ``GateRun`` is to ``gate`` what ``CheckRun`` is to ``check``: built once, when
the run is over and its exit code decided (``judge.verdict``); reporters see only it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from faasdrift.model.desired import FunctionId, IgnoreRule
from faasdrift.model.memory import utc_text
from faasdrift.model.source import Position


class GateClass(Enum):
    """What a deploy of the new files means for a value (or a whole function)."""

    UNCHANGED = "unchanged"  # live is the base, the new files keep it
    DEPLOY = "deploy"  # the planned change: live is the base (or unmanaged), the files change it
    ADOPTED = "adopted"  # changed by hand, and the new files take the hand change in
    OVERWRITE = "overwrite"  # changed by hand; the deploy would revert it
    CONFLICT = "conflict"  # changed by hand and by the new files, differently
    RELEASED = "released"  # declared in the base only: no longer managed
    CREATE = "create"  # a function only the new files declare, not live
    DELETE = "delete"  # a function only the base declares, live: the deploy deletes it
    NOT_CHECKED = "not_checked"  # a function whose live state could not be read


# The classes a deploy must not go ahead with by default (``--fail-on overwrite,conflict``).
FAILING: frozenset[GateClass] = frozenset({GateClass.OVERWRITE, GateClass.CONFLICT})
# How a function's class is chosen from its values' classes: the first one found, in this order.
PRECEDENCE: tuple[GateClass, ...] = (
    GateClass.NOT_CHECKED,
    GateClass.CONFLICT,
    GateClass.OVERWRITE,
    GateClass.CREATE,
    GateClass.DELETE,
    GateClass.DEPLOY,
    GateClass.ADOPTED,
    GateClass.RELEASED,
    GateClass.UNCHANGED,
)


class Absent(Enum):
    """A value that is not there: not declared (base, new) or not set (live)."""

    VALUE = "absent"

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = Absent.VALUE


@dataclass(frozen=True)
class GateChange:
    """One value in its three states, and what a deploy means for it.

    ``base``, ``live`` and ``desired`` (the new files' value) are ``ABSENT`` where that side has
    none: a field the files do not declare, an env var not set. ``position`` is where the value
    stands in the new files (the function's entry when they do not declare it), or in the base
    for a function only the base declares.
    """

    path: str
    gate_class: GateClass
    base: Any
    live: Any
    desired: Any
    position: Position
    sensitive: bool = False


@dataclass(frozen=True)
class IgnoredGateChange:
    """An overwrite or conflict an ignore rule of the new files accepts: reported, not failing."""

    change: GateChange
    rule: IgnoreRule


@dataclass(frozen=True)
class GateFunction:
    """The gate's verdict on one function.

    ``gate_class`` is the function's own (created, deleted, deleted by hand, not checked) or the
    first of its changes' classes in ``PRECEDENCE``. ``in_base``/``in_new`` say which files
    declare it; ``source`` is the file ``position`` is in (the new one unless only the base
    declares it). ``reason`` explains a class that is the function's own.
    """

    identity: FunctionId
    gate_class: GateClass
    position: Position
    source: str
    in_base: bool
    in_new: bool
    changes: tuple[GateChange, ...] = ()
    ignored: tuple[IgnoredGateChange, ...] = ()
    reason: str | None = None

    @property
    def classes(self) -> frozenset[GateClass]:
        """Every class this function holds, its own and its changes' (the ignored ones aside)."""
        return frozenset({self.gate_class, *(change.gate_class for change in self.changes)})


@dataclass(frozen=True)
class GateResult:
    """The verdict on every selected function: overwrites and conflicts first, then not checked,
    then the rest in file order (the new files', then the base's)."""

    source: str  # the new files, as named on the command line
    base_source: str  # the base files: paths, or REF:path for --base-ref
    functions: tuple[GateFunction, ...]
    base_ref: str | None = None  # --base-ref as given
    base_commit: str | None = None  # the commit it named

    def count(self, gate_class: GateClass) -> int:
        """How many functions have this class."""
        return sum(1 for function in self.functions if function.gate_class is gate_class)

    def count_changes(self, gate_class: GateClass) -> int:
        """How many values (not ignored) have this class."""
        return sum(
            1
            for function in self.functions
            for change in function.changes
            if change.gate_class is gate_class
        )

    @property
    def ignored_count(self) -> int:
        return sum(len(function.ignored) for function in self.functions)

    def source_of(self, function: GateFunction) -> str:
        """The file a function's positions are in."""
        return function.source or self.source


@dataclass(frozen=True)
class GateRun:
    """One run of the gate, as every report shows it."""

    result: GateResult
    exit_code: int  # an ``errors.ExitCode``; the model does not import the error types
    generated_at: datetime
    retries: int = 0
    warnings: tuple[str, ...] = ()

    def own_tokens(self) -> frozenset[str]:
        """Texts of the report that are faasdrift's own (its date), kept by the last redaction."""
        return frozenset({utc_text(self.generated_at)})
