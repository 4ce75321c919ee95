"""How the formats for people show a run compared with a baseline.

Each finding's line ends in what the baseline says of it: ``NEW``; ``CHANGED, drifting since
2026-11-20 (11 days)`` (another live value at a known place); ``since 2026-11-20 (11 days)``
(known); ``OVERDUE: since …`` (known for longer than --fail-on-age). A function that could not
be checked lists the baseline's findings it keeps; the baseline's resolved findings follow the
functions; the summary line counts functions by their newest finding:

    12 functions: 9 in sync, 3 drifted (1 new, 2 known), 1 resolved since 2026-11-30.

Without --baseline nothing here shows, and a report reads as it always did. Ages are whole UTC
days to the run's day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

from faasdrift.judge.memory import NOT_CHECKED_TONIGHT
from faasdrift.model import (
    BaselineStatus,
    Carried,
    CheckRun,
    DriftResult,
    Finding,
    FindingKind,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    Memory,
)
from faasdrift.report.formats.lines import (
    INDENT,
    NO_TAGS,
    SYMBOL_BY_KIND,
    Line,
    Tags,
    function_lines,
    summary_extras,
    summary_line,
    title,
)
from faasdrift.report.formats.values import printable

# A function's place against the baseline, by its newest finding; the summary's order.
STATES = ("new", "changed", "overdue", "known")
KIND_LABEL = {
    FindingKind.MISSING: "missing",
    FindingKind.UNMANAGED: "unmanaged",
    FindingKind.NOT_CHECKED: "not checked",
}
_COUNTED = (
    FunctionStatus.DRIFTED,
    FunctionStatus.MISSING,
    FunctionStatus.NOT_CHECKED,
    FunctionStatus.UNMANAGED,
)


def compared(run: CheckRun) -> Memory | None:
    """The run's memory if it was compared with a baseline (a first run included)."""
    memory = run.memory
    return memory if memory is not None and memory.baseline is not None else None


def age(memory: Memory, day: date) -> str:
    """``2026-11-20 (11 days)``, ``(1 day)``, ``(today)``."""
    days = memory.age(day)
    return f"{day.isoformat()} ({'today' if days == 0 else f'{days} day' + 's' * (days != 1)})"


def finding_tag(memory: Memory, finding: Finding) -> str:
    if finding.status is BaselineStatus.NEW:
        return "NEW"
    since = f"since {age(memory, finding.first_seen)}"
    if finding.status is BaselineStatus.CHANGED:
        return f"CHANGED, drifting {since}"
    if finding.value_since != finding.first_seen:
        since += f", this value since {finding.value_since.isoformat()}"
    return f"OVERDUE: {since}, older than --fail-on-age" if finding.overdue else since


def tags_of(memory: Memory | None, identity: FunctionId) -> Tags:
    """The tag of each finding of a function: by a change's path, "" for its own finding."""
    if memory is None or memory.baseline is None:
        return NO_TAGS
    return {
        finding.key.path: finding_tag(memory, finding) for finding in memory.of_function(identity)
    }


def state_of(memory: Memory, identity: FunctionId) -> str | None:
    """``new``, ``changed``, ``overdue`` or ``known``: a function's newest finding."""
    status = memory.state_of(identity)
    if status is BaselineStatus.KNOWN and any(f.overdue for f in memory.of_function(identity)):
        return "overdue"
    return status.value if status is not None else None


def annotated_lines(
    function: FunctionResult, memory: Memory | None, *, verbose: bool
) -> list[Line]:
    """A function's lines, tagged, then the baseline's findings it keeps (it was not checked)."""
    lines = list(function_lines(function, verbose=verbose, tags=tags_of(memory, function.identity)))
    return lines + kept_lines(memory, function.identity)


def kept_lines(memory: Memory | None, identity: FunctionId) -> list[Line]:
    """``    ~ timeout  since 2026-11-20 (11 days), kept: its function could not be checked``."""
    if memory is None:
        return []
    return [_kept_line(memory, item) for item in memory.kept_of(identity)]


def _kept_line(memory: Memory, item: Carried) -> Line:
    finding = item.finding
    symbol = SYMBOL_BY_KIND[finding.change_kind] if finding.change_kind else "!"
    where = printable(finding.key.path) if finding.key.path else KIND_LABEL[finding.key.kind]
    text = f"since {age(memory, finding.first_seen)}, kept: {item.reason}"
    return symbol, f"{INDENT}{symbol} {where}  {text}"


def resolved_lines(memory: Memory, *, indent: str = "  ") -> Iterator[str]:
    """``resolved since the baseline of 2026-11-30:`` and one line per resolved finding, then a
    line saying how many findings the run kept without looking at them."""
    entries = resolved_entries(memory)
    if entries:
        yield f"{resolved_heading(memory)}:"
        yield from (f"{indent}= {entry}" for entry in entries)
    note = kept_note(memory)
    if note:
        yield note


def resolved_heading(memory: Memory) -> str:
    day = memory.baseline.day if memory.baseline else None
    return f"resolved since the baseline of {day.isoformat() if day else 'nothing'}"


def resolved_entries(memory: Memory) -> list[str]:
    """``prod-api/d  (project 1, region 1)  timeout: no longer differs (first seen …)``."""
    entries = []
    for item in memory.resolved:
        finding = item.finding
        what = printable(finding.key.path) if finding.key.path else KIND_LABEL[finding.key.kind]
        first = finding.first_seen.isoformat()
        entries.append(
            f"{title(finding.key.identity)}  {what}: {printable(item.reason)} (first seen {first})"
        )
    return entries


def kept_note(memory: Memory) -> str | None:
    """One line for the kept findings no function of tonight's report shows (outside the
    scope, or unmanaged functions that were not looked for)."""
    reasons = Counter(item.reason for item in memory.kept if item.reason != NOT_CHECKED_TONIGHT)
    if not reasons:
        return None
    total = sum(reasons.values())
    why = "; ".join(f"{count}: {reason}" for reason, count in sorted(reasons.items()))
    noun = "finding" if total == 1 else "findings"
    return f"{total} {noun} of the baseline not looked at tonight, kept as they were ({why})"


def summary(run: CheckRun) -> str:
    """The summary line; with a baseline, each count split by what the baseline says."""
    memory = compared(run)
    if memory is None:
        return summary_line(run)
    result = run.result
    total = len(result.functions)
    parts = [f"{result.count(FunctionStatus.IN_SYNC)} in sync"]
    for status in _COUNTED:
        count = result.count(status)
        always = status is FunctionStatus.UNMANAGED and result.unmanaged_checked
        if count or always:
            parts.append(
                f"{count} {status.value.replace('_', ' ')}{_split(memory, result, status)}"
            )
    day = memory.baseline.day if memory.baseline else None
    if memory.resolved and day is not None:
        parts.append(f"{len(memory.resolved)} resolved since {day.isoformat()}")
    noun = "function" if total == 1 else "functions"
    return f"{total} {noun}: {', '.join(parts)}.{summary_extras(run)}"


def _split(memory: Memory, result: DriftResult, status: FunctionStatus) -> str:
    states = Counter(
        state_of(memory, function.identity)
        for function in result.functions
        if function.status is status
    )
    split = [f"{states[state]} {state}" for state in STATES if states[state]]
    return f" ({', '.join(split)})" if split else ""
