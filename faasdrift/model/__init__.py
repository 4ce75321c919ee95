"""Every type passed between the stages of the pipeline, and nothing else.

desired file -> ``DesiredState`` -> ``Fetched`` (a ``LiveResult`` per function) -> ``DriftResult``
-> judged -> ``CheckRun`` -> reports. All frozen: a stage never mutates what an earlier stage
produced. The model imports nothing of faasdrift's outside this package, so every stage can use it.
"""

from __future__ import annotations

from faasdrift.model.change_kind import ChangeKind
from faasdrift.model.desired import (
    COMPARED_FIELDS,
    READ_ONLY_FIELDS,
    DesiredFunction,
    DesiredState,
    FunctionId,
    IgnoreRule,
    NamespaceKey,
)
from faasdrift.model.live import Failure, Fetched, FunctionList, LiveResult, LiveStatus
from faasdrift.model.memory import (
    HISTORY_LIMIT,
    Baseline,
    BaselineStatus,
    BaselineUsed,
    Carried,
    Finding,
    FindingKey,
    FindingKind,
    Fingerprint,
    Memory,
    Remembered,
    RunTotals,
    utc_text,
)
from faasdrift.model.result import (
    Change,
    CheckRun,
    DriftResult,
    FunctionResult,
    FunctionStatus,
    IgnoredChange,
)
from faasdrift.model.source import Position, Problem

__all__ = [
    "COMPARED_FIELDS",
    "HISTORY_LIMIT",
    "READ_ONLY_FIELDS",
    "Baseline",
    "BaselineStatus",
    "BaselineUsed",
    "Carried",
    "Change",
    "ChangeKind",
    "CheckRun",
    "DesiredFunction",
    "DesiredState",
    "DriftResult",
    "Failure",
    "Fetched",
    "Finding",
    "FindingKey",
    "FindingKind",
    "Fingerprint",
    "FunctionId",
    "FunctionList",
    "FunctionResult",
    "FunctionStatus",
    "IgnoreRule",
    "IgnoredChange",
    "LiveResult",
    "LiveStatus",
    "Memory",
    "NamespaceKey",
    "Position",
    "Problem",
    "Remembered",
    "RunTotals",
    "utc_text",
]
