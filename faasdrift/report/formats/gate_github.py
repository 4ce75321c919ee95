"""The gate as GitHub Actions workflow commands: an error annotation at the line of the new files
where each overwrite or conflict would happen, a warning per function not checked, a log group
per function; within GitHub's 10 annotations per severity like check's.

Inside a GitHub Actions job (``add_masks``), ``::add-mask::`` first hides every sensitive value
the gate compared, in each of its three states, from the rest of the job's log.
"""

from __future__ import annotations

from collections.abc import Iterator

from faasdrift.model import ABSENT, FAILING, GateClass, GateFunction, GateResult, GateRun
from faasdrift.report.formats.base import GateReporter
from faasdrift.report.formats.gate_lines import (
    class_name,
    function_lines,
    standalone_text,
    summary_line,
    verdict_line,
)
from faasdrift.report.formats.github import (
    Annotations,
    GithubReporter,
    Wanted,
    log_group,
    masks_of,
)
from faasdrift.report.formats.values import printable
from faasdrift.text import without_legacy_commands

GATE_NOUNS = {"error": "hand changes the deploy would lose", "warning": "unchecked functions"}


class GithubGateReporter(GithubReporter, GateReporter):
    def render_gate(self, run: GateRun) -> str:
        result = run.result
        lines = list(gate_masks(result)) if self.options.add_masks else []
        annotations = Annotations(result.source, map(_wanted, result.functions), GATE_NOUNS)
        for function in result.functions:
            text = [line for _, line in function_lines(function, verbose=self.options.verbose)]
            commands = annotations.of(_wanted(function), result.source_of(function))
            lines.extend(log_group(text, commands, fold=len(text) > 1))
        lines.extend(annotations.overflow())
        lines += [without_legacy_commands(summary_line(run)), verdict_line(run)]
        return "\n".join(lines) + "\n"


def _wanted(function: GateFunction) -> Iterator[Wanted]:
    label = printable(function.identity.label)
    if function.gate_class is GateClass.NOT_CHECKED:
        reason = printable(function.reason or "no reason given")
        yield "warning", function.position, f"{label}: not checked", f"not checked: {reason}"
    elif function.gate_class in FAILING and not function.changes:  # deleted by hand
        name = class_name(function.gate_class)
        yield "error", function.position, f"{label}: {name}", printable(function.reason or name)
    for change in function.changes:
        if change.gate_class in FAILING:
            title = f"{label}: {printable(change.path)} {class_name(change.gate_class)}"
            yield "error", change.position, title, standalone_text(change)


def gate_masks(result: GateResult) -> Iterator[str]:
    """``::add-mask::`` for every sensitive value, in every state, once each."""
    values = [
        value
        for function in result.functions
        for change in (*function.changes, *(item.change for item in function.ignored))
        if change.sensitive
        for value in (change.base, change.live, change.desired)
        if value is not ABSENT
    ]
    yield from masks_of(values)
