"""Every error faasdrift raises on purpose, each carrying the exit code it maps to.

The CLI has exactly one boundary that turns these into a message and an exit code; nothing else
calls ``sys.exit``. Per-function failures (404, a 502, a malformed body) are *not* errors: they are
data in the drift result, so one broken function never hides the others.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: the error boundary loads this module on every run
    from faasdrift.model import Problem


class ExitCode(IntEnum):
    """The exit-code contract users script against. Never change a value silently."""

    IN_SYNC = 0
    OK = 0  # the same code, for commands that are not checks (import, validate, schema)
    DRIFT = 1
    USAGE = 2
    INCOMPLETE = 3
    INTERNAL = 4
    INTERRUPTED = 130
    TERMINATED = 143  # SIGTERM: 128 + 15, as a shell reports it


class FaasdriftError(Exception):
    """Base of all expected errors; the message is one line meant for the user."""

    exit_code: ExitCode = ExitCode.INTERNAL


class UsageError(FaasdriftError):
    """Invalid input or usage: bad option, unreadable file, missing API key."""

    exit_code = ExitCode.USAGE


class MissingApiKeyError(UsageError):
    """No API key in GCORE_API_KEY and no --api-key-file."""


class OutputFileError(UsageError):
    """A file faasdrift was asked to write cannot or must not be written (a symlink, an input)."""


class ReportFileError(OutputFileError):
    """A report file (``--report``) or the step summary cannot be written."""


class StdoutError(ReportFileError):
    """Standard output cannot be written (a full disk, a reader that went away)."""


class DesiredFileError(UsageError):
    """The desired-state file is unreadable, not YAML, or violates the schema.

    Carries every problem found, already sorted by position, so the user fixes them in one pass.
    """

    def __init__(
        self, problems: list[Problem], *, consequence: str = "nothing was checked"
    ) -> None:
        self.problems = sorted(problems, key=_problem_sort_key)
        self.consequence = consequence  # what the summary line says follows from the problems
        super().__init__("\n".join(str(problem) for problem in self.problems))


def _problem_sort_key(problem: Problem) -> tuple[str, int, int, str]:
    line, column = (problem.position.line, problem.position.column) if problem.position else (0, 0)
    return (problem.source, line, column, problem.path)


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
