"""The one place faasdrift writes to the terminal, so secrets can be redacted in one place.

Reports go to stdout, diagnostics to stderr. Every string passes through ``redact`` first: even an
unexpected exception message cannot carry the API key out.
"""

from __future__ import annotations

import sys
from typing import TextIO

from faasdrift.secrets import api_key_fragments, redact


class Console:
    def __init__(self, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self._stdout = stdout or sys.stdout
        self._stderr = stderr or sys.stderr
        self._secrets: set[str] = set()

    def add_secret(self, api_key: str) -> None:
        """Never print ``api_key`` (nor its secret part after ``$``) from now on."""
        self._secrets.update(api_key_fragments(api_key))

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
