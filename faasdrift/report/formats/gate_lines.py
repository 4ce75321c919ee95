"""The plan-style lines of a gate report, without colour, shared by every format for people.

Each value is one line: its class, its path, and its three states (``base 5, live 10, new 5``);
a multi-line text (code) is summed up and followed by the diffs that matter for its class (the
hand change ``base -> live``, what the deploy does ``live -> new``). A sensitive value is only
ever described (``(sensitive, changed by hand)``), never shown, in any of its states.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from faasdrift.errors import ExitCode
from faasdrift.model import (
    ABSENT,
    FAILING,
    PRECEDENCE,
    GateChange,
    GateClass,
    GateFunction,
    GateRun,
    IgnoredGateChange,
)
from faasdrift.report.formats.lines import INDENT, Line, _capped, capped, title
from faasdrift.report.formats.values import format_value, printable, unified_diff

SYMBOL_BY_CLASS = {
    GateClass.CONFLICT: "!",
    GateClass.OVERWRITE: "!",
    GateClass.NOT_CHECKED: "?",
    GateClass.CREATE: "+",
    GateClass.DELETE: "-",
    GateClass.DEPLOY: "~",
    GateClass.ADOPTED: "=",
    GateClass.RELEASED: "=",
    GateClass.UNCHANGED: "=",
}
# What each class means for a value, in words (also after "sensitive, " for a secret).
MEANING = {
    GateClass.OVERWRITE: "changed by hand; the deploy would revert it",
    GateClass.CONFLICT: "changed by hand and in the new files, differently",
    GateClass.DEPLOY: "changed in the new files",
    GateClass.ADOPTED: "changed by hand, as the new files have it",
    GateClass.RELEASED: "no longer declared; live keeps it",
    GateClass.DELETE: "changed by hand; deleting the function discards it",
    GateClass.UNCHANGED: "unchanged",
}
SENSITIVE_MEANING = {
    GateClass.OVERWRITE: "changed by hand",
    GateClass.CONFLICT: "changed by hand and in the new files",
    GateClass.DEPLOY: "changed in the new files",
    GateClass.ADOPTED: "changed by hand, as in the new files",
    GateClass.RELEASED: "no longer declared",
    GateClass.DELETE: "changed by hand",
    GateClass.UNCHANGED: "unchanged",
}
NOT_DECLARED = "(not declared)"
NOT_SET = "(not set)"
WIDTH = max(len(name.value) for name in MEANING)  # the class column
IGNORED = "#"
# Which diffs a multi-line text shows, by class: (from, to) sides.
DIFFS: dict[GateClass, tuple[tuple[str, str], ...]] = {
    GateClass.OVERWRITE: (("live", "new"),),
    GateClass.CONFLICT: (("base", "live"), ("live", "new")),
    GateClass.DEPLOY: (("live", "new"),),
    GateClass.ADOPTED: (("base", "live"),),
    GateClass.RELEASED: (("base", "live"),),
    GateClass.DELETE: (("base", "live"),),
}


def function_lines(function: GateFunction, *, verbose: bool = False) -> Iterator[Line]:
    """The lines of one function: its title with its class, then one or more per value."""
    if function.gate_class is GateClass.UNCHANGED and not function.ignored and not verbose:
        return
    yield SYMBOL_BY_CLASS[function.gate_class], headline(function)
    yield from changes_lines(function)


def headline(function: GateFunction) -> str:
    """``! prod-api/hello  (project 1, region 1)  overwrite``, with the reason of its own class."""
    symbol = SYMBOL_BY_CLASS[function.gate_class]
    reason = f": {printable(function.reason)}" if function.reason else ""
    return f"{symbol} {title(function.identity)}  {class_name(function.gate_class)}{reason}"


def class_name(gate_class: GateClass) -> str:
    return gate_class.value.replace("_", " ")


def changes_lines(function: GateFunction, *, indent: str = INDENT) -> list[Line]:
    """Every value's lines (the ignored ones too, with their rule's reason), within the cap."""
    items: list[GateChange | IgnoredGateChange] = [*function.changes, *function.ignored]
    lines = (line for item in items for line in change_lines(item, indent=indent))
    return capped(lines, indent=indent)


def change_lines(item: GateChange | IgnoredGateChange, *, indent: str = INDENT) -> Iterator[Line]:
    """One line for a value, then the diffs of a multi-line text."""
    change = item.change if isinstance(item, IgnoredGateChange) else item
    symbol = IGNORED if isinstance(item, IgnoredGateChange) else SYMBOL_BY_CLASS[change.gate_class]
    text = change_text(change)
    if isinstance(item, IgnoredGateChange):
        text += f"  ignored: {printable(item.rule.reason)}"
    yield symbol, f"{indent}{symbol} {_capped(text)}"
    for before, after in DIFFS.get(change.gate_class, ()) if is_text(change) else ():
        old, new = _side(change, before), _side(change, after)
        if old != new:
            for line in unified_diff(str(old), str(new), (before, after)):
                yield line[:1], f"{indent * 2}{_capped(printable(line))}"


def change_text(change: GateChange, *, with_class: bool = True) -> str:
    """``overwrite  timeout: base 5, live 10, new 5``: one printable line of the value."""
    name = f"{class_name(change.gate_class):<{WIDTH}}  " if with_class else ""
    path = printable(change.path)
    if change.sensitive:
        return f"{name}{path}: (sensitive, {SENSITIVE_MEANING[change.gate_class]})"
    if is_text(change):
        return f"{name}{path}: {MEANING[change.gate_class]} (text: see the diff)"
    return f"{name}{path}: {states(change)}"


def standalone_text(change: GateChange) -> str:
    """A value on one line read away from the report (an annotation): what it means, in words."""
    path = printable(change.path)
    if change.sensitive:
        text = f"{path}: (sensitive, {SENSITIVE_MEANING[change.gate_class]})"
    elif is_text(change):
        text = f"{path}: {MEANING[change.gate_class]} (the report shows the diffs)"
    else:
        text = f"{path}: {states(change)}: {MEANING[change.gate_class]}"
    return _capped(text)


def states(change: GateChange) -> str:
    """``base 5, live 10, new 5``; a side that has no value says so."""
    return ", ".join(f"{side} {shown(change, side)}" for side in ("base", "live", "new"))


def shown(change: GateChange, side: str) -> str:
    """One side of a value for display (never a sensitive one's)."""
    value = _side(change, side)
    if change.sensitive:
        return "(sensitive)"
    if value is ABSENT:
        return NOT_SET if side == "live" else NOT_DECLARED
    return printable(format_value(value))


def is_text(change: GateChange) -> bool:
    """Whether a value reads best as diffs: a string with a line break on some side."""
    if change.sensitive:
        return False
    values = [change.base, change.live, change.desired]
    texts = [value for value in values if value is not ABSENT]
    return all(isinstance(v, str) for v in texts) and any("\n" in v for v in texts)


def _side(change: GateChange, side: str) -> Any:
    return {"base": change.base, "live": change.live, "new": change.desired}[side]


def failing_count(run: GateRun) -> int:
    """How many values (and deleted functions) the deploy would overwrite or conflict with."""
    result = run.result
    values = sum(result.count_changes(gate_class) for gate_class in FAILING)
    recreated = sum(
        1
        for function in result.functions
        if function.gate_class in FAILING and not function.changes
    )
    return values + recreated


def summary_line(run: GateRun) -> str:
    """``5 functions: 1 conflict, 1 overwrite, 0 not checked, 2 deploy, 1 create.`` and more."""
    result = run.result
    total = len(result.functions)
    noun = "function" if total == 1 else "functions"
    always = (GateClass.CONFLICT, GateClass.OVERWRITE, GateClass.NOT_CHECKED)
    parts = [f"{result.count(name)} {class_name(name)}" for name in always]
    parts += [
        f"{result.count(name)} {class_name(name)}"
        for name in PRECEDENCE
        if name not in always and result.count(name)
    ]
    ignored = result.ignored_count
    ignored_text = (
        f" {ignored} hand change{'s' if ignored != 1 else ''} ignored." if ignored else ""
    )
    count = run.retries
    retries = f" {count} retr{'y' if count == 1 else 'ies'}." if count else ""
    return f"{total} {noun}: {', '.join(parts)}.{ignored_text}{retries}"


def verdict_line(run: GateRun) -> str:
    """What the run says about the deploy, in one sentence."""
    if run.exit_code == ExitCode.INCOMPLETE:
        return "The gate could not check every function: it cannot call this deploy safe."
    lost = failing_count(run)
    if lost:
        noun = "hand change" if lost == 1 else "hand changes"
        return f"The deploy would overwrite or conflict with {lost} {noun}."
    return "Safe to deploy: no hand change would be lost."


def base_line(run: GateRun) -> str:
    """Where the base came from: ``Base: origin/main:deploy/app.yaml (commit 1a2b3c4d5e6f)``."""
    result = run.result
    source = printable(result.base_source) or "(no files)"
    commit = f" (commit {result.base_commit[:12]})" if result.base_commit else ""
    return f"Base: {source}{commit}"
