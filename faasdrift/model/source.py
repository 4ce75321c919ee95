"""Where things stand in a desired file: positions, and the problems found at them."""

from __future__ import annotations

from dataclasses import dataclass

from faasdrift.text import printable, shown_path, without_legacy_commands


@dataclass(frozen=True)
class Position:
    """A 1-based line/column in a source file."""

    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One problem in a desired-state file, rendered as ``file:line:col: path: message``."""

    source: str
    position: Position | None
    path: str
    message: str

    def __str__(self) -> str:
        # Always one line, whatever the file holds: a newline or a terminal escape in a key must
        # not forge a line of output in a CI log (which may act on lines such as "::error::"),
        # and the file's own name, first on the line, must not start one either.
        source = shown_path(self.source)
        where = f"{source}:{self.position}" if self.position else source
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {without_legacy_commands(printable(text, keep_tabs=False))}"
