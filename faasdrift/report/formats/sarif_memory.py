"""SARIF's side of a run's memory: fingerprints, ``baselineState``, and the baseline's findings.

Every result carries its finding's fingerprint in ``partialFingerprints`` under ``faasdrift/v2``
(the same digest as the JSON report's ``fingerprint``: kind, function, path and live value).
``faasdrift/v1`` was the function and the path alone; it is still what a run built without
fingerprints gets, so a caller that makes its own runs keeps its old identities.

With --baseline every result has a ``baselineState``: ``new``, ``updated`` (a changed value),
``unchanged`` (known); a finding of the baseline that the run kept (its function could not be
checked tonight) is an ``unchanged`` result too, so a dashboard does not close it for a night;
a resolved one is an ``absent`` result, ``kind: pass``, ``level: none``, as SARIF has them.
GitHub code scanning reads neither ``kind`` nor ``baselineState``: the README's workflow
leaves the absent results out of what it uploads, and code scanning closes those alerts itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from faasdrift.model import (
    BaselineStatus,
    Carried,
    ChangeKind,
    CheckRun,
    FindingKey,
    FindingKind,
    FunctionId,
    FunctionResult,
    Memory,
)
from faasdrift.report.formats.memory_text import KIND_LABEL, age
from faasdrift.report.formats.values import printable

FINGERPRINT = "faasdrift/v2"
LEGACY_FINGERPRINT = "faasdrift/v1"  # the function and the path: for runs without a memory
STATE = {
    BaselineStatus.NEW: "new",
    BaselineStatus.CHANGED: "updated",
    BaselineStatus.KNOWN: "unchanged",
}
RULE_BY_KIND = {ChangeKind.CHANGED: "FD001", ChangeKind.ADDED: "FD002", ChangeKind.REMOVED: "FD003"}
RULE_BY_FINDING = {
    FindingKind.MISSING: "FD004",
    FindingKind.NOT_CHECKED: "FD005",
    FindingKind.UNMANAGED: "FD006",
}

# Builds one result: (function, rule id, message, key) -> the result, located at the function.
ResultMaker = Callable[[FunctionResult, str, str, FindingKey], dict[str, Any]]


def legacy_fingerprint(identity: FunctionId, path: str) -> str:
    key = json.dumps([identity.project_id, identity.region_id, identity.namespace, identity.name])
    return hashlib.sha256(f"{key}\n{path}".encode()).hexdigest()


def mark(result: dict[str, Any], memory: Memory | None, key: FindingKey) -> dict[str, Any]:
    """``result`` with its finding's fingerprint and, against a baseline, its state."""
    fingerprint = memory.fingerprint(key) if memory is not None else None
    if memory is None or fingerprint is None:
        legacy = legacy_fingerprint(key.identity, key.path)
        result["partialFingerprints"] = {LEGACY_FINGERPRINT: legacy}
        return result
    result["partialFingerprints"] = {FINGERPRINT: fingerprint.hex}
    finding = memory.finding(key)
    if memory.baseline is not None and finding is not None:
        result["baselineState"] = STATE[finding.status]
    return result


def rule_of(item: Carried) -> str:
    finding = item.finding
    if finding.change_kind is not None:
        return RULE_BY_KIND[finding.change_kind]
    return RULE_BY_FINDING[finding.key.kind]


def carried_results(
    run: CheckRun, make: ResultMaker, unlocated: Callable[[str, str], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """The baseline's findings the run kept (located at their function, which could not be
    checked) and resolved (at their function when the run has it)."""
    memory = run.memory
    if memory is None or memory.baseline is None:
        return
    functions: Mapping[FunctionId, FunctionResult] = {
        function.identity: function for function in run.result.functions
    }
    for item in memory.kept:
        function = functions.get(item.finding.key.identity)
        if function is not None:
            message = f"{_what(item)}: known since {age(memory, item.finding.first_seen)}, "
            result = make(
                function, rule_of(item), f"{message}kept: {item.reason}", item.finding.key
            )
            yield _carried(result, item, "unchanged")
    day = memory.baseline.day
    for item in memory.resolved:
        message = f"{_what(item)}: resolved since the baseline of {day}: {item.reason}"
        function = functions.get(item.finding.key.identity)
        if function is not None:
            result = make(function, rule_of(item), message, item.finding.key)
        else:
            result = unlocated(rule_of(item), message)
        result.update(kind="pass", level="none")
        yield _carried(result, item, "absent")


def _what(item: Carried) -> str:
    key = item.finding.key
    label = printable(key.identity.label)
    return f"{label}: {printable(key.path) if key.path else KIND_LABEL[key.kind]}"


def _carried(result: dict[str, Any], item: Carried, state: str) -> dict[str, Any]:
    fingerprint = item.finding.fingerprint
    if fingerprint is not None:
        result["partialFingerprints"] = {FINGERPRINT: fingerprint.hex}
    else:  # a baseline older than fingerprints: nothing to match it by but its place
        legacy = legacy_fingerprint(item.finding.key.identity, item.finding.key.path)
        result["partialFingerprints"] = {LEGACY_FINGERPRINT: legacy}
    result["baselineState"] = state
    return result
