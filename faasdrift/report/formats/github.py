"""GitHub Actions workflow commands: an annotation at each drifted line, a log group per function.

GitHub shows at most 10 error and 10 warning annotations per step. Past that, the last one shown
says how many more there are; the log groups always list every change.

Secrets: values are masked like everywhere else. On top of that, when the CLI allows it (stdout
inside a GitHub Actions job), ``::add-mask::`` commands come first, so that the runner also hides
the live secret values should a later step print them.

Against a baseline, only what fails the run (new, changed, overdue) is an error annotation; known
drift is a notice, with its age.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from faasdrift.judge.verdict import fails
from faasdrift.model import (
    CheckRun,
    DriftResult,
    FindingKey,
    FindingKind,
    FunctionResult,
    FunctionStatus,
    Memory,
    Position,
)
from faasdrift.report.formats.base import Reporter
from faasdrift.report.formats.lines import UNMANAGED_REASON, change_text, missing_reason, tagged
from faasdrift.report.formats.memory_text import (
    annotated_lines,
    compared,
    finding_tag,
    resolved_lines,
    summary,
)
from faasdrift.report.formats.values import printable
from faasdrift.text import without_legacy_commands

ANNOTATION_LIMIT = 10  # per severity and step, in GitHub's UI
# Masking "on" or "1" would star out every such word in the rest of the job's log; values this
# short are not worth hiding at that price (they are still never printed by faasdrift).
MIN_MASK = 4


def escape_data(text: str) -> str:
    """A command's message, escaped as @actions/core does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value (file, title, ...), escaped as @actions/core does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"
    description = "GitHub Actions annotations at the drifted lines, a log group per function"
    guards_commands = True

    def render(self, run: CheckRun) -> str:
        result = run.result
        lines = list(mask_commands(result)) if self.options.add_masks else []
        memory = compared(run)
        wanted = (_wanted(function, memory) for function in result.functions)
        annotations = Annotations(result.source, wanted, CHECK_NOUNS)
        for function in result.functions:
            # Ignored ones (-v) are folded too; annotations only say what a baseline says.
            commands = annotations.of(_wanted(function, memory), result.source_of(function))
            lines.extend(self._function(function, commands, run.memory))
        lines.extend(annotations.overflow())
        lines += map(without_legacy_commands, resolved_lines(memory) if memory else ())
        lines.append(without_legacy_commands(summary(run)))
        return "\n".join(lines) + "\n"

    def _function(
        self, function: FunctionResult, commands: Iterable[str], memory: Memory | None
    ) -> Iterator[str]:
        verbose = self.options.verbose
        lines = [line for _, line in annotated_lines(function, memory, verbose=verbose)]
        yield from log_group(lines, commands, fold=function.status is FunctionStatus.DRIFTED)


def log_group(lines: list[str], annotations: Iterable[str], *, fold: bool) -> Iterator[str]:
    """A function's lines in a log group with its annotations; one line (or none) and not
    ``fold``: nothing to fold away. Outside a stop-commands block, a name or reason holding
    "##[" must not act either."""
    if not fold and len(lines) <= 1:
        yield from map(without_legacy_commands, lines)
        yield from annotations
        return
    yield f"::group::{escape_data(lines[0])}"
    yield from without_commands(lines[1:])
    yield from annotations
    yield "::endgroup::"


def without_commands(lines: list[str]) -> list[str]:
    """``lines`` between ``::stop-commands::TOKEN`` and ``::TOKEN::``, so that none of them, a
    code line starting with ``::`` for one, can act as a workflow command.

    The token must be one the text cannot contain. A hash of the text is: a line ``::TOKEN::``
    inside it would have to contain the hash of itself. Unlike a random token, it keeps the
    report a pure function of the result (and the golden files stable).
    """
    token = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]
    return [f"::stop-commands::{token}", *lines, f"::{token}::"]


# (level, position, title, message) of one annotation.
Wanted = tuple[str, Position, str, str]
CHECK_NOUNS = {
    "error": "drifted values",
    "warning": "unchecked functions",
    "notice": "known drift",
}


