"""Markdown for people reading a CI page: a summary table, then each drifted function's changes.

Written for GitHub's job summary (``--step-summary``) and PR comments, and plain enough for any
Markdown viewer. Every piece of user data is escaped: a value cannot open a table cell, an HTML
tag or a code block of its own. Each drifting function's section is marked with its fingerprints
(``markdown_memory``), and against a baseline new drift comes first.
"""

from __future__ import annotations

import html
import re

from faasdrift.model import CheckRun, DriftResult, FunctionResult, FunctionStatus, Memory
from faasdrift.report.formats.base import Reporter
from faasdrift.report.formats.lines import UNMANAGED_REASON, changes_lines, missing_reason
from faasdrift.report.formats.markdown_memory import (
    SECTIONED,
    in_order,
    is_open,
    memory_parts,
    section_end,
    section_start,
    since,
)
from faasdrift.report.formats.memory_text import annotated_lines, summary, tags_of
from faasdrift.report.formats.values import printable

_BACKTICKS = re.compile(r"`+")


class MarkdownReporter(Reporter):
    name = "markdown"
    description = "Markdown: a summary table and the changes per function (job summaries)"
    file_suffix = ".md"

    def render(self, run: CheckRun) -> str:
        result, memory = run.result, run.memory
        ordered = in_order(list(result.functions), memory)
        listed = [f for f in ordered if self.options.verbose or not _in_sync(f)]
        parts = [f"## faasdrift: {_headline(result)}", "", _cell(summary(run))]
        if listed:
            parts += ["", *_table(listed, result, memory)]
        for function in ordered:
            if function.status is FunctionStatus.DRIFTED or (
                memory and function.status in SECTIONED
            ):
                parts += ["", *_details(function, memory)]
        parts += memory_parts(run, _cell)
        parts += warnings_section(run.warnings)
        return "\n".join(parts) + "\n"


def warnings_section(warnings: tuple[str, ...]) -> list[str]:
    """The run's warnings, if any: a job summary is often all anyone reads, and what weakens
    the verdict belongs in it."""
    if not warnings:
        return []
    return ["", "**Warnings**", "", *(f"- {_cell(printable(warning))}" for warning in warnings)]


def _in_sync(function: FunctionResult) -> bool:
    return function.status is FunctionStatus.IN_SYNC


def _headline(result: DriftResult) -> str:
    failing = (FunctionStatus.DRIFTED, FunctionStatus.MISSING, FunctionStatus.UNMANAGED)
    drifted = sum(result.count(status) for status in failing)
    unchecked = result.count(FunctionStatus.NOT_CHECKED)
    words = ["drift found"] if drifted else []
    words += ["check incomplete"] if unchecked else []
    return ", ".join(words) or "in sync"


def _table(
    functions: list[FunctionResult], result: DriftResult, memory: Memory | None
) -> list[str]:
    rows = ["| Function | Project | Region | Status | Declared at |", "|---|---|---|---|---|"]
    compared = memory is not None and memory.baseline is not None
    if compared:
        header = "| Function | Project | Region | Status | Baseline | Declared at |"
        rows = [header, "|" + "---|" * 6]
    for function in functions:
        identity = function.identity
        cells = [
            _code(printable(identity.label)),
            str(identity.project_id),
            str(identity.region_id),
            _cell(_status(function)),
            _declared_at(function, result.source_of(function)),
        ]
        if compared:
            cells.insert(4, _cell(since(function, memory)))
        rows.append(f"| {' | '.join(cells)} |")
    return rows


def _declared_at(function: FunctionResult, source: str) -> str:
    if function.status is FunctionStatus.UNMANAGED:
        return "not declared"
    return _code(f"{source}:{function.position.line}")


def _status(function: FunctionResult) -> str:
    ignored = len(function.ignored)
    note = f", {ignored} ignored" if ignored else ""
    return _verdict(function) + note


def _verdict(function: FunctionResult) -> str:
    if function.status is FunctionStatus.DRIFTED:
        count = len(function.changes)
        return f"drifted: {count} value{'s' if count != 1 else ''}"
    if function.status is FunctionStatus.UNMANAGED:
        return f"unmanaged: {UNMANAGED_REASON}"
    if function.status is FunctionStatus.MISSING:
        return f"missing: {missing_reason(function)}"
    if function.status is FunctionStatus.NOT_CHECKED:
        return f"not checked: {printable(function.reason or 'no reason given')}"
    return "in sync"


def _details(function: FunctionResult, memory: Memory | None) -> list[str]:
    """A collapsible section of a drifting function; with a memory, marked for workflows."""
    if function.status is FunctionStatus.DRIFTED:
        tags = tags_of(memory, function.identity)
        body = [line for _, line in changes_lines(function.changes, indent="", tags=tags)]
    else:
        body = [line for _, line in annotated_lines(function, memory, verbose=False)]
    fence = _fence(body)
    label = html.escape(printable(function.identity.label))
    state = since(function, memory)
    head = f"<code>{label}</code>: {_cell(_status(function))}" + (
        f", {_cell(state)}" if state else ""
    )
    details = "<details open>" if is_open(function, memory) else "<details>"
    section = [
        f"{details}<summary>{head}</summary>",
        "",
        f"{fence}diff",
        *body,
        fence,
        "",
        "</details>",
    ]
    if memory is None:
        return section
    return [section_start(function, memory), *section, section_end(function)]


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks inside, so code cannot close it."""
    longest = max((len(run) for line in lines for run in _BACKTICKS.findall(line)), default=0)
    return "`" * max(3, longest + 1)


def _cell(text: str) -> str:
    """Plain text safe in a table cell: no HTML, no cell break, no line break."""
    return html.escape(" ".join(text.split())).replace("|", "\\|")


def _code(text: str) -> str:
    """Inline code in a table cell, whatever backticks ``text`` holds."""
    ticks = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    escaped = text.replace("|", "\\|")  # GitHub splits cells on | even inside code
    return f"{ticks}{pad}{escaped}{pad}{ticks}"
