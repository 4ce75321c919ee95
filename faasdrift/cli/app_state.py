"""What every command shares for one run: the console, and what the error boundary must know."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from faasdrift.cli.console import Console
from faasdrift.live.credentials import API_KEY_ENV
from faasdrift.secrets import Secrets

if TYPE_CHECKING:  # every run makes an AppState; --help and --version never report
    from faasdrift.outputs import Output
    from faasdrift.report.publish import OutputSettings, Publisher


@dataclass
class AppState:
    """The console (the one way out to the terminal) and whether tracebacks may be shown."""

    console: Console = field(default_factory=Console)
    debug: bool = False

    @property
    def secrets(self) -> Secrets:
        """The run's secrets: every stage that produces output redacts with this one registry."""
        return self.console.secrets

    def protect_api_key(self) -> None:
        """Redact GCORE_API_KEY from all output, before anything runs that could fail."""
        key = os.environ.get(API_KEY_ENV, "").strip()
        if key:
            self.console.add_secret(key)

    def enable_debug(self, debug: bool, *, log_requests: bool = False) -> None:
        """A command's own ``--debug``; with it (or ``log_requests``) each request is logged."""
        self.debug = self.debug or debug
        if self.debug or log_requests:  # method, URL, status, timing, retries: never headers
            self.console.log_requests()

    def start_reporting(
        self, output: OutputSettings, *, debug: bool
    ) -> tuple[Publisher, tuple[Output, ...]]:
        """What a command that reports a run does first: logging, the key protected before
        anything can fail, and the report's destinations checked (an unwritable ``--report``
        fails now, not after the whole run). The publisher, and the outputs it will write."""
        from faasdrift.report.publish import Publisher  # noqa: PLC0415 - see the imports above

        self.enable_debug(debug, log_requests=output.log_requests)
        self.protect_api_key()
        console = self.console
        publisher = Publisher(
            output, environ=os.environ, secrets=self.secrets, out=console.out, warn=console.err
        )
        return publisher, publisher.prepare()