class Annotations:
    """Hands out annotation commands, keeping within GitHub's limit per severity.

    ``wanted`` holds every function's annotations (to count them); ``nouns`` names what the
    overflow line counts, per level.
    """

    def __init__(
        self, source: str, wanted: Iterable[Iterable[Wanted]], nouns: Mapping[str, str]
    ) -> None:
        self.source, self.nouns = source, nouns
        self.total = {"error": 0, "warning": 0, "notice": 0}
        for items in wanted:
            for level, *_ in items:
                self.total[level] += 1
        self.shown = {"error": 0, "warning": 0, "notice": 0}

    def of(self, wanted: Iterable[Wanted], source: str) -> Iterator[str]:
        """The commands of one function's annotations, as far as the limit allows."""
        for level, where, title, message in wanted:
            # Over the limit, keep the last place for the line that says how many are left out.
            room = (
                ANNOTATION_LIMIT if self.total[level] <= ANNOTATION_LIMIT else ANNOTATION_LIMIT - 1
            )
            if self.shown[level] < room:
                self.shown[level] += 1
                yield self._command(level, title, message, where, source)

    def overflow(self) -> Iterator[str]:
        for level, noun in self.nouns.items():
            hidden = self.total[level] - self.shown[level]
            if hidden:
                title = f"faasdrift: {hidden} more {noun}"
                message = f"{hidden} more {noun} not annotated (GitHub shows {ANNOTATION_LIMIT}"
                yield self._command(level, title, message + " per step); the log lists them all")

    def _command(
        self,
        level: str,
        title: str,
        message: str,
        where: Position | None = None,
        source: str | None = None,
    ) -> str:
        properties = {"file": source or self.source, "title": title}
        if where is not None:
            properties |= {"line": str(where.line), "col": str(where.column)}
        order = ("file", "line", "col", "title")
        props = ",".join(
            f"{key}={escape_property(properties[key])}" for key in order if key in properties
        )
        # A live env name may hold "##[", the runner's legacy command form, which acts anywhere.
        return without_legacy_commands(f"::{level} {props}::{escape_data(message)}")


def _wanted(function: FunctionResult, memory: Memory | None = None) -> Iterator[Wanted]:
    """(level, position, title, message) of each annotation ``function`` deserves; against a
    baseline, known drift is a notice and each message ends in what the baseline says."""
    label, identity = printable(function.identity.label), function.identity
    if function.status is FunctionStatus.MISSING:
        level, message = _level(memory, FindingKey(FindingKind.MISSING, identity), "error")
        text = tagged(f"missing: {missing_reason(function)}", message)
        yield level, function.position, f"{label}: missing", text
    elif function.status is FunctionStatus.NOT_CHECKED:
        reason = printable(function.reason or "no reason given")
        yield "warning", function.position, f"{label}: not checked", f"not checked: {reason}"
    elif function.status is FunctionStatus.UNMANAGED:  # at its namespace's first function
        level, message = _level(memory, FindingKey(FindingKind.UNMANAGED, identity), "error")
        text = tagged(f"unmanaged: {UNMANAGED_REASON}", message)
        yield level, function.position, f"{label}: unmanaged", text
    for change in function.changes:
        title = f"{label}: {printable(change.path)} drifted"
        key = FindingKey(FindingKind.VALUE, identity, change.path)
        level, tag = _level(memory, key, "error")
        yield level, change.position, title, tagged(change_text(change, standalone=True), tag)


def _level(memory: Memory | None, key: FindingKey, level: str) -> tuple[str, str | None]:
    """The annotation's level and the baseline's tag for a finding: known drift is a notice."""
    finding = memory.finding(key) if memory is not None else None
    if memory is None or finding is None:
        return level, None
    return (level if fails(finding.status, finding.overdue) else "notice"), finding_tag(
        memory, finding
    )


def mask_commands(result: DriftResult) -> Iterator[str]:
    """``::add-mask::`` for every line of every sensitive value, live and desired, once each."""
    yield from masks_of(
        value
        for function in result.functions
        for change in function.changes
        if change.sensitive
        for value in (change.live, change.desired)
    )


def masks_of(values: Iterable[Any]) -> Iterator[str]:
    """``::add-mask::`` for every line of the strings in ``values``, once each."""
    seen: set[str] = set()
    for text in (text for value in values for text in _strings(value)):
        for line in text.splitlines():
            if len(line.strip()) >= MIN_MASK and line not in seen:
                seen.add(line)
                yield f"::add-mask::{escape_data(line)}"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [text for item in value.values() for text in _strings(item)]
    return []
