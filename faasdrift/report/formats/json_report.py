"""The versioned JSON report, described by ``schemas/report.schema.json``.

``format_version`` changes only when a consumer would break: fields may be added within a version,
never renamed, removed or given another meaning. A sensitive change carries no ``desired`` or
``live`` key at all, so no consumer can print a secret by accident.
"""

from __future__ import annotations

import json
from typing import Any

from faasdrift import __version__
from faasdrift.model import (
    Change,
    ChangeKind,
    CheckRun,
    FunctionResult,
    FunctionStatus,
    IgnoredChange,
)
from faasdrift.report.formats.base import Reporter

FORMAT_VERSION = "1"


class JsonReporter(Reporter):
    name = "json"
    description = f"a versioned JSON document (format_version {FORMAT_VERSION})"
    file_suffix = ".json"

    def render(self, run: CheckRun) -> str:
        return json.dumps(report_document(run), indent=2, ensure_ascii=False) + "\n"


def report_document(run: CheckRun) -> dict[str, Any]:
    """The report as plain JSON data."""
    result, generated_at = run.result, run.generated_at
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "faasdrift", "version": __version__},
        "generated_at": generated_at.isoformat().replace("+00:00", "Z"),
        "source": result.source,
        "exit_code": int(run.exit_code),
        "retries": run.retries,
        "totals": {
            "functions": len(result.functions),
            **{status.value: result.count(status) for status in FunctionStatus},
            "ignored": result.ignored_count,  # differences, not functions
        },
        "functions": [
            _function(function, result.source_of(function)) for function in result.functions
        ],
        "unmanaged_checked": result.unmanaged_checked,
        "warnings": list(run.warnings),
    }


def _function(function: FunctionResult, source: str) -> dict[str, Any]:
    identity = function.identity
    return {
        "project_id": identity.project_id,
        "region_id": identity.region_id,
        "namespace": identity.namespace,
        "name": identity.name,
        "status": function.status.value,
        "reason": _reason(function),
        # Positions are in the desired file, `source`: the entry's, or each value's below.
        "line": function.position.line,
        "column": function.position.column,
        "changes": [_change(change) for change in function.changes],
        "ignored": [_ignored(item) for item in function.ignored],
        "source": source,
    }


def _ignored(item: IgnoredChange) -> dict[str, Any]:
    rule = item.rule
    until = rule.until.isoformat() if rule.until else None
    return {
        **_change(item.change),
        "rule": {"path": rule.path, "reason": rule.reason, "until": until},
    }


def _reason(function: FunctionResult) -> str | None:
    if function.status is FunctionStatus.NOT_CHECKED:
        return function.reason or "not checked"
    if function.status is FunctionStatus.MISSING:
        return function.reason  # None, or why: its namespace does not exist either
    return None


def _change(change: Change) -> dict[str, Any]:
    data: dict[str, Any] = {"path": change.path, "kind": change.kind.value}
    if not change.sensitive:
        # An added value has no live side and a removed one no desired side: the key is left out
        # rather than set to null, which is a value a field can really have.
        if change.kind is not ChangeKind.REMOVED:
            data["desired"] = change.desired
        if change.kind is not ChangeKind.ADDED:
            data["live"] = change.live
    data["sensitive"] = change.sensitive
    data["line"], data["column"] = change.position.line, change.position.column
    return data
