"""The verdicts: what differs per function, a check's result, and the run that produced it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from faasdrift.model.change_kind import ChangeKind
from faasdrift.model.desired import FunctionId, IgnoreRule
from faasdrift.model.memory import Memory, utc_text
from faasdrift.model.source import Position


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
    """The judged verdict on every selected function, in desired-file order."""

    source: str
    functions: tuple[FunctionResult, ...]
    unmanaged_checked: bool = False  # whether --unmanaged looked for undeclared live functions

    def count(self, status: FunctionStatus) -> int:
        return sum(1 for result in self.functions if result.status is status)

    @property
    def ignored_count(self) -> int:
        return sum(len(result.ignored) for result in self.functions)

    def source_of(self, function: FunctionResult) -> str:
        """The desired file a function's positions are in."""
        return function.source or self.source


@dataclass(frozen=True)
class CheckRun:
    """One run of a check, as every report shows it: the result and the facts of the run.

    Built once, when the run is over and its exit code decided (``judge.verdict``), so no field
    ever holds a placeholder. Reporters see only this.
    """

    result: DriftResult
    exit_code: int  # an ``errors.ExitCode``; the model does not import the error types
    generated_at: datetime
    retries: int = 0  # how many retries the requests took, over the whole run
    # Lines for stderr: stale or expired ignore rules, namespaces whose unmanaged functions are
    # unknown, --only patterns that select nothing.
    warnings: tuple[str, ...] = ()
    # The findings' fingerprints and, with --baseline, how they compare (None: a run built
    # without them, whose reports carry no fingerprint).
    memory: Memory | None = None

    def own_tokens(self) -> frozenset[str]:
        """Texts of the report that are faasdrift's own digests and dates (``Memory.tokens``)."""
        own = {utc_text(self.generated_at)}
        return frozenset(own | self.memory.tokens()) if self.memory else frozenset(own)
