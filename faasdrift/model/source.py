"""Where things stand in a desired file: positions, and the problems found at them."""

from __future__ import annotations

from dataclasses import dataclass


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
        where = f"{self.source}:{self.position}" if self.position else self.source
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        # Always one line, whatever the file holds: a newline or a terminal escape in a key must
        # not forge a line of output in a CI log (which may act on lines such as "::error::").
        return text if text.isprintable() else "".join(map(_printable, text))


def _printable(char: str) -> str:
    return char if char.isprintable() else repr(char)[1:-1]
