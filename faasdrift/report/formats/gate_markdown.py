"""The gate as Markdown for a pull request's comment or job summary: the verdict first, a table of
the functions, then each function's values (class, base, live, new) in a collapsible section,
open where the deploy would lose a hand change. User data is escaped as in check's report."""

from __future__ import annotations

import html

from faasdrift.errors import ExitCode
from faasdrift.model import FAILING, GateChange, GateClass, GateFunction, GateResult, GateRun
from faasdrift.report.formats.base import GateReporter
from faasdrift.report.formats.gate_lines import (
    SENSITIVE_MEANING,
    base_line,
    change_lines,
    class_name,
    failing_count,
    is_text,
    shown,
    summary_line,
    verdict_line,
)
from faasdrift.report.formats.lines import Line, capped
from faasdrift.report.formats.markdown import (
    MarkdownReporter,
    _cell,
    _code,
    _fence,
    warnings_section,
)
from faasdrift.report.formats.values import printable


class MarkdownGateReporter(MarkdownReporter, GateReporter):
    def render_gate(self, run: GateRun) -> str:
        result = run.result
        listed = [f for f in result.functions if self.options.verbose or _listed(f)]
        parts = [f"## faasdrift gate: {_headline(run)}", "", _cell(verdict_line(run))]
        parts += ["", _cell(summary_line(run)), "", _cell(base_line(run))]
        if listed:
            parts += ["", *_table(listed, result)]
        for function in listed:
            if function.changes or function.ignored:
                parts += ["", *_details(function)]
        parts += warnings_section(run.warnings)
        return "\n".join(parts) + "\n"


def _listed(function: GateFunction) -> bool:
    return function.gate_class is not GateClass.UNCHANGED or bool(function.ignored)


def _headline(run: GateRun) -> str:
    if run.exit_code == ExitCode.INCOMPLETE:
        return "incomplete, not safe to deploy"
    return "the deploy would lose hand changes" if failing_count(run) else "safe to deploy"


def _table(functions: list[GateFunction], result: GateResult) -> list[str]:
    rows = ["| Function | Project | Region | Class | Declared at |", "|---|---|---|---|---|"]
    for function in functions:
        identity = function.identity
        verdict = class_name(function.gate_class)
        if function.reason:
            verdict += f": {printable(function.reason)}"
        where = f"{result.source_of(function)}:{function.position.line}"
        cells = (
            _code(printable(identity.label)),
            str(identity.project_id),
            str(identity.region_id),
            _cell(verdict),
            _code(printable(where)),
        )
        rows.append(f"| {' | '.join(cells)} |")
    return rows


def _details(function: GateFunction) -> list[str]:
    items = [*function.changes, *(item.change for item in function.ignored)]
    accepted = {id(item.change): item.rule.reason for item in function.ignored}
    rows: list[Line] = []
    for change in items:
        if is_text(change):
            continue
        name = class_name(change.gate_class) + (" (ignored)" if id(change) in accepted else "")
        if change.sensitive:
            name += f" (sensitive, {SENSITIVE_MEANING[change.gate_class]})"
        values = [_value(change, side) for side in ("base", "live", "new")]
        row = [_code(printable(change.path)), _cell(name), *values]
        rows.append(("", f"| {' | '.join(row)} |"))
    shown_rows = capped(iter(rows), indent="")
    note = [text for symbol, text in shown_rows if symbol == "#"]
    table = ["| Value | Class | Base | Live | New |", "|---|---|---|---|---|"]
    table += [text for symbol, text in shown_rows if symbol != "#"]
    body = [*(table if len(table) > 2 else []), *(_cell(line) for line in note)]
    body += _diffs(function)
    reasons = [
        f"- ignored: {_cell(printable(reason))}" for reason in dict.fromkeys(accepted.values())
    ]
    opened = " open" if function.classes & FAILING else ""
    label = html.escape(printable(function.identity.label))
    summary = f"<code>{label}</code>: {html.escape(class_name(function.gate_class))}"
    return [f"<details{opened}><summary>{summary}</summary>", "", *body, *reasons, "", "</details>"]


def _value(change: GateChange, side: str) -> str:
    return _cell(shown(change, side)) if change.sensitive else _code(shown(change, side))


def _diffs(function: GateFunction) -> list[str]:
    """The text values (code) as a diff block: what changed by hand, what the deploy does."""
    texts = [change for change in function.changes if is_text(change)]
    lines = [line for change in texts for _, line in change_lines(change, indent="")]
    if not lines:
        return []
    fence = _fence(lines)
    return ["", f"{fence}diff", *lines, fence]
