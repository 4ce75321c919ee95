"""The terraform-plan style report, read in the direction live -> desired.

Each drifted function's header ends with where it is declared (``desired.yaml:12``), as a linter
names a line, so with several files each says which one it came from (a missing or unchecked
function's line has its verdict there instead; JSON, SARIF and the annotations locate every one).
Five or more functions not checked for one and the same reason (a network down, a name that does
not resolve) are one line with their count, not one line each; ``-v`` lists them one by one.

With --baseline each finding's line ends in what the baseline says of it, and the baseline's
resolved findings follow the functions (``memory_text``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

import click

from faasdrift.model import CheckRun, FunctionResult, FunctionStatus
from faasdrift.report.formats.base import Reporter
from faasdrift.report.formats.lines import Line, summary_line, title
from faasdrift.report.formats.memory_text import annotated_lines, compared, resolved_lines, summary
from faasdrift.text import counted, printable

COLOR_BY_SYMBOL = {"~": "yellow", "+": "green", "-": "red", "!": "red", "?": "magenta", "@": "cyan"}
GROUP_FROM = 5  # functions not checked for one reason that are said in one line; fewer read fine
GROUP_NAMES_SHOWN = 5  # names a grouped line lists before "and N more"

__all__ = ["TextReporter", "summary_line"]


class TextReporter(Reporter):
    name = "text"
    description = "terraform-plan style lines for people (the default)"

    def render(self, run: CheckRun) -> str:
        lines = [self._paint(line) for line in self._lines(run)]
        memory = compared(run)
        resolved = list(resolved_lines(memory)) if memory is not None else []
        if resolved:
            lines += ["", *resolved] if lines else resolved
        if lines:
            lines.append("")
        lines.append(summary(run))
        return "\n".join(lines) + "\n"

    def _lines(self, run: CheckRun) -> Iterator[Line]:
        functions = run.result.functions
        # With a baseline each line says what it knows of the finding: none is grouped away.
        shared = self._shared_reasons(functions) if run.memory is None else {}
        grouped: set[str] = set()
        for function in functions:
            reason = function.reason or ""
            if function.status is FunctionStatus.NOT_CHECKED and reason in shared:
                if reason not in grouped:
                    grouped.add(reason)
                    yield from _group_lines(reason, shared[reason])
                continue
            where = f"{run.result.source_of(function)}:{function.position.line}"
            lines = annotated_lines(function, run.memory, verbose=self.options.verbose)
            for index, line in enumerate(lines):
                yield _located(function, line, where) if index == 0 else line

    def _shared_reasons(
        self, functions: Sequence[FunctionResult]
    ) -> dict[str, list[FunctionResult]]:
        """Reasons ``GROUP_FROM`` or more functions were not checked for (none with -v)."""
        if self.options.verbose:
            return {}
        unchecked = [f for f in functions if f.status is FunctionStatus.NOT_CHECKED]
        counts = Counter(function.reason or "" for function in unchecked)
        return {
            reason: [function for function in unchecked if (function.reason or "") == reason]
            for reason, count in counts.items()
            if count >= GROUP_FROM
        }

    def _paint(self, line: Line) -> str:
        symbol, text = line
        color = COLOR_BY_SYMBOL.get(symbol)
        if not self.options.color or color is None:
            return text
        return click.style(text, fg=color, bold=symbol == "!")


def _located(function: FunctionResult, line: Line, where: str) -> Line:
    """A drifted function's header ``line`` with ``where`` after its title."""
    symbol, text = line
    head = f"{symbol} {title(function.identity)}"
    if function.status is not FunctionStatus.DRIFTED or not text.startswith(head):
        return line
    return symbol, f"{head}  {printable(where)}{text[len(head) :]}"


def _group_lines(reason: str, functions: Sequence[FunctionResult]) -> Iterator[Line]:
    names = [printable(function.identity.label) for function in functions]
    shown = ", ".join(names[:GROUP_NAMES_SHOWN])
    rest = len(names) - GROUP_NAMES_SHOWN
    more = f" and {rest:,} more (-v lists each)" if rest > 0 else ""
    yield "?", f"? {counted(len(functions), 'function')} not checked: {printable(reason)}"
    yield "?", f"    {shown}{more}"
