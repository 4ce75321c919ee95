"""The terraform-plan style report, read in the direction live -> desired."""

from __future__ import annotations

import click

from faasdrift.model import CheckRun
from faasdrift.report.formats.base import Reporter
from faasdrift.report.formats.lines import Line, function_lines, summary_line

COLOR_BY_SYMBOL = {"~": "yellow", "+": "green", "-": "red", "!": "red", "?": "magenta", "@": "cyan"}

__all__ = ["TextReporter", "summary_line"]


class TextReporter(Reporter):
    name = "text"
    description = "terraform-plan style lines for people (the default)"

    def render(self, run: CheckRun) -> str:
        lines = [
            self._paint(line)
            for function in run.result.functions
            for line in function_lines(function, verbose=self.options.verbose)
        ]
        if lines:
            lines.append("")
        lines.append(summary_line(run))
        return "\n".join(lines) + "\n"

    def _paint(self, line: Line) -> str:
        symbol, text = line
        color = COLOR_BY_SYMBOL.get(symbol)
        if not self.options.color or color is None:
            return text
        return click.style(text, fg=color, bold=symbol == "!")
