"""The one place faasdrift writes to the terminal, so secrets can be redacted in one place.

Reports go to stdout, diagnostics to stderr. Every string passes through ``redact`` first: even an
unexpected exception message cannot carry the API key out.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from faasdrift.secrets import MIN_SECRET_LENGTH, api_key_fragments, redact


class Console:
    def __init__(self, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self._stdout = stdout or sys.stdout
        self._stderr = stderr or sys.stderr
        self._secrets: set[str] = set()

    def add_secret(self, api_key: str) -> None:
        """Never print ``api_key`` (nor its secret part after ``$``) from now on."""
        self._secrets.update(api_key_fragments(api_key))

    def add_secret_value(self, value: str) -> None:
        """Never print ``value`` (one taken from the environment by ``${VAR}``) from now on.

        Values shorter than four characters are left: replacing every "on" or "1" in a report
        would garble it, and their changes are hidden anyway (they are marked sensitive).
        """
        if len(value.strip()) >= MIN_SECRET_LENGTH:
            self._secrets.add(value)

    def redact(self, text: str) -> str:
        return redact(text, self._secrets)

    def out(self, text: str) -> None:
        """Write report text to stdout as is (it carries its own newlines)."""
        self._stdout.write(self.redact(text))
        self._stdout.flush()

    def err(self, line: str) -> None:
        """Write one diagnostic line to stderr."""
        self._stderr.write(self.redact(line) + "\n")
        self._stderr.flush()

    def log_requests(self) -> None:
        """Show the request log (``--debug``, ``-vv``) on stderr, through this console."""
        logger = logging.getLogger("faasdrift")
        if not any(isinstance(handler, _ConsoleHandler) for handler in logger.handlers):
            logger.addHandler(_ConsoleHandler(self))
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # a host application's root handler would bypass redaction


class _ConsoleHandler(logging.Handler):
    """Log records as ``faasdrift: debug: …`` lines on the console, so they are redacted too."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.err(f"faasdrift: debug: {record.getMessage()}")
        except Exception:  # logging must never break the check
            self.handleError(record)
