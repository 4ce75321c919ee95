"""The terraform-plan style report, read in the direction live -> desired."""

from __future__ import annotations

from collections.abc import Iterator

import click

from faasdrift.models import Change, ChangeKind, DriftResult, FunctionResult, FunctionStatus
from faasdrift.reporters.base import Reporter
from faasdrift.reporters.values import (
    SENSITIVE_CHANGED,
    is_text_diff,
    shown_value,
    unified_diff,
)

INDENT = "    "
SYMBOL_BY_KIND = {ChangeKind.CHANGED: "~", ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-"}
COLOR_BY_SYMBOL = {"~": "yellow", "+": "green", "-": "red", "!": "red", "?": "magenta", "@": "cyan"}
NOTE_BY_KIND = {
    ChangeKind.ADDED: "(declared, not live)",
    ChangeKind.REMOVED: "(live, not declared)",
}


class TextReporter(Reporter):
    name = "text"

    def render(self, result: DriftResult) -> str:
        lines: list[str] = []
        for function in result.functions:
            lines.extend(self._function_lines(function))
        if lines:
            lines.append("")
        lines.append(summary_line(result))
        return "\n".join(lines) + "\n"

    def _function_lines(self, function: FunctionResult) -> Iterator[str]:
        status = function.status
        if status is FunctionStatus.IN_SYNC:
            if self.options.verbose:
                yield self._paint("=", f"= {_title(function)}  in sync")
        elif status is FunctionStatus.MISSING:
            yield self._paint("!", f"! {_title(function)}  missing: no such function in Gcore")
        elif status is FunctionStatus.NOT_CHECKED:
            yield self._paint("?", f"? {_title(function)}  not checked: {function.reason}")
        else:
            yield self._paint("~", f"~ {_title(function)}")
            for change in function.changes:
                yield from self._change_lines(change)

    def _change_lines(self, change: Change) -> Iterator[str]:
        symbol = SYMBOL_BY_KIND[change.kind]
        if is_text_diff(change):
            yield self._paint(symbol, f"{INDENT}{symbol} {change.path}:")
            for line in unified_diff(str(change.live), str(change.desired)):
                yield self._paint(line[:1], f"{INDENT * 2}{line}")
            return
        yield self._paint(symbol, f"{INDENT}{symbol} {_change_text(change)}")

    def _paint(self, symbol: str, line: str) -> str:
        color = COLOR_BY_SYMBOL.get(symbol)
        if not self.options.color or color is None:
            return line
        return click.style(line, fg=color, bold=symbol == "!")


def _title(function: FunctionResult) -> str:
    identity = function.identity
    return f"{identity.label}  (project {identity.project_id}, region {identity.region_id})"


def _change_text(change: Change) -> str:
    if change.kind is ChangeKind.CHANGED:
        if change.sensitive:
            return f"{change.path}: {SENSITIVE_CHANGED}"
        live, desired = shown_value(change, change.live), shown_value(change, change.desired)
        return f"{change.path}: {live} -> {desired}"
    if change.kind is ChangeKind.ADDED:
        return f"{change.path}: {shown_value(change, change.desired)}  {NOTE_BY_KIND[change.kind]}"
    return f"{change.path}  {NOTE_BY_KIND[change.kind]}"


def summary_line(result: DriftResult) -> str:
    """`3 functions: 0 in sync, 1 drifted, 1 missing, 1 not checked.`"""
    total = len(result.functions)
    noun = "function" if total == 1 else "functions"
    parts = [
        f"{result.count(FunctionStatus.IN_SYNC)} in sync",
        f"{result.count(FunctionStatus.DRIFTED)} drifted",
        f"{result.count(FunctionStatus.MISSING)} missing",
        f"{result.count(FunctionStatus.NOT_CHECKED)} not checked",
    ]
    return f"{total} {noun}: {', '.join(parts)}."
