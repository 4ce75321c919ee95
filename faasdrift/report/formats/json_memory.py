"""The JSON report's memory fields: fingerprints always, and against a baseline the rest.

Every finding carries its ``fingerprint`` (a change, or a missing, unmanaged or unchecked
function; an ignored difference too). With ``--baseline`` each also carries ``baseline``
(``new``, ``changed``, ``known``), ``first_seen``, ``value_since`` and ``overdue``, and the
report holds ``baseline`` (which report it compared with), ``resolved`` and ``kept`` (the
baseline's findings tonight resolved, or did not look at), ``history`` (the totals of up to 90
earlier runs) and ``totals.findings``. ``salt`` keys the sensitive fingerprints; the next run
carries it forward. ``report.baseline_file`` reads all of it back.
"""

from __future__ import annotations

from typing import Any

from faasdrift.model import (
    BaselineStatus,
    Carried,
    CheckRun,
    Finding,
    FindingKey,
    FindingKind,
    FunctionResult,
    FunctionStatus,
    Memory,
    RunTotals,
    utc_text,
)

FUNCTION_KINDS = {
    FunctionStatus.MISSING: FindingKind.MISSING,
    FunctionStatus.UNMANAGED: FindingKind.UNMANAGED,
    FunctionStatus.NOT_CHECKED: FindingKind.NOT_CHECKED,
}


def add_memory(document: dict[str, Any], run: CheckRun) -> None:
    """Add the memory of ``run`` to its report ``document`` (whose functions are in the
    result's order)."""
    memory = run.memory
    if memory is None:
        return
    for function, entry in zip(run.result.functions, document["functions"], strict=True):
        _mark_function(entry, function, memory)
    document["salt"] = memory.salt.hex()
    document["base_url"] = memory.base_url
    used = memory.baseline
    if used is None:
        return
    document["totals"]["findings"] = finding_totals(memory)
    document["baseline"] = {
        "path": used.path,
        "generated_at": utc_text(used.generated_at) if used.generated_at else None,
        "source": used.source,
    }
    document["resolved"] = [carried(item) for item in memory.resolved]
    document["kept"] = [carried(item) for item in memory.kept]
    document["history"] = [history_entry(totals) for totals in memory.history]


def finding_totals(memory: Memory) -> dict[str, int]:
    """Findings, not functions: a function may hold several."""
    return {
        **{status.value: memory.count(status) for status in BaselineStatus},
        "resolved": len(memory.resolved),
        "kept": len(memory.kept),
    }


def _mark_function(entry: dict[str, Any], function: FunctionResult, memory: Memory) -> None:
    identity = function.identity
    kind = FUNCTION_KINDS.get(function.status)
    if kind is not None:
        _mark(entry, memory.finding(FindingKey(kind, identity)), memory)
    for change, item in zip(function.changes, entry["changes"], strict=True):
        _mark(item, memory.finding(FindingKey(FindingKind.VALUE, identity, change.path)), memory)
    for ignored, item in zip(function.ignored, entry["ignored"], strict=True):
        fingerprint = memory.fingerprint(
            FindingKey(FindingKind.VALUE, identity, ignored.change.path)
        )
        if fingerprint is not None:
            item["fingerprint"] = fingerprint.hex
    state = memory.state_of(identity)
    if function.status is FunctionStatus.DRIFTED and state is not None:
        entry["baseline"] = state.value


def _mark(entry: dict[str, Any], finding: Finding | None, memory: Memory) -> None:
    if finding is None:
        return
    entry["fingerprint"] = finding.fingerprint.hex
    if memory.baseline is None:
        return
    entry["baseline"] = finding.status.value
    entry["first_seen"] = finding.first_seen.isoformat()
    entry["value_since"] = finding.value_since.isoformat()
    entry["overdue"] = finding.overdue


def carried(item: Carried) -> dict[str, Any]:
    """A resolved or kept finding of the baseline: where it was, its fingerprint, its dates."""
    finding = item.finding
    identity = finding.key.identity
    return {
        "project_id": identity.project_id,
        "region_id": identity.region_id,
        "namespace": identity.namespace,
        "name": identity.name,
        "finding": finding.key.kind.value,
        "path": finding.key.path or None,
        "kind": finding.change_kind.value if finding.change_kind else None,
        "fingerprint": finding.fingerprint.hex if finding.fingerprint else None,
        "sensitive": finding.sensitive,
        "first_seen": finding.first_seen.isoformat(),
        "value_since": finding.value_since.isoformat(),
        "reason": item.reason,
    }


def history_entry(totals: RunTotals) -> dict[str, Any]:
    return {
        "date": totals.generated_at.date().isoformat(),
        "generated_at": utc_text(totals.generated_at),
        "in_sync": totals.in_sync,
        "drifted": totals.drifted,
        "missing": totals.missing,
        "not_checked": totals.not_checked,
        "unmanaged": totals.unmanaged,
        "new": totals.new,
        "changed": totals.changed,
        "known": totals.known,
        "resolved": totals.resolved,
    }
