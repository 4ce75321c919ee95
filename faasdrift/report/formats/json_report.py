"""The versioned JSON report, described by ``schemas/report.schema.json``.

``format_version`` changes only when a consumer would break: fields may be added within a version,
never renamed, removed or given another meaning. A sensitive change carries no ``desired`` or
``live`` key at all, so no consumer can print a secret by accident.

A report holds its values in full up to ``MAX_VALUE_CHARS`` characters in all; a change whose
values do not fit any more has its strings cut to ``CUT_TO`` characters and says ``"cut": true``
(10,000 functions of 100,000-character code would otherwise make a report of gigabytes).

Fingerprints, and against a baseline the rest of the run's memory, are added by ``json_memory``.
"""

from __future__ import annotations

from typing import Any

from faasdrift import __version__
from faasdrift.model import (
    Change,
    ChangeKind,
    CheckRun,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    IgnoredChange,
    IgnoreRule,
    utc_text,
)
from faasdrift.report.formats.base import Reporter
from faasdrift.report.formats.json_memory import add_memory
from faasdrift.report.formats.values import json_document

FORMAT_VERSION = "1"
MAX_VALUE_CHARS = 32 * 1024 * 1024
CUT_TO = 1_000


class JsonReporter(Reporter):
    name = "json"
    description = f"a versioned JSON document (format_version {FORMAT_VERSION})"
    file_suffix = ".json"
    guards_commands = True

    def render(self, run: CheckRun) -> str:
        return json_document(report_document(run)) + "\n"


def report_document(run: CheckRun) -> dict[str, Any]:
    """The report as plain JSON data."""
    result = run.result
    document = {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "faasdrift", "version": __version__},
        "generated_at": utc_text(run.generated_at),
        "source": result.source,
        "exit_code": int(run.exit_code),
        "retries": run.retries,
        "totals": {
            "functions": len(result.functions),
            **{status.value: result.count(status) for status in FunctionStatus},
            "ignored": result.ignored_count,  # differences, not functions
        },
        "functions": within_budget(
            [_function(function, result.source_of(function)) for function in result.functions]
        ),
        "unmanaged_checked": result.unmanaged_checked,
        "warnings": list(run.warnings),
    }
    add_memory(document, run)
    return document


def _function(function: FunctionResult, source: str) -> dict[str, Any]:
    return {
        **identity_document(function.identity),
        "status": function.status.value,
        "reason": _reason(function),
        # Positions are in the desired file, `source`: the entry's, or each value's below.
        "line": function.position.line,
        "column": function.position.column,
        "changes": [_change(change) for change in function.changes],
        "ignored": [_ignored(item) for item in function.ignored],
        "source": source,
    }


def identity_document(identity: FunctionId) -> dict[str, Any]:
    """A function's identity, as both JSON reports give it."""
    return {
        "project_id": identity.project_id,
        "region_id": identity.region_id,
        "namespace": identity.namespace,
        "name": identity.name,
    }


def _ignored(item: IgnoredChange) -> dict[str, Any]:
    return {**_change(item.change), "rule": rule_document(item.rule)}


def rule_document(rule: IgnoreRule) -> dict[str, Any]:
    """An ignore rule as the reports give it."""
    until = rule.until.isoformat() if rule.until else None
    return {"path": rule.path, "reason": rule.reason, "until": until}


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


def within_budget(
    functions: list[dict[str, Any]], sides_of: tuple[str, ...] = ("desired", "live")
) -> list[dict[str, Any]]:
    """``functions`` with the values of each change that no longer fits ``MAX_VALUE_CHARS`` cut."""
    left = MAX_VALUE_CHARS
    for function in functions:
        for change in (*function["changes"], *function["ignored"]):
            sides = [side for side in sides_of if side in change]
            size = sum(_chars(change[side]) for side in sides)
            if size <= left:
                left -= size
                continue
            cut = {side: _cut(change[side]) for side in sides}
            if cut != {side: change[side] for side in sides}:
                change.update(cut, cut=True)
    return functions


def _chars(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(len(str(key)) + _chars(item) for key, item in value.items())
    if isinstance(value, list):
        return sum(_chars(item) for item in value)
    return 8


def _cut(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= CUT_TO else value[: CUT_TO - 1] + "…"
    if isinstance(value, dict):
        return {key: _cut(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cut(item) for item in value]
    return value
