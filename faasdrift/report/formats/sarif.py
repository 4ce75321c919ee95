"""SARIF 2.1.0 for code-scanning dashboards: one result per drifted value, at its line.

Rule ids are part of the contract (dashboards group and dismiss by them): never rename one.
``partialFingerprints`` hold each finding's fingerprint (``sarif_memory``): its function, field
and live value, not the line, so the nightly audit's uploads deduplicate even after the desired
file is edited above the value, and a new live value is a new result.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from faasdrift import __version__
from faasdrift.model import (
    CheckRun,
    FindingKey,
    FindingKind,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    GateRun,
    Memory,
    Position,
)
from faasdrift.report.formats.base import Reporter
from faasdrift.report.formats.lines import UNMANAGED_REASON, change_text, missing_reason
from faasdrift.report.formats.sarif_memory import RULE_BY_KIND, carried_results, mark
from faasdrift.report.formats.values import json_document, printable

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

# (id, name, level, short description); a rule per kind of drift and per function outcome.
RULES: tuple[tuple[str, str, str, str], ...] = (
    ("FD001", "ValueChanged", "error", "A declared value differs from the live one."),
    ("FD002", "ValueNotLive", "error", "A declared value is not set on the live function."),
    ("FD003", "ValueNotDeclared", "error", "A live value is not in the desired file."),
    ("FD004", "FunctionMissing", "error", "A declared function does not exist in Gcore."),
    ("FD005", "FunctionNotChecked", "warning", "A declared function could not be checked."),
    ("FD006", "FunctionUnmanaged", "error", "A live function is not declared in any desired file."),
)
LEVEL_BY_RULE = {rule_id: level for rule_id, _, level, _ in RULES}


class SarifReporter(Reporter):
    name = "sarif"
    description = "SARIF 2.1.0 for code scanning (one result per drifted value)"
    file_suffix = ".sarif"
    guards_commands = True

    def render(self, run: CheckRun) -> str:
        return json_document(sarif_log(run)) + "\n"


def sarif_log(run: CheckRun) -> dict[str, Any]:
    result, memory = run.result, run.memory
    results = [
        item
        for function in result.functions
        for item in _results(function, result.source_of(function), memory)
    ]

    def at_function(function: FunctionResult, rule: str, text: str, key: FindingKey) -> Any:
        where, source = function.position, result.source_of(function)
        return _result(function, rule, text, source=source, where=where, key=key, memory=None)

    results += carried_results(run, at_function, _unlocated)
    return log_of(RULES, results, run)


def log_of(
    rules: tuple[tuple[str, str, str, str], ...],
    results: list[dict[str, Any]],
    run: CheckRun | GateRun,
) -> dict[str, Any]:
    """The SARIF log of one run: its tool with ``rules``, its ``results``, its invocation."""
    sarif_run = {
        "tool": {"driver": driver(rules)},
        "results": results,
        "invocations": [invocation(run)],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [sarif_run]}


def driver(table: tuple[tuple[str, str, str, str], ...]) -> dict[str, Any]:
    """The tool and its rules, from a table of (id, name, level, short description)."""
    rules = [
        {
            "id": rule_id,
            "name": name,
            "shortDescription": {"text": text},
            "defaultConfiguration": {"level": level},
        }
        for rule_id, name, level, text in table
    ]
    return {"name": "faasdrift", "version": __version__, "rules": rules}


def invocation(run: CheckRun | GateRun) -> dict[str, Any]:
    return {
        "executionSuccessful": True,
        "exitCode": int(run.exit_code),
        "endTimeUtc": run.generated_at.isoformat().replace("+00:00", "Z"),
    }


def _results(function: FunctionResult, source: str, memory: Memory | None) -> list[dict[str, Any]]:
    label, at = printable(function.identity.label), function.position
    if function.status is FunctionStatus.MISSING:
        message = f"{label}: missing: {missing_reason(function)}"
        key = FindingKey(FindingKind.MISSING, function.identity)
        return [
            _result(function, "FD004", message, source=source, where=at, key=key, memory=memory)
        ]
    if function.status is FunctionStatus.NOT_CHECKED:
        message = f"{label}: not checked: {printable(function.reason or 'no reason given')}"
        key = FindingKey(FindingKind.NOT_CHECKED, function.identity)
        return [
            _result(function, "FD005", message, source=source, where=at, key=key, memory=memory)
        ]
    if function.status is FunctionStatus.UNMANAGED:  # located at its namespace's first function
        message = f"{label}: unmanaged: {UNMANAGED_REASON}"
        key = FindingKey(FindingKind.UNMANAGED, function.identity)
        return [
            _result(function, "FD006", message, source=source, where=at, key=key, memory=memory)
        ]
    return [*_drift_results(function, source, memory), *_ignored_results(function, source, memory)]


def _value_key(function: FunctionResult, path: str) -> FindingKey:
    return FindingKey(FindingKind.VALUE, function.identity, path)


def _ignored_results(
    function: FunctionResult, source: str, memory: Memory | None
) -> list[dict[str, Any]]:
    """Accepted differences as suppressed results: dashboards show them as dismissed, in source."""
    results = []
    label = printable(function.identity.label)
    for item in function.ignored:
        change = item.change
        message = f"{label}: {change_text(change, standalone=True)}"
        rule_id, at, key = (
            RULE_BY_KIND[change.kind],
            change.position,
            _value_key(function, change.path),
        )
        found = _result(function, rule_id, message, source=source, where=at, key=key, memory=memory)
        justification = printable(item.rule.reason)
        found["suppressions"] = [{"kind": "inSource", "justification": justification}]
        results.append(found)
    return results


def _drift_results(
    function: FunctionResult, source: str, memory: Memory | None
) -> list[dict[str, Any]]:
    label = printable(function.identity.label)
    return [
        _result(
            function,
            RULE_BY_KIND[change.kind],
            f"{label}: {change_text(change, standalone=True)}",
            source=source,
            where=change.position,
            key=_value_key(function, change.path),
            memory=memory,
        )
        for change in function.changes
    ]


def _unlocated(rule_id: str, message: str) -> dict[str, Any]:
    """A result with no place in the desired files (a resolved finding of a function that is
    declared no more)."""
    return {
        "ruleId": rule_id,
        "ruleIndex": [rule[0] for rule in RULES].index(rule_id),
        "level": LEVEL_BY_RULE[rule_id],
        "message": {"text": message},
    }


def _result(
    function: FunctionResult,
    rule_id: str,
    message: str,
    *,
    source: str,
    where: Position,
    key: FindingKey,
    memory: Memory | None,
) -> dict[str, Any]:
    identity = function.identity
    located = {
        **_unlocated(rule_id, message),
        "locations": [location(identity, source, where)],
    }
    return mark(located, memory, key)


def location(identity: FunctionId, source: str, where: Position) -> dict[str, Any]:
    """Where a result stands: a line of a desired file, in a function."""
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(source)},
            "region": {"startLine": where.line, "startColumn": where.column},
        },
        "logicalLocations": [{"fullyQualifiedName": _qualified(identity), "kind": "function"}],
    }


def _qualified(identity: FunctionId) -> str:
    return f"{identity.project_id}/{identity.region_id}/{identity.label}"


def artifact_uri(source: str) -> str:
    """The desired file as a URI reference: a relative path stays relative to the checkout."""
    path = PurePosixPath(source)
    return path.as_uri() if path.is_absolute() else quote(source)
