"""The click layer: parse options, build the pieces, run, print, exit. No logic of its own.

``main`` is the single error boundary: it maps every exception type to its exit code and one line
on stderr; tracebacks only with --debug.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import click

from faasdrift import __version__
from faasdrift.cli.console import Console
from faasdrift.cli.error_boundary import handle_error
from faasdrift.live.credentials import API_KEY_ENV

EXIT_CODES_HELP = """\b
Exit codes:
  0    all functions in sync
  1    drift found (changed or missing functions)
  2    invalid input or usage (bad YAML, schema violation, bad option, missing API key)
  3    check incomplete (authentication, network or API errors); wins over 1,
       and the report still shows all drift found
  4    internal error (please report it; --debug shows the traceback)
  130  interrupted"""


@dataclass
class AppState:
    """What the error boundary needs to know about the run that failed."""

    console: Console = field(default_factory=Console)
    debug: bool = False

    def protect_api_key(self) -> None:
        """Redact GCORE_API_KEY from all output, before anything runs that could fail."""
        key = os.environ.get(API_KEY_ENV, "").strip()
        if key:
            self.console.add_secret(key)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "--version", prog_name="faasdrift")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_obj
def cli(app: AppState, debug: bool) -> None:
    """Report drift between Gcore FaaS functions declared in YAML and what runs live."""
    app.debug = app.debug or debug


def _register_commands() -> None:
    # The command modules import their heavy dependencies (httpx, jsonschema, deepdiff) only when
    # a command runs, so `faasdrift --version` and `--help` stay fast.
    from faasdrift.cli.cmd_check import check_command
    from faasdrift.cli.cmd_workflow import WORKFLOW_COMMANDS
    from faasdrift.emulator.command import emulator_command

    cli.add_command(check_command)
    cli.add_command(emulator_command)
    for command in WORKFLOW_COMMANDS:
        cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI and exit with the contract's exit code."""
    app = AppState()
    sys.exit(run(app, argv))


def run(app: AppState, argv: list[str] | None) -> int:
    """Run the CLI and return the exit code; every failure goes through ``handle_error``."""
    try:
        _register_commands()
        code = cli.main(args=argv, prog_name="faasdrift", obj=app, standalone_mode=False)
        return int(code or 0)
    except BaseException as error:  # the single boundary of the exit-code contract
        return handle_error(error, app.console, debug=app.debug)
