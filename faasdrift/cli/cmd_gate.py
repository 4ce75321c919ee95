"""`faasdrift gate`: its options as a table, the settings built from them, the run reported."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from faasdrift.cli.app_state import AppState
from faasdrift.cli.help_texts import GATE_EXIT_CODES_HELP, KEY_HELP
from faasdrift.cli.options import (
    ALLOW_OUTSIDE_PATHS_OPTION,
    CONNECTION_OPTIONS,
    FETCH_OPTION,
    build_connection,
    opt,
    options,
    parsed_by,
)
from faasdrift.cli.progress import ProgressLine
from faasdrift.cli.report_options import (
    DEBUG_OPTION,
    EXCLUDE_OPTION,
    FORMAT_OPTION,
    FORMATS_HELP,
    NO_COLOR_OPTION,
    ONLY_OPTION,
    REPORT_OPTION,
    STEP_SUMMARY_OPTION,
    build_output,
)
from faasdrift.judge.fail_on import parse_gate_fail_on
from faasdrift.judge.gate import GateJudging
from faasdrift.judge.scope import Scope
from faasdrift.live.connection import ConnectionSettings
from faasdrift.live.fetch import FetchMode
from faasdrift.model import GateClass
from faasdrift.report.publish import OutputSettings
from faasdrift.workflows.gate import GateSettings, gate

GATE_HELP_EPILOG = f"""\b
Classes (base = the files as last deployed, live, new = NEW):
  unchanged  live = base = new (listed with -v)
  deploy     live = base, new differs: the planned change
  adopted    changed by hand, and new has the hand change
  overwrite  changed by hand, new = base: the deploy would revert it (fails)
  conflict   changed by hand, and new differs from both (fails)
  released   declared in base only: no longer managed
  create / delete / not checked: whole functions

{FORMATS_HELP}

{GATE_EXIT_CODES_HELP}

{KEY_HELP}"""


def build_gate_judging(
    *,
    only: tuple[str, ...],
    exclude: tuple[str, ...],
    strict: bool,
    fail_on: frozenset[GateClass],
) -> GateJudging:
    return GateJudging(Scope(only, exclude), fail_on, strict)


GATE_OPTIONS = (
    opt(
        "--base",
        "base",
        multiple=True,
        metavar="PATH",
        type=click.Path(path_type=Path),
        help="The desired files as last deployed (repeatable; files or directories, like NEW). "
        "With --base-ref, these paths are read at REF instead of NEW's.",
    ),
    opt(
        "--base-ref",
        metavar="REF",
        help="Read the base from git at REF (e.g. origin/main): NEW's paths, or --base's, as "
        "'git show REF:./PATH' finds them, code files included; a path absent at REF is an "
        "empty base (a first deploy).",
    ),
    *CONNECTION_OPTIONS,
    FETCH_OPTION,
    opt(
        "--strict",
        group="judging",
        is_flag=True,
        help="Also tell values apart by one trailing newline.",
    ),
    ALLOW_OUTSIDE_PATHS_OPTION,
    ONLY_OPTION,
    EXCLUDE_OPTION,
    opt(
        "-v",
        "--verbose",
        group="output",
        count=True,
        help="Also list unchanged functions; -vv also logs each request on stderr.",
    ),
    NO_COLOR_OPTION,
    FORMAT_OPTION,
    REPORT_OPTION,
    opt(
        "--fail-on",
        group="judging",
        default="overwrite,conflict",
        show_default=True,
        metavar="CLASSES",
        callback=parsed_by(parse_gate_fail_on, "--fail-on"),
        help="Comma list of overwrite, conflict that fail the run; 'none' reports only (a "
        "function not checked still exits 3).",
    ),
    opt(
        "-q",
        "--quiet",
        group="output",
        is_flag=True,
        help="Print nothing on stdout unless a hand change would be lost or a function could "
        "not be checked.",
    ),
    STEP_SUMMARY_OPTION,
    DEBUG_OPTION,
)


@click.command("gate", epilog=GATE_HELP_EPILOG)
@click.argument("new", nargs=-1, required=True, type=click.Path(path_type=Path))
@options(
    *GATE_OPTIONS, connection=build_connection, judging=build_gate_judging, output=build_output
)
@click.pass_obj
def gate_command(  # noqa: PLR0917 - click passes every option by keyword
    app: AppState,
    new: tuple[Path, ...],
    base: tuple[Path, ...],
    base_ref: str | None,
    connection: ConnectionSettings,
    judging: GateJudging,
    output: OutputSettings,
    fetch_mode: str,
    allow_outside_paths: bool,
    debug: bool,
) -> int:
    """Before a deploy: would applying NEW overwrite a change made by hand in Gcore?

    Compares three states of every declared value: the files as last deployed (--base, or
    --base-ref), live, and NEW (files or directories, like check's DESIRED).
    """
    publisher, outputs = app.start_reporting(output, debug=debug)
    settings = GateSettings(
        new=new,
        base=base,
        base_ref=base_ref,
        connection=connection,
        fetch_mode=FetchMode(fetch_mode),
        allow_outside_paths=allow_outside_paths,
        judging=judging,
        outputs=outputs,
    )
    with ProgressLine(sys.stderr) as progress:
        run = gate(settings, os.environ, app.secrets, on_progress=progress)
    publisher.publish(run)
    return run.exit_code
