"""The desired side: functions as the desired files declare them, and how they are identified."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from faasdrift.model.source import Position

# Fields of a function that faasdrift compares when the desired file declares them, in the order a
# report lists their changes: a function switched off by hand is the first thing to see.
COMPARED_FIELDS: tuple[str, ...] = (
    "disabled",
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
    "keys",
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


# (project_id, region_id, namespace): a namespace's identity, the unit a list request covers.
NamespaceKey = tuple[int, int, str]


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

    @property
    def namespace_key(self) -> NamespaceKey:
        """The namespace it lives in: one list request covers every function sharing it."""
        return (self.project_id, self.region_id, self.namespace)


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
    files: tuple[Path, ...] = ()  # every file read for it (desired and code files): its inputs
