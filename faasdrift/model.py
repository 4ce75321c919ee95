"""Plain data passed between the pipeline stages.

desired file -> ``DesiredState`` -> ``LiveResult`` per function -> ``DriftResult`` -> reporter.
All frozen: a stage never mutates what an earlier stage produced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from faasdrift.errors import Position

# Fields of a function that faasdrift compares when the desired file declares them.
COMPARED_FIELDS: tuple[str, ...] = (
    "code_text",
    "envs",
    "flavor",
    "timeout",
    "autoscaling",
    "dependencies",
    "runtime",
    "main_method",
    "description",
    "enable_api_key",
)

# Fields the API computes; they are never drift and are refused in a desired file.
READ_ONLY_FIELDS: tuple[str, ...] = (
    "id",
    "status",
    "build_status",
    "build_message",
    "deploy_status",
    "endpoint",
    "created_at",
)


@dataclass(frozen=True, order=True)
class FunctionId:
    """What identifies a function in Gcore: project, region, namespace, name."""

    project_id: int
    region_id: int
    namespace: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True)
class IgnoreRule:
    """An accepted difference: changes at ``path`` are reported as ignored, not as drift.

    ``path`` is a dotted pattern (``envs.BUILD_ID``, ``envs.*_AT``) matched one segment at a
    time (see ``ignores``). ``until`` is the last day the rule holds; ``source`` and ``position``
    say where the rule is written, for warnings.
    """

    path: str
    reason: str
    source: str
    position: Position
    until: date | None = None


@dataclass(frozen=True)
class DesiredFunction:
    """One function as the desired file declares it, defaults applied and code_file read.

    ``fields`` holds only the declared compared fields (``code_file`` already turned into
    ``code_text``). ``positions`` maps a dotted path (``timeout``, ``envs``, ``envs.LOG_LEVEL``,
    ``autoscaling.max_instances``) to where its value stands in the desired file.
    ``sensitive`` names env vars whose values must never be shown beyond the name pattern: those
    listed under ``sensitive:`` and those whose value came from ``${VAR}`` interpolation.
    ``sensitive_paths`` holds the dotted path of every value, in any field, that came from
    ``${VAR}``: a change at, inside or around one of them is never shown.
    """

    identity: FunctionId
    fields: Mapping[str, Any]
    position: Position
    positions: Mapping[str, Position] = field(default_factory=dict)
    sensitive: frozenset[str] = frozenset()
    # The rules that apply to it: its own, then its file's top-level ones.
    ignore: tuple[IgnoreRule, ...] = ()
    source: str = ""  # the desired file it is declared in (several files may be checked at once)
    sensitive_paths: frozenset[str] = frozenset()

    def position_of(self, path: str) -> Position:
        """The closest declared position for a dotted path, falling back to the entry."""
        parts = path.split(".")
        while parts:
            found = self.positions.get(".".join(parts))
            if found is not None:
                return found
            parts.pop()
        return self.position


@dataclass(frozen=True)
class DesiredState:
    """A validated desired-state file (or several: ``source`` then names them all)."""

    source: str
    functions: tuple[DesiredFunction, ...]
    ignore: tuple[IgnoreRule, ...] = ()  # the top-level rules, also in each function's ``ignore``


class LiveStatus(Enum):
    FOUND = "found"
    MISSING = "missing"
    ERROR = "error"


@dataclass(frozen=True)
class LiveResult:
    """What the API said of one function: its fields, that it is missing, or why we can't tell."""

    identity: FunctionId
    status: LiveStatus
    data: Mapping[str, Any] | None = None
    reason: str | None = None


class ChangeKind(Enum):
    CHANGED = "changed"
    ADDED = "added"  # declared, not live: applying the file would add it
    REMOVED = "removed"  # live, not declared: applying the file would remove it


@dataclass(frozen=True)
class Change:
    """One drifted value, in the direction live -> desired."""

    path: str
    kind: ChangeKind
    desired: Any
    live: Any
    position: Position
    sensitive: bool = False


class FunctionStatus(Enum):
    IN_SYNC = "in_sync"
    DRIFTED = "drifted"
    MISSING = "missing"
    NOT_CHECKED = "not_checked"
    UNMANAGED = "unmanaged"  # live in a namespace the desired file uses, but not declared


@dataclass(frozen=True)
class IgnoredChange:
    """A difference an ignore rule accepted: not drift, but still reported."""

    change: Change
    rule: IgnoreRule


@dataclass(frozen=True)
class FunctionResult:
    """The verdict on one function. ``source`` is the desired file ``position`` is in."""

    identity: FunctionId
    status: FunctionStatus
    position: Position
    changes: tuple[Change, ...] = ()
    reason: str | None = None
    ignored: tuple[IgnoredChange, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class DriftResult:
    """The outcome of one check, in desired-file order. Reporters see only this.

    The drift engine fills ``source`` and ``functions``; the check stage then adds what only it
    knows (the exit code, when the run happened, how many retries it took) with
    ``dataclasses.replace``, so every format can report the same facts.
    """

    source: str
    functions: tuple[FunctionResult, ...]
    exit_code: int = 0
    generated_at: datetime | None = None
    retries: int = 0
    # Lines for stderr: stale ignore rules, namespaces whose unmanaged functions are unknown.
    warnings: tuple[str, ...] = ()
    unmanaged_checked: bool = False  # whether --unmanaged looked for undeclared live functions

    def count(self, status: FunctionStatus) -> int:
        return sum(1 for result in self.functions if result.status is status)

    @property
    def ignored_count(self) -> int:
        return sum(len(result.ignored) for result in self.functions)

    def source_of(self, function: FunctionResult) -> str:
        """The desired file a function's positions are in."""
        return function.source or self.source
