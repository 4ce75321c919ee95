"""The one place faasdrift writes to the terminal: the output boundary, where secrets are redacted.

Reports go to stdout, diagnostics to stderr. The console holds the run's ``Secrets`` and redacts
*data* before it becomes text (``redact_data``: a problem, a log record's arguments), so no escaping
can change the bytes a secret is recognised by; every string it writes is redacted once more, as
the last line of defence (a document on stdout for the API key only: its syntax must survive).
A diagnostic is always one printable line without a CI command in it.
"""

from __future__ import annotations

import copy
import logging
import os
import sys
from typing import TextIO, TypeVar

from faasdrift.errors import StdoutError
from faasdrift.secrets import Secrets
from faasdrift.text import line_safe

T = TypeVar("T")

# Loggers whose records always reach the console: errors that asyncio reports on its own (a task
# that failed with nobody waiting for it) would otherwise go to stderr unredacted.
ALWAYS_SHOWN_LOGS = "faasdrift.async"


class Console:
    def __init__(
        self,
        *,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        secrets: Secrets | None = None,
    ) -> None:
        self._stdout = stdout or sys.stdout
        self._stderr = stderr or sys.stderr
        self.secrets = secrets if secrets is not None else Secrets()

    def add_secret(self, api_key: str) -> None:
        """Never print ``api_key`` (nor its secret part after ``$``) from now on."""
        self.secrets.add_api_key(api_key)

    def add_secret_value(self, value: str) -> None:
        """Never print ``value`` (one taken from the environment by ``${VAR}``) from now on."""
        self.secrets.add_value(value)

    def redact(self, text: str) -> str:
        return self.secrets.redact(text)

    def redact_data(self, value: T) -> T:
        return self.secrets.redact_data(value)

    def out(self, text: str) -> None:
        """Write a document (a report, a desired file, a schema) to stdout; it carries its own
        newlines and was made from redacted data, so only the API key is redacted once more."""
        try:
            self._stdout.write(self.secrets.redact_document(text))
            self._stdout.flush()
        except OSError as error:  # a full disk, a closed pipe: say so, in one line
            reason = error.strerror or type(error).__name__
            raise StdoutError(f"cannot write the report to standard output: {reason}") from None

    def silence_stdout(self) -> None:
        """Point the process's stdout at /dev/null once it is lost, so the interpreter's last
        flush at exit cannot fail a second time."""
        if sys.__stdout__ is None or self._stdout is not sys.__stdout__:
            return  # a test's buffer, or a stream that is not the process's
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stdout.fileno())
        except (OSError, ValueError):
            pass

    def err(self, line: str) -> None:
        """Write one diagnostic line to stderr: redacted, then made printable and command-free."""
        self._stderr.write(line_safe(self.redact(line)) + "\n")
        self._stderr.flush()

    def err_block(self, text: str) -> None:
        """Write several diagnostic lines (a traceback), each as ``err`` would."""
        for line in self.redact(text).splitlines():
            self.err(line)

    def log_requests(self) -> None:
        """Show the request log (``--debug``, ``-vv``) on stderr, through this console."""
        self._route("faasdrift", logging.DEBUG)

    def show_async_errors(self) -> None:
        """Route asyncio's own error reports through this console (always on)."""
        self._route(ALWAYS_SHOWN_LOGS, logging.WARNING)

    def _route(self, name: str, level: int) -> None:
        logger = logging.getLogger(name)
        for handler in [h for h in logger.handlers if isinstance(h, _ConsoleHandler)]:
            logger.removeHandler(handler)  # a console of an earlier run in this process
        logger.addHandler(_ConsoleHandler(self))
        logger.setLevel(level)
        logger.propagate = False  # a host application's root handler would bypass redaction


class _ConsoleHandler(logging.Handler):
    """Log records as ``faasdrift: debug: …`` lines on the console, redacted as data first: a
    record's arguments (a request's path segments) are redacted before they are formatted (and
    percent-encoded)."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            redacted = copy.copy(record)
            redacted.msg = self.console.redact(str(record.msg))
            redacted.args = self.console.redact_data(record.args)
            level = record.levelname.lower()
            self.console.err(f"faasdrift: {level}: {redacted.getMessage()}")
        except Exception:  # logging must never break the check
            self.handleError(record)
