"""The terraform-plan style report, read in the direction live -> desired.

With --baseline each finding's line ends in what the baseline says of it, and the baseline's
resolved findings follow the functions (``memory_text``).
"""

from __future__ import annotations

import click

from faasdrift.model import CheckRun
from faasdrift.report.formats.base import Reporter
from faasdrift.report.formats.lines import Line, summary_line
from faasdrift.report.formats.memory_text import annotated_lines, compared, resolved_lines, summary

COLOR_BY_SYMBOL = {"~": "yellow", "+": "green", "-": "red", "!": "red", "?": "magenta", "@": "cyan"}

__all__ = ["TextReporter", "summary_line"]


class TextReporter(Reporter):
    name = "text"
    description = "terraform-plan style lines for people (the default)"

    def render(self, run: CheckRun) -> str:
        lines = [
            self._paint(line)
            for function in run.result.functions
            for line in annotated_lines(function, run.memory, verbose=self.options.verbose)
        ]
        memory = compared(run)
        resolved = list(resolved_lines(memory)) if memory is not None else []
        if resolved:
            lines += ["", *resolved] if lines else resolved
        if lines:
            lines.append("")
        lines.append(summary(run))
        return "\n".join(lines) + "\n"

    def _paint(self, line: Line) -> str:
        symbol, text = line
        color = COLOR_BY_SYMBOL.get(symbol)
        if not self.options.color or color is None:
            return text
        return click.style(text, fg=color, bold=symbol == "!")
