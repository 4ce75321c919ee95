"""Every type passed between the stages of the pipeline, and nothing else.

desired file -> ``DesiredState`` -> ``Fetched`` (a ``LiveResult`` per function) -> ``DriftResult``
-> judged -> ``CheckRun`` -> reports; ``gate`` judges two desired states and one fetch into a
``GateRun``. All frozen: a stage never mutates what an earlier stage produced. The model imports
nothing of faasdrift's outside this package, so every stage can use it.
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
from faasdrift.model.gate import (
    ABSENT,
    FAILING,
    PRECEDENCE,
    Absent,
    GateChange,
    GateClass,
    GateFunction,
    GateResult,
    GateRun,
    IgnoredGateChange,
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
    "ABSENT",
    "COMPARED_FIELDS",
    "FAILING",
    "HISTORY_LIMIT",
    "PRECEDENCE",
    "READ_ONLY_FIELDS",
    "Absent",
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
    "GateChange",
    "GateClass",
    "GateFunction",
    "GateResult",
    "GateRun",
    "IgnoreRule",
    "IgnoredChange",
    "IgnoredGateChange",
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
