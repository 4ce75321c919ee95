"""The entry point: the ``faasdrift`` group, its commands by name, and the one error boundary.

``run`` maps every exception to its exit code and one line on stderr (``error_boundary``);
tracebacks only with --debug. Nothing else in faasdrift calls ``sys.exit`` (but ``entry``, the
console script, after answering ``--version`` without click).
"""

from __future__ import annotations

import gc
import sys

import click

from faasdrift import __version__
from faasdrift.cli.app_state import AppState
from faasdrift.cli.error_boundary import handle_error, terminate_on_sigterm
from faasdrift.cli.help_texts import EXIT_CODES_HELP
from faasdrift.cli.lazy_group import LazyCommand, LazyGroup

COMMANDS = (
    LazyCommand(
        "check",
        "faasdrift.cli.cmd_check:check_command",
        "Compare the functions declared in DESIRED with the live ones in Gcore.",
    ),
    LazyCommand(
        "emulator",
        "faasdrift.emulator.command:emulator_command",
        "Serve STATE as a Gcore FaaS API emulator until interrupted (Ctrl-C or SIGTERM).",
    ),
    LazyCommand(
        "gate",
        "faasdrift.cli.cmd_gate:gate_command",
        "Before a deploy: would applying NEW overwrite a change made by hand in Gcore?",
    ),
    LazyCommand(
        "import",
        "faasdrift.cli.cmd_import:import_command",
        "Write a desired file from the live functions of the namespaces (stdout without -o).",
    ),
    LazyCommand(
        "schema",
        "faasdrift.cli.cmd_schema:schema_command",
        "Print the desired file's JSON Schema, self-contained (for editors and other tools).",
    ),
    LazyCommand(
        "snapshot",
        "faasdrift.cli.cmd_snapshot:snapshot_command",
        "Save the live state of the functions DESIRED declares, for `check --live FILE`.",
    ),
    LazyCommand(
        "validate",
        "faasdrift.cli.cmd_validate:validate_command",
        "Check desired FILES against the schema and the cross-field rules: no API key, no network.",
    ),
)


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(__version__, "--version", prog_name="faasdrift")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_obj
def cli(app: AppState, debug: bool) -> None:
    """Report drift between Gcore FaaS functions declared in YAML and what runs live."""
    app.debug = app.debug or debug


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the CLI and exit with the contract's exit code."""
    prepare_process()
    code = run(AppState(), argv)
    # The run is over. Finalizing, Python makes cyclic collections that walk every object still
    # alive, ~80 ms after a check of 1,000 functions: frozen, they are left to reference counting
    # (and the few in cycles to the exit itself; files are closed and atexit still runs).
    gc.freeze()
    sys.exit(code)


def prepare_process() -> None:
    """What every entry point does first: SIGTERM exits 143, unprintable output is escaped, and
    the cyclic garbage collector is off."""
    # A command is one short run that builds large acyclic data (acyclic.py): measured on a check
    # of 10,000 functions, the collector's 150 passes found ~1,000 objects in cycles, cost 0.3 s
    # of CPU and freed nothing the peak RSS shows. Reference counting frees the rest; the
    # emulator, which runs for hours, turns the collector back on.
    gc.disable()
    terminate_on_sigterm()
    for stream in (sys.stdout, sys.stderr):
        # Last line of defence: a character the terminal's encoding lacks is escaped, not fatal.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def run(app: AppState, argv: list[str] | None) -> int:
    """Run the CLI and return the exit code; every failure goes through ``handle_error``."""
    app.console.show_async_errors()
    try:
        code = cli.main(args=argv, prog_name="faasdrift", obj=app, standalone_mode=False)
        return int(code or 0)
    except BaseException as error:  # the single boundary of the exit-code contract
        return handle_error(error, app.console, debug=app.debug)
