"""`checked 120/500` on stderr while a long check runs, for the person watching a terminal.

Silent unless stderr is a terminal and the check has run for more than a second: CI logs and
pipes stay clean, and a quick check never flickers. Never on stdout, which belongs to the report.
It writes to the stream directly, not through the console: it only ever prints two numbers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO

DELAY = 1.0  # seconds before the first line
INTERVAL = 0.1  # seconds between redraws: enough for the eye, cheap for 10 000 functions
_CLEAR = "\r\x1b[K"  # back to the start of the line and erase it


class ProgressLine:
    """A ``Progress`` callback for ``check``; use it as a context manager so the line is erased."""

    def __init__(self, stream: TextIO, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.enabled = stream.isatty()
        self.started = clock()
        self.drawn_at: float | None = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < DELAY:
            return
        if self.drawn_at is not None and now - self.drawn_at < INTERVAL and done < total:
            return
        self.stream.write(f"{_CLEAR}checked {done}/{total}")
        self.stream.flush()
        self.drawn_at = now

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.drawn_at is not None:  # leave the terminal as we found it, report or error next
            self.stream.write(_CLEAR)
            self.stream.flush()
