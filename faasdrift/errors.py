"""Every error faasdrift raises on purpose, each carrying the exit code it maps to.

The CLI has exactly one boundary that turns these into a message and an exit code; nothing else
calls ``sys.exit``. Per-function failures (404, a 502, a malformed body) are *not* errors: they are
data in the drift result, so one broken function never hides the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The exit-code contract users script against. Never change a value silently."""

    IN_SYNC = 0
    DRIFT = 1
    USAGE = 2
    INCOMPLETE = 3
    INTERNAL = 4
    INTERRUPTED = 130


class FaasdriftError(Exception):
    """Base of all expected errors; the message is one line meant for the user."""

    exit_code: ExitCode = ExitCode.INTERNAL


class UsageError(FaasdriftError):
    """Invalid input or usage: bad option, unreadable file, missing API key."""

    exit_code = ExitCode.USAGE


class MissingApiKeyError(UsageError):
    """No API key in GCORE_API_KEY and no --api-key-file."""


class ReportFileError(UsageError):
    """A report file (``--report``) or the step summary cannot be written."""


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


class DesiredFileError(UsageError):
    """The desired-state file is unreadable, not YAML, or violates the schema.

    Carries every problem found, already sorted by position, so the user fixes them in one pass.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_sort_key)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _problem_sort_key(problem: Problem) -> tuple[str, int, int, str]:
    position = problem.position or Position(0, 0)
    return (problem.source, position.line, position.column, problem.path)


class CheckIncompleteError(FaasdriftError):
    """The check as a whole could not be completed (exit 3)."""

    exit_code = ExitCode.INCOMPLETE


class AuthenticationError(CheckIncompleteError):
    """Gcore refused the API key (401/403): nothing else can be checked."""

    def __init__(self, status: int, message: str, request_id: str | None) -> None:
        self.status = status
        self.server_message = message
        self.request_id = request_id
        rid = f" (request id {request_id})" if request_id else ""
        super().__init__(f"Gcore rejected the API key: HTTP {status}: {message}{rid}")
