"""The Markdown report's side of a run's memory: stable sections, the resolved, the trend.

Each function that drifts (a value, missing, unmanaged) gets a section between two HTML
comments that name it and its fingerprints, invisible once rendered:

    <!-- faasdrift:function 1/1/prod-api/hello fingerprints=3f2a…,9c0d… -->
    …
    <!-- faasdrift:end 1/1/prod-api/hello -->

so a workflow can cut one function's section out (it is the same text every night while the
drift stays the same) and open, update or close one issue per function. With --baseline the
new and changed functions come first and open; known ones are collapsed with their age; then
the baseline's resolved findings and the trend of the last runs, from the report's history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import quote

from faasdrift.model import (
    BaselineStatus,
    CheckRun,
    FindingKey,
    FindingKind,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    Memory,
    RunTotals,
)
from faasdrift.report.formats.memory_text import (
    STATES,
    age,
    kept_note,
    resolved_entries,
    resolved_heading,
    state_of,
)

SECTIONED = (FunctionStatus.DRIFTED, FunctionStatus.MISSING, FunctionStatus.UNMANAGED)
TREND_ROWS = 14  # runs the trend shows; the report keeps up to 90
_OWN_KIND = {
    FunctionStatus.MISSING: FindingKind.MISSING,
    FunctionStatus.UNMANAGED: FindingKind.UNMANAGED,
}


def function_key(identity: FunctionId) -> str:
    """``1/1/prod-api/hello``: what a section's comments name, and what a workflow computes from
    the JSON report (``"\\(.project_id)/\\(.region_id)/\\(.namespace)/\\(.name)"``)."""
    key = f"{identity.project_id}/{identity.region_id}/{identity.namespace}/{identity.name}"
    return quote(key, safe="/")  # a name can never end the comment ("-->") or break its line


def section_start(function: FunctionResult, memory: Memory) -> str:
    identity = function.identity
    keys = [FindingKey(FindingKind.VALUE, identity, change.path) for change in function.changes]
    if function.status in _OWN_KIND:
        keys.insert(0, FindingKey(_OWN_KIND[function.status], identity))
    prints = [memory.fingerprint(key) for key in keys]
    listed = ",".join(fp.hex for fp in prints if fp is not None)
    return f"<!-- faasdrift:function {function_key(identity)} fingerprints={listed} -->"


def section_end(function: FunctionResult) -> str:
    return f"<!-- faasdrift:end {function_key(function.identity)} -->"


def in_order(functions: list[FunctionResult], memory: Memory | None) -> list[FunctionResult]:
    """New and changed functions first, then known ones; file order within each."""
    if memory is None or memory.baseline is None:
        return functions

    def rank(function: FunctionResult) -> int:
        state = state_of(memory, function.identity)
        return STATES.index(state) if state is not None else len(STATES)

    return sorted(functions, key=rank)


def is_open(function: FunctionResult, memory: Memory | None) -> bool:
    """Whether a section is shown open: against a baseline, unless all of it is known."""
    if memory is None or memory.baseline is None:
        return False
    return memory.state_of(function.identity) is not BaselineStatus.KNOWN


def since(function: FunctionResult, memory: Memory | None) -> str:
    """``NEW``, ``CHANGED``, ``OVERDUE``, or how long a known function has drifted."""
    if memory is None or memory.baseline is None:
        return ""
    state = state_of(memory, function.identity)
    if state is None or state in ("new", "changed"):
        return (state or "").upper()
    first = min(finding.first_seen for finding in memory.of_function(function.identity))
    return f"{'OVERDUE, ' if state == 'overdue' else ''}since {age(memory, first)}"


def memory_parts(run: CheckRun, cell: Callable[[str], str]) -> Iterator[str]:
    """The resolved findings and the trend, after the functions; ``cell`` escapes a text."""
    memory = run.memory
    if memory is None or memory.baseline is None:
        return
    entries = resolved_entries(memory)
    if entries:
        yield from ["", f"**{cell(resolved_heading(memory).capitalize())}**", ""]
        yield from (f"- {cell(entry)}" for entry in entries)
    note = kept_note(memory)
    if note:
        yield from ["", f"_{cell(note)}_"]
    yield from _trend(run, memory)


def _trend(run: CheckRun, memory: Memory) -> Iterator[str]:
    if not memory.history:
        return
    count = run.result.count
    tonight = RunTotals(
        run.generated_at,
        in_sync=count(FunctionStatus.IN_SYNC),
        drifted=count(FunctionStatus.DRIFTED),
        missing=count(FunctionStatus.MISSING),
        not_checked=count(FunctionStatus.NOT_CHECKED),
        unmanaged=count(FunctionStatus.UNMANAGED),
        new=memory.count(BaselineStatus.NEW),
        resolved=len(memory.resolved),
    )
    rows = [*memory.history, tonight][-TREND_ROWS:]
    kept = len(memory.history)
    yield from ["", f"**Trend** (the report keeps {kept} earlier run{'s' * (kept != 1)})", ""]
    yield "| Run | In sync | Drifted | Missing | Not checked | Unmanaged | New | Resolved |"
    yield "|---|---|---|---|---|---|---|---|"
    for totals in rows:
        when = "tonight" if totals is tonight else totals.generated_at.date().isoformat()
        cells = [
            when,
            *(str(n) for n in _counts(totals)),
            *(_maybe(totals.new), _maybe(totals.resolved)),
        ]
        yield f"| {' | '.join(cells)} |"


def _counts(totals: RunTotals) -> tuple[int, ...]:
    return totals.in_sync, totals.drifted, totals.missing, totals.not_checked, totals.unmanaged


def _maybe(count: int | None) -> str:
    return "-" if count is None else str(count)
