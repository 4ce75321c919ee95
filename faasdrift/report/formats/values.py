"""How values and code diffs are shown, shared by every human-readable format.

Sensitive values never reach these functions' output: callers ask ``shown_value`` and get a
placeholder instead of the value.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from faasdrift.model import Change, ChangeKind

SENSITIVE = "(sensitive)"
SENSITIVE_CHANGED = "(sensitive, changed)"
NO_NEWLINE = "\\ No newline at end of file"


def printable(text: str) -> str:
    """``text`` safe on one line of a terminal or CI log: every non-printable character but the
    tab is spelled out (``\\n``, ``\\x1b``, ``\\u2028``).

    A function name, a reason from the API or a line of code may hold a newline or a terminal
    escape; printed raw, it could start a line of its own (``::error::`` is a GitHub Actions
    command) or repaint the terminal. Tabs stay: they are common in code and harmless.
    """
    if text.isprintable():
        return text  # the common case, without building a new string
    return "".join(char if char.isprintable() or char == "\t" else _escaped(char) for char in text)


def _escaped(char: str) -> str:
    return repr(char)[1:-1]  # \n, \x1b, \u2028: how Python itself spells it


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


def unified_diff(live: str, desired: str) -> list[str]:
    """Lines of a unified diff from live to desired, marking a missing final newline like git."""
    lines = difflib.unified_diff(
        _diff_lines(live), _diff_lines(desired), fromfile="live", tofile="desired", lineterm=""
    )
    return [part for line in lines for part in line.rstrip("\n").split("\n")]


def _diff_lines(text: str) -> list[str]:
    # Split on "\n" only: str.splitlines would also break on \r, \f and friends inside code.
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]]
    if pieces[-1]:
        # difflib cannot see a missing final newline; spell it out so the diff shows it, like git.
        lines.append(pieces[-1] + "\n" + NO_NEWLINE + "\n")
    return lines
