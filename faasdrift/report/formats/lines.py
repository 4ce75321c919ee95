"""The terraform-plan style lines of a report, without colour, shared by every format.

The text report paints them; JUnit puts them in a ``<failure>``, markdown in a collapsible section,
the GitHub format in a log group. Each line comes with its symbol so a caller can colour it.
Sensitive values never reach a line: ``shown_value`` hides them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from faasdrift.model import (
    Change,
    ChangeKind,
    CheckRun,
    FunctionId,
    FunctionResult,
    FunctionStatus,
)
from faasdrift.report.formats.values import (
    SENSITIVE_CHANGED,
    is_text_diff,
    printable,
    shown_value,
    unified_diff,
)

INDENT = "    "
SYMBOL_BY_KIND = {ChangeKind.CHANGED: "~", ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-"}
NOTE_BY_KIND = {
    ChangeKind.ADDED: "(declared, not live)",
    ChangeKind.REMOVED: "(live, not declared)",
}
# What one function's changes may print: code diffs of 10,000 functions (or of one file named by
# all of them) would otherwise fill a CI log with gigabytes. The JSON report keeps the values.
MAX_FUNCTION_TEXT = 32 * 1024  # characters of change lines per function
MAX_LINE = 2_000  # characters of one line; longer ones end in …
CUT_NOTE = "… {count:,} more line{s} not shown (the JSON report holds the values)"
MISSING_REASON = "no such function in Gcore"
UNMANAGED_REASON = "live in Gcore, not declared"
IGNORED = "#"  # the symbol of an ignored difference: a comment, not drift

# One line and its symbol: "~", "+", "-", "!", "?", "=", or a diff line's first character.
Line = tuple[str, str]
# What a baseline says of each finding of a function, as text to add to its line: by a change's
# path, and "" for the function's own finding (missing, unmanaged, not checked).
Tags = Mapping[str, str]
NO_TAGS: Tags = {}


def tagged(text: str, tag: str | None) -> str:
    return f"{text}  {tag}" if tag else text


def missing_reason(function: FunctionResult) -> str:
    """Why a function is missing: no such function, or its namespace does not exist either."""
    return printable(function.reason) if function.reason else MISSING_REASON


def title(identity: FunctionId) -> str:
    """``prod-api/hello  (project 1, region 1)``, non-printable characters spelled out."""
    label = printable(identity.label)
    return f"{label}  (project {identity.project_id}, region {identity.region_id})"


def function_lines(
    function: FunctionResult, *, verbose: bool = False, tags: Tags = NO_TAGS
) -> Iterator[Line]:
    """The lines of one function: its title with the verdict, then one or more per change.

    ``verbose`` also lists in-sync functions and the differences ignore rules accepted; ``tags``
    end the lines of the findings a baseline says something of.
    """
    yield from _verdict_lines(function, verbose=verbose, tags=tags)
    if verbose:
        yield from ignored_lines(function)


def ignored_lines(function: FunctionResult, *, indent: str = INDENT) -> Iterator[Line]:
    """``# envs.BUILD_ID: "1" -> "2"  ignored: set by the deploy pipeline``, one per difference."""
    for item in function.ignored:
        text = f"{change_text(item.change)}  ignored: {printable(item.rule.reason)}"
        yield IGNORED, f"{indent}{IGNORED} {text}"


def _verdict_lines(function: FunctionResult, *, verbose: bool, tags: Tags) -> Iterator[Line]:
    status, tag = function.status, tags.get("")
    if status is FunctionStatus.IN_SYNC:
        if verbose:
            yield "=", f"= {title(function.identity)}  in sync"
    elif status is FunctionStatus.UNMANAGED:
        # Live, not declared: "-", as for a value (the signs say what the file lacks or adds).
        yield "-", tagged(f"- {title(function.identity)}  unmanaged", tag)
    elif status is FunctionStatus.MISSING:
        line = f"! {title(function.identity)}  missing: {missing_reason(function)}"
        yield "!", tagged(line, tag)
    elif status is FunctionStatus.NOT_CHECKED:
        line = f"? {title(function.identity)}  not checked: {printable(str(function.reason))}"
        yield "?", tagged(line, tag)
    else:
        yield "~", f"~ {title(function.identity)}"
        yield from changes_lines(function.changes, tags=tags)


def changes_lines(
    changes: Iterable[Change], *, indent: str = INDENT, tags: Tags = NO_TAGS
) -> list[Line]:
    """The lines of one function's changes, at most ``MAX_FUNCTION_TEXT`` characters of them,
    then a line saying how many more there are."""
    lines = (
        line
        for change in changes
        for line in change_lines(change, indent=indent, tag=tags.get(change.path))
    )
    return capped(lines, indent=indent)


