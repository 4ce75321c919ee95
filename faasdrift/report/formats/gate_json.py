"""The gate's versioned JSON report (``"kind": "gate"``), described by
``schemas/gate-report.schema.json``.

The same promises as the check report: fields may be added within a ``format_version``, never
renamed, removed or given another meaning; a sensitive value carries no ``base``, ``live`` or
``desired`` key at all; a side that has no value (not declared, not set) has no key either; values
are cut past the same budget (``"cut": true``).
"""

from __future__ import annotations

from typing import Any

from faasdrift import __version__
from faasdrift.model import ABSENT, GateChange, GateClass, GateFunction, GateRun, IgnoredGateChange
from faasdrift.report.formats.base import GateReporter
from faasdrift.report.formats.json_report import (
    FORMAT_VERSION,
    JsonReporter,
    identity_document,
    rule_document,
    within_budget,
)
from faasdrift.report.formats.values import json_document

KIND = "gate"
VALUE_CLASSES = (
    GateClass.CONFLICT,
    GateClass.OVERWRITE,
    GateClass.DEPLOY,
    GateClass.ADOPTED,
    GateClass.RELEASED,
    GateClass.DELETE,
)


class JsonGateReporter(JsonReporter, GateReporter):
    def render_gate(self, run: GateRun) -> str:
        return json_document(gate_document(run)) + "\n"


def gate_document(run: GateRun) -> dict[str, Any]:
    """The gate report as plain JSON data."""
    result = run.result
    return {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "tool": {"name": "faasdrift", "version": __version__},
        "generated_at": run.generated_at.isoformat().replace("+00:00", "Z"),
        "source": result.source,
        "base": {
            "source": result.base_source,
            "ref": result.base_ref,
            "commit": result.base_commit,
        },
        "exit_code": int(run.exit_code),
        "retries": run.retries,
        "totals": {
            "functions": len(result.functions),
            **{name.value: result.count(name) for name in GateClass},
            "values": {name.value: result.count_changes(name) for name in VALUE_CLASSES},
            "ignored": result.ignored_count,
        },
        "functions": within_budget(
            [_function(function, result.source_of(function)) for function in result.functions],
            ("base", "live", "desired"),
        ),
        "warnings": list(run.warnings),
    }


def _function(function: GateFunction, source: str) -> dict[str, Any]:
    return {
        **identity_document(function.identity),
        "class": function.gate_class.value,
        "reason": function.reason,
        "in_base": function.in_base,
        "in_new": function.in_new,
        "source": source,
        "line": function.position.line,
        "column": function.position.column,
        "changes": [_change(change) for change in function.changes],
        "ignored": [_ignored(item) for item in function.ignored],
    }


def _change(change: GateChange) -> dict[str, Any]:
    data: dict[str, Any] = {"path": change.path, "class": change.gate_class.value}
    if not change.sensitive:
        sides = {"base": change.base, "live": change.live, "desired": change.desired}
        data.update({side: value for side, value in sides.items() if value is not ABSENT})
    data["sensitive"] = change.sensitive
    data["line"], data["column"] = change.position.line, change.position.column
    return data


def _ignored(item: IgnoredGateChange) -> dict[str, Any]:
    return {**_change(item.change), "rule": rule_document(item.rule)}
