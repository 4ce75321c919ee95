"""The gate's plan-style report for people: each value with its class and its three states."""

from __future__ import annotations

from faasdrift.model import GateRun
from faasdrift.report.formats.base import GateReporter
from faasdrift.report.formats.gate_lines import (
    base_line,
    function_lines,
    summary_line,
    verdict_line,
)
from faasdrift.report.formats.text import TextReporter


class TextGateReporter(TextReporter, GateReporter):
    def render_gate(self, run: GateRun) -> str:
        lines = [
            self._paint(line)
            for function in run.result.functions
            for line in function_lines(function, verbose=self.options.verbose)
        ]
        if lines:
            lines.append("")
        lines += [base_line(run), summary_line(run), verdict_line(run)]
        return "\n".join(lines) + "\n"
