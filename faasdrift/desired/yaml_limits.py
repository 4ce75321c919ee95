"""The limits a YAML text must keep, checked on the parser's event stream before anything is built.

A desired file can come from a pull request, so it is hostile until proven otherwise. Building
nodes first and counting them afterwards would already be too late for an alias bomb ("billion
laughs": 100 bytes that expand to 10^9 values) or a file of half a million tiny values, so the
events are counted as they stream past: every limit is hit after at most ``MAX_VALUES`` events, in
bounded memory, and nothing is recursive (the fallback pure-Python composer is, and would die of a
``RecursionError`` on 10,000 levels of nesting). SECURITY.md explains each number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, Event, ScalarEvent

from faasdrift.model import Position

# A desired file of 10,000 functions (the schema's maximum) without inline code is about 5 MB;
# 32 MiB leaves room for that plus ~250 functions with the largest code_text the API takes
# (100,000 characters) written inline, and a 50 MB file is still refused unread.
MAX_FILE_BYTES = 32 * 1024 * 1024
# The desired file needs 4 levels (functions, item, envs, value); 64 is generous and keeps the
# builder's recursion far from Python's stack limit.
MAX_DEPTH = 64
# Every key, scalar, list and mapping, counting an alias as a full copy of what it names. 10,000
# functions of ~30 values each (identity, settings, a few envs) are 300,000; bench/hostile.py
# measures the heaviest file that loads.
MAX_VALUES = 300_000
# A few aliases per function (envs: *common, autoscaling: *small) at 10,000 functions; each still
# counts in full against MAX_VALUES, so this only bounds the bookkeeping.
MAX_ALIASES = 50_000
# Characters of a scalar that YAML reads as a number (int or float, in any of YAML 1.1's forms).
# Checked before the number is built: PyYAML turns a sexagesimal 1:0:0:... into an int in
# quadratic time, and an int of more than 4,300 digits cannot even be printed (Python's own
# limit). The largest number a desired file needs is an id of 19 digits; 100 leaves room for
# underscores and signs.
MAX_NUMBER_CHARS = 100
# A plain scalar written like a YAML 1.1 number (hex, binary, decimal, octal, float, 1:0:0): caught
# on the event stream, before the resolver's own pattern meets it (on 2 MB of "1:0:0:..." that
# pattern alone needs 150 MB of backtracking state). Only character classes: linear, no state.
_NUMBER_LIKE = re.compile(r"[-+]?(?:0x[0-9a-fA-F_]+|0b[01_]+|[0-9.][0-9_:.eE+-]*)")


class LimitError(Exception):
    """The text breaks one of the limits; ``position`` is where that was noticed."""

    def __init__(self, reason: str, position: Position) -> None:
        super().__init__(reason)
        self.reason, self.position = reason, position


@dataclass
class _Open:
    """A list or mapping whose end event has not come yet."""

    anchor: str | None
    values_before: int  # the running total before this collection started
    height: int = 0  # how many levels of collections it holds


def check_limits(text: str, loader: type[yaml.SafeLoader | yaml.CSafeLoader]) -> None:
    """Raise ``LimitError`` if ``text`` is too deep, too big once expanded, or alias-heavy.

    Syntax errors surface as the parser's own ``yaml.YAMLError``; an alias to an unknown anchor is
    left for the composer, which names it.
    """
    parser = loader(text)
    try:
        count_to_the_end(parser, LimitCounter())
    finally:
        parser.dispose()


# Running totals of values at which ``LimitCounter`` calls its ``checkpoint`` (each a doubling).
CHECKPOINTS = tuple(8192 << n for n in range(6))  # 8,192 ... 262,144


class LimitCounter:
    """Counts events one by one (``take``), raising ``LimitError`` at the first that breaks a
    limit: the loader's one pass over the event stream calls it before it builds anything.

    ``checkpoint(values, event)`` is called once as the running total passes each of
    ``CHECKPOINTS``, after ``event`` is fully counted: the one pass uses it to stop building a
    file that is on its way to breaking ``MAX_VALUES`` (it may raise to do so).

    Counting a scalar that is not anchored, has at most ``MAX_NUMBER_CHARS`` characters and
    stands at most ``MAX_DEPTH`` collections deep, while ``values < next_stop``, is exactly
    ``values += 1`` (a collection's height is settled when it closes, not by each scalar in it):
    the one pass, which meets 200,000 scalars in a large file, does that inline.
    """

    def __init__(self, checkpoint: Callable[[int, Event], None] | None = None) -> None:
        self.values = 0
        self.aliases = 0
        self.open: list[_Open] = []
        # Values and height of each anchored subtree, so an alias costs what it will expand to.
        self.anchored: dict[str, tuple[int, int]] = {}
        self._checkpoint = checkpoint
        self._checkpoints = list(reversed(CHECKPOINTS)) if checkpoint else []
        # The scalar path compares with one number only: the next checkpoint, or the limit.
        self.next_stop = self._checkpoints.pop() if self._checkpoints else MAX_VALUES

    def take(self, event: Event) -> None:
        if isinstance(event, ScalarEvent):  # the most frequent first
            self.scalar(event)
            return
        if isinstance(event, CollectionStartEvent):
            self._add(1, 0, event)
            self.open.append(_Open(event.anchor, self.values - 1))
        elif isinstance(event, CollectionEndEvent):
            self._close()
        elif isinstance(event, AliasEvent):
            self._alias(event)
        if self.values > self.next_stop:
            self._passed_stop(event)

    def scalar(self, event: ScalarEvent) -> None:
        """``take`` for a scalar, the most frequent event, in as few steps as it can."""
        if len(event.value) > MAX_NUMBER_CHARS:
            _check_number(event)
        self.values += 1
        if event.anchor is not None:
            self.anchored[event.anchor] = (1, 0)
        if self.values > self.next_stop or len(self.open) > MAX_DEPTH:
            self.values -= 1
            self._add(1, 0, event)  # raises at a limit, and words which limit it is
            if self.values > self.next_stop:
                self._passed_stop(event)

    def without_checkpoints(self) -> LimitCounter:
        """The same counter, calling ``checkpoint`` no more (it only counts from here on)."""
        self._checkpoint = None
        return self

    def _passed_stop(self, event: Event) -> None:
        """The running total passed a checkpoint (a limit raises in ``_add`` before this)."""
        while self.next_stop < self.values and self.next_stop < MAX_VALUES:
            self.next_stop = self._checkpoints.pop() if self._checkpoints else MAX_VALUES
        if self._checkpoint is not None:
            self._checkpoint(self.values, event)

    def _alias(self, event: AliasEvent) -> None:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise LimitError(f"more than {MAX_ALIASES:,} aliases", _where(event))
        name = str(event.anchor)
        if any(collection.anchor == name for collection in self.open):
            raise LimitError("an alias refers to a value that contains it", _where(event))
        values, height = self.anchored.get(name, (1, 0))
        self._add(values, height, event)

    def _add(self, values: int, height: int, event: Event) -> None:
        """Count a node of ``values`` values and ``height`` levels placed at the current depth."""
        self.values += values
        if self.values > MAX_VALUES:
            message = f"more than {MAX_VALUES:,} values once aliases are expanded"
            raise LimitError(message, _where(event))
        if len(self.open) + height > MAX_DEPTH:
            raise LimitError(f"nested deeper than {MAX_DEPTH} levels", _where(event))
        if self.open:
            self.open[-1].height = max(self.open[-1].height, height + 1)

    def _close(self) -> None:
        closed = self.open.pop()
        if self.values - closed.values_before > 1:  # it holds something: one level at least
            closed.height = max(closed.height, 1)
        if closed.anchor is not None:
            self.anchored[closed.anchor] = (self.values - closed.values_before, closed.height)
        if self.open:
            self.open[-1].height = max(self.open[-1].height, closed.height + 1)


def count_to_the_end(loader: yaml.SafeLoader | yaml.CSafeLoader, counter: LimitCounter) -> None:
    """Count the rest of ``loader``'s events, raising ``LimitError`` at the first over a limit."""
    next_event, take, scalar = loader.get_event, counter.take, counter.scalar
    while (event := next_event()) is not None:
        if type(event) is ScalarEvent:
            scalar(event)
        else:
            take(event)


class DenseText(Exception):
    """The text is on its way to more than ``MAX_VALUES`` values: count it before building."""


# At a checkpoint, a text whose values so far, spread over its whole length, come within this
# share of MAX_VALUES stops being built. The heaviest file that loads (10,000 functions with 10
# envs each, 270,000 values) extrapolates to ~273,000 from its first 8,192 and is built in one pass.
_DENSE_SHARE = 0.95


def dense_text_checkpoint(length: int) -> Callable[[int, Event], None]:
    """A ``LimitCounter`` checkpoint raising ``DenseText`` for a text of ``length`` characters
    whose values so far predict, spread over all of it, close to ``MAX_VALUES`` or more."""

    def checkpoint(values: int, event: Event) -> None:
        mark: Any = event.start_mark
        if values * length > _DENSE_SHARE * MAX_VALUES * (mark.index + 1):
            raise DenseText

    return checkpoint


def number_too_long(length: int) -> str:
    return (
        f"a number written with {length:,} characters; the limit is {MAX_NUMBER_CHARS} "
        "(quote it if it is text)"
    )


def _check_number(event: ScalarEvent) -> None:
    plain = event.implicit[0]  # written without quotes, so the resolver may read a number
    value = event.value
    if plain and len(value) > MAX_NUMBER_CHARS and _NUMBER_LIKE.fullmatch(value):
        raise LimitError(number_too_long(len(value)), _where(event))


def _where(event: Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