def capped(lines: Iterator[Line], *, indent: str = INDENT) -> list[Line]:
    """``lines`` up to ``MAX_FUNCTION_TEXT`` characters, then a line counting the rest."""
    shown: list[Line] = []
    budget = MAX_FUNCTION_TEXT
    for symbol, text in lines:
        budget -= len(text)
        if budget < 0:
            count = 1 + sum(1 for _ in lines)
            note = CUT_NOTE.format(count=count, s="s" if count != 1 else "")
            shown.append(("#", f"{indent}{note}"))
            break
        shown.append((symbol, text))
    return shown


def _capped(line: str) -> str:
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def change_lines(change: Change, *, indent: str = INDENT, tag: str | None = None) -> Iterator[Line]:
    """One line for a change, or a unified diff (live -> desired) for multi-line text; ``tag``
    ends its first line."""
    symbol = SYMBOL_BY_KIND[change.kind]
    if is_text_diff(change):
        yield symbol, tagged(f"{indent}{symbol} {_capped(printable(change.path))}:", tag)
        for line in unified_diff(str(change.live), str(change.desired)):
            yield line[:1], f"{indent * 2}{_capped(printable(line))}"
        return
    yield symbol, tagged(f"{indent}{symbol} {change_text(change)}", tag)


def change_text(change: Change, *, standalone: bool = False) -> str:
    """A change on one line: ``timeout: 10 -> 5``; a text diff is summed up by its line counts.

    ``standalone`` says which side is which, for a line read away from the report (annotations).
    Always one printable line of at most ``MAX_LINE`` characters, whatever the path (a live env
    name) or the values hold.
    """
    return _capped(printable(_change_text(change, standalone=standalone)))


def _change_text(change: Change, *, standalone: bool) -> str:
    if change.kind is ChangeKind.CHANGED:
        if change.sensitive:
            return f"{change.path}: {SENSITIVE_CHANGED}"
        if is_text_diff(change):
            return f"{change.path}: {_diff_stat(change)} (live -> desired)"
        live, desired = shown_value(change, change.live), shown_value(change, change.desired)
        return f"{change.path}: {live} -> {desired}" + (" (live -> desired)" if standalone else "")
    value = change.desired if change.kind is ChangeKind.ADDED else change.live
    if value == change.path.rpartition(".")[2]:  # a member of a set (keys.NAME) is its name
        return f"{change.path}  {NOTE_BY_KIND[change.kind]}"
    return f"{change.path}: {shown_value(change, value)}  {NOTE_BY_KIND[change.kind]}"


def _diff_stat(change: Change) -> str:
    lines = unified_diff(str(change.live), str(change.desired))[2:]  # past the ---/+++ header
    added = sum(1 for line in lines if line.startswith("+"))
    removed = sum(1 for line in lines if line.startswith("-"))
    return f"{removed} line{'s' if removed != 1 else ''} removed, {added} added"


def summary_line(run: CheckRun) -> str:
    """`3 functions: 0 in sync, 1 drifted, 1 missing, 1 not checked.` (+ ` 7 retries.` if any)

    With ``--unmanaged`` the unmanaged count is always there (0 says they were looked for), and
    ` 2 differences ignored.` follows when ignore rules accepted any.
    """
    result = run.result
    total = len(result.functions)
    noun = "function" if total == 1 else "functions"
    parts = [
        f"{result.count(FunctionStatus.IN_SYNC)} in sync",
        f"{result.count(FunctionStatus.DRIFTED)} drifted",
        f"{result.count(FunctionStatus.MISSING)} missing",
        f"{result.count(FunctionStatus.NOT_CHECKED)} not checked",
    ]
    if result.unmanaged_checked:
        parts.append(f"{result.count(FunctionStatus.UNMANAGED)} unmanaged")
    return f"{total} {noun}: {', '.join(parts)}.{summary_extras(run)}"


def summary_extras(run: CheckRun) -> str:
    """What follows the counts: ` 2 differences ignored.` and ` 7 retries.`, when there are any."""
    ignored = run.result.ignored_count
    noun_ignored = "difference" if ignored == 1 else "differences"
    ignored_text = f" {ignored} {noun_ignored} ignored." if ignored else ""
    # Retries are worth knowing (a slow or throttled API) even when every function was checked.
    count = run.retries
    retries = f" {count} retr{'y' if count == 1 else 'ies'}." if count else ""
    return ignored_text + retries
