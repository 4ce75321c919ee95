"""The one error boundary: every exception type maps to one line on stderr and an exit code.

Expected errors (``FaasdriftError``) say what went wrong and exit with their own code; click's
usage errors exit 2; Ctrl-C exits 130 and SIGTERM 143, each with one line; anything else is a bug:
one line asking to report it, and the traceback only with --debug. All of it goes through the
console, which redacts secrets (problems as data, before they are formatted).
"""

from __future__ import annotations

import signal
import traceback
from collections.abc import Callable
from types import FrameType

import click

from faasdrift.cli.console import Console
from faasdrift.errors import DesiredFileError, ExitCode, FaasdriftError, StdoutError
from faasdrift.text import counted


class Terminated(BaseException):
    """SIGTERM arrived: stop as Ctrl-C would (requests in flight are cancelled), exit 143."""


def terminate_on_sigterm() -> None:
    """Turn SIGTERM into ``Terminated`` in the main thread, so it unwinds like Ctrl-C."""

    def raise_terminated(_signum: int, _frame: FrameType | None) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, raise_terminated)


def handle_error(error: BaseException, console: Console, *, debug: bool) -> int:
    """Report ``error`` and return the exit code it maps to."""
    for types, handler in _HANDLERS:
        if isinstance(error, types):
            return handler(error, console)
    if not isinstance(error, Exception):
        raise error  # SystemExit and friends are not ours to translate
    return _internal(error, console, debug=debug)


def _interrupted(_: BaseException, console: Console) -> int:
    console.err("faasdrift: interrupted")
    return ExitCode.INTERRUPTED


def _terminated(_: BaseException, console: Console) -> int:
    console.err("faasdrift: terminated (SIGTERM)")
    return ExitCode.TERMINATED


def _stdout_lost(error: BaseException, console: Console) -> int:
    # Nothing more can reach stdout (`faasdrift check … | head`, a full disk): say so on stderr.
    if isinstance(error, StdoutError):
        text = str(error)
    else:
        text = "cannot write the report to standard output: the reader closed the pipe"
    console.silence_stdout()
    console.err(f"faasdrift: error: {text}")
    return ExitCode.USAGE


def _no_command(error: BaseException, console: Console) -> int:
    # `faasdrift` alone: click raises the group's help as a usage error (since 8.2, the oldest
    # click faasdrift takes). It is our own text, many lines long: as one escaped error line it
    # would be unreadable.
    assert isinstance(error, click.ClickException)
    console.err_block(error.format_message())
    return ExitCode.USAGE


def _click_usage(error: BaseException, console: Console) -> int:
    assert isinstance(error, click.ClickException)
    console.err(f"faasdrift: error: {error.format_message()}")
    if isinstance(error, click.UsageError) and error.ctx is not None:
        console.err(f"Try '{error.ctx.command_path} --help' for help.")
    return ExitCode.USAGE


def _desired_file(error: BaseException, console: Console) -> int:
    assert isinstance(error, DesiredFileError)
    for problem in error.problems:
        console.err(str(console.redact_data(problem)))  # redacted before it is escaped
    found = counted(len(error.problems), "problem")
    console.err(f"faasdrift: {found} found; {error.consequence}")
    return error.exit_code


def _expected(error: BaseException, console: Console) -> int:
    assert isinstance(error, FaasdriftError)
    lines = str(error).splitlines() or [type(error).__name__]
    for line in lines:
        console.err(f"faasdrift: error: {line}")
    return error.exit_code


def _internal(error: Exception, console: Console, *, debug: bool) -> int:
    if debug:
        console.err_block("".join(traceback.format_exception(error)))
    console.err(
        f"faasdrift: internal error: {type(error).__name__}: {error}. This is a bug; please "
        "report it with the command you ran (add --debug for the traceback)."
    )
    return ExitCode.INTERNAL


_Handler = Callable[[BaseException, Console], int]
# Order matters: the first matching type wins (StdoutError and DesiredFileError before
# FaasdriftError).
_HANDLERS: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], _Handler], ...] = (
    ((click.exceptions.Abort, KeyboardInterrupt), _interrupted),
    (Terminated, _terminated),
    ((StdoutError, BrokenPipeError), _stdout_lost),
    (click.exceptions.NoArgsIsHelpError, _no_command),
    (click.ClickException, _click_usage),
    (DesiredFileError, _desired_file),
    (FaasdriftError, _expected),
)
