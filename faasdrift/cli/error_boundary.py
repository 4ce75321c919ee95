"""The one error boundary: every exception type maps to one line on stderr and an exit code.

Expected errors (``FaasdriftError``) say what went wrong and exit with their own code; click's
usage errors exit 2; Ctrl-C exits 130; anything else is a bug: one line asking to report it, and
the traceback only with --debug. All of it goes through the console, which redacts the API key.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable

import click

from faasdrift.cli.console import Console
from faasdrift.errors import DesiredFileError, ExitCode, FaasdriftError


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


def _broken_pipe(_: BaseException, __: Console) -> int:
    # The reader went away (`faasdrift check … | head`); stop writing, quietly.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return ExitCode.INTERNAL


def _click_usage(error: BaseException, console: Console) -> int:
    assert isinstance(error, click.ClickException)
    console.err(f"faasdrift: error: {error.format_message()}")
    if isinstance(error, click.UsageError) and error.ctx is not None:
        console.err(f"Try '{error.ctx.command_path} --help' for help.")
    return ExitCode.USAGE


def _desired_file(error: BaseException, console: Console) -> int:
    assert isinstance(error, DesiredFileError)
    for problem in error.problems:
        console.err(str(problem))
    count = len(error.problems)
    console.err(f"faasdrift: {count} problem{'s' if count != 1 else ''} found; nothing was checked")
    return error.exit_code


def _expected(error: BaseException, console: Console) -> int:
    assert isinstance(error, FaasdriftError)
    lines = str(error).splitlines() or [type(error).__name__]
    for line in lines:
        console.err(f"faasdrift: error: {line}")
    return error.exit_code


def _internal(error: Exception, console: Console, *, debug: bool) -> int:
    if debug:
        console.err("".join(traceback.format_exception(error)).rstrip("\n"))
    console.err(
        f"faasdrift: internal error: {type(error).__name__}: {error}. This is a bug; please "
        "report it with the command you ran (add --debug for the traceback)."
    )
    return ExitCode.INTERNAL


_Handler = Callable[[BaseException, Console], int]
# Order matters: the first matching type wins (DesiredFileError before FaasdriftError).
_HANDLERS: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], _Handler], ...] = (
    ((click.exceptions.Abort, KeyboardInterrupt), _interrupted),
    (BrokenPipeError, _broken_pipe),
    (click.ClickException, _click_usage),
    (DesiredFileError, _desired_file),
    (FaasdriftError, _expected),
)
