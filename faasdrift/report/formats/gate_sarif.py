"""The gate as SARIF 2.1.0: one result per hand change the deploy would lose, at its line in the
new files (where the overwrite would happen).

Only what stops a deploy is a result: overwrites and conflicts (errors), functions the deploy
would recreate (errors) and functions not checked (warnings); accepted ones are suppressed
results with the rule's reason. Rule ids are a contract like check's (``FD1xx`` for the gate,
never reused); fingerprints hash the function, the value's path and the rule, not the line.
"""

from __future__ import annotations

from typing import Any

from faasdrift.model import (
    GateChange,
    GateClass,
    GateFunction,
    GateRun,
    IgnoredGateChange,
    Position,
)
from faasdrift.report.formats.base import GateReporter
from faasdrift.report.formats.gate_lines import class_name, standalone_text
from faasdrift.report.formats.sarif import SarifReporter, location, log_of
from faasdrift.report.formats.sarif_memory import LEGACY_FINGERPRINT, legacy_fingerprint
from faasdrift.report.formats.values import json_document, printable

GATE_RULES: tuple[tuple[str, str, str, str], ...] = (
    ("FD101", "HandChangeOverwritten", "error", "The deploy would revert a value changed by hand."),
    (
        "FD102",
        "HandChangeConflict",
        "error",
        "A value changed by hand is changed differently by the new files.",
    ),
    (
        "FD103",
        "DeletedFunctionRecreated",
        "error",
        "The deploy would recreate a function deleted by hand.",
    ),
    (
        "FD104",
        "FunctionNotChecked",
        "warning",
        "A function could not be checked: the gate cannot pass.",
    ),
)
RULE_BY_CLASS = {GateClass.OVERWRITE: "FD101", GateClass.CONFLICT: "FD102"}
LEVEL_BY_RULE = {rule_id: level for rule_id, _, level, _ in GATE_RULES}
INDEX_BY_RULE = {rule[0]: index for index, rule in enumerate(GATE_RULES)}


class SarifGateReporter(SarifReporter, GateReporter):
    def render_gate(self, run: GateRun) -> str:
        return json_document(gate_sarif_log(run)) + "\n"


def gate_sarif_log(run: GateRun) -> dict[str, Any]:
    result = run.result
    results = [
        item
        for function in result.functions
        for item in _results(function, result.source_of(function))
    ]
    return log_of(GATE_RULES, results, run)


def _results(function: GateFunction, source: str) -> list[dict[str, Any]]:
    label = printable(function.identity.label)
    reason = printable(function.reason or "")
    if function.gate_class is GateClass.NOT_CHECKED:
        message = f"{label}: not checked: {reason or 'no reason given'}"
        return [_result(function, "FD104", message, source, function.position, "")]
    results = []
    if function.gate_class is GateClass.OVERWRITE and not function.changes:  # deleted by hand
        message = f"{label}: {class_name(function.gate_class)}: {reason}"
        results.append(_result(function, "FD103", message, source, function.position, ""))
    # A planned change, or one that loses nothing, is not a finding.
    lost = [change for change in function.changes if change.gate_class in RULE_BY_CLASS]
    results += [_value(function, change, source) for change in lost]
    results += [_suppressed(function, item, source) for item in function.ignored]
    return results


def _value(function: GateFunction, change: GateChange, source: str) -> dict[str, Any]:
    rule_id = RULE_BY_CLASS[change.gate_class]
    message = f"{printable(function.identity.label)}: {standalone_text(change)}"
    return _result(function, rule_id, message, source, change.position, change.path)


def _suppressed(function: GateFunction, item: IgnoredGateChange, source: str) -> dict[str, Any]:
    found = _value(function, item.change, source)
    found["suppressions"] = [{"kind": "inSource", "justification": printable(item.rule.reason)}]
    return found


def _result(  # noqa: PLR0917 - every part of a result, positionally
    function: GateFunction, rule_id: str, message: str, source: str, where: Position, path: str
) -> dict[str, Any]:
    identity = function.identity
    return {
        "ruleId": rule_id,
        "ruleIndex": INDEX_BY_RULE[rule_id],
        "level": LEVEL_BY_RULE[rule_id],
        "message": {"text": message},
        "locations": [location(identity, source, where)],
        "partialFingerprints": {
            LEGACY_FINGERPRINT: legacy_fingerprint(identity, f"gate:{rule_id}:{path}")
        },
    }
