"""How values and code diffs are shown, shared by every human-readable format.

Sensitive values never reach these functions' output: callers ask ``shown_value`` and get a
placeholder instead of the value.
"""

from __future__ import annotations

import json
from typing import Any

from faasdrift.model import Change, ChangeKind
from faasdrift.outputs import json_text
from faasdrift.report.formats.line_diff import unified_diff_lines
from faasdrift.text import LEGACY_COMMAND, printable

__all__ = [
    "NO_NEWLINE",
    "SENSITIVE",
    "SENSITIVE_CHANGED",
    "format_value",
    "is_text_diff",
    "json_document",
    "printable",
    "shown_value",
    "unified_diff",
]

SENSITIVE = "(sensitive)"
SENSITIVE_CHANGED = "(sensitive, changed)"
NO_NEWLINE = "\\ No newline at end of file"


def json_document(data: Any) -> str:
    """A JSON report's text: any UTF-8 file can hold it (``outputs.json_text``), and no line of it
    can act as a CI command. ``##[`` can only stand inside a string, where ``#\\u0023[`` is the
    same text to every JSON reader; and no line starts with ``::`` (each starts with a quote or
    a bracket)."""
    text = json_text(data)
    return text.replace(LEGACY_COMMAND, "#\\u0023[") if LEGACY_COMMAND in text else text


def format_value(value: Any) -> str:
    """A value as JSON would spell it: strings quoted, true/false/null, maps inline."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def shown_value(change: Change, value: Any) -> str:
    """``value`` for display, or the sensitive placeholder."""
    return SENSITIVE if change.sensitive else format_value(value)


def is_text_diff(change: Change) -> bool:
    """Whether a change reads best as a unified diff: a changed string with a line break."""
    if change.kind is not ChangeKind.CHANGED or change.sensitive:
        return False
    desired, live = change.desired, change.live
    if not (isinstance(desired, str) and isinstance(live, str)):
        return False
    return "\n" in desired or "\n" in live


def unified_diff(
    live: str, desired: str, labels: tuple[str, str] = ("live", "desired")
) -> list[str]:
    """Lines of a unified diff from live to desired (or between the sides ``labels`` name),
    marking a missing final newline like git."""
    before, after = labels
    lines = unified_diff_lines(_diff_lines(live), _diff_lines(desired), before, after)
    return [part for line in lines for part in line.rstrip("\n").split("\n")]


def _diff_lines(text: str) -> list[str]:
    # Split on "\n" only: str.splitlines would also break on \r, \f and friends inside code.
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        # difflib cannot see a missing final newline; spell it out so the diff shows it, like git.
        lines.append(pieces[-1] + "\n" + NO_NEWLINE + "\n")
    return lines
