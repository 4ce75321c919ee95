"""`faasdrift check`: its options as a table, the settings built from them, the run reported."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import click

from faasdrift.cli.app_state import AppState
from faasdrift.cli.baseline_options import BASELINE_OPTIONS
from faasdrift.cli.help_texts import EXIT_CODES_HELP, KEY_HELP
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
from faasdrift.judge.fail_on import parse_fail_on
from faasdrift.judge.scope import Scope
from faasdrift.judge.verdict import Judging
from faasdrift.live.connection import ConnectionSettings
from faasdrift.live.fetch import FetchMode
from faasdrift.model import FunctionStatus
from faasdrift.report.publish import OutputSettings
from faasdrift.workflows.check import CheckSettings, check

CHECK_HELP_EPILOG = f"""{FORMATS_HELP}

{EXIT_CODES_HELP}

{KEY_HELP}"""


def build_judging(
    *,
    only: tuple[str, ...],
    exclude: tuple[str, ...],
    unmanaged: bool,
    strict_ignores: bool,
    fail_on: frozenset[FunctionStatus],
    fail_on_age: int | None,
    now: datetime | None,
) -> Judging:
    scope = Scope(only, exclude)
    return Judging(scope, unmanaged, strict_ignores, fail_on, fail_on_age=fail_on_age, now=now)


CHECK_OPTIONS = (
    *CONNECTION_OPTIONS,
    FETCH_OPTION,
    opt(
        "--live",
        "live_snapshot",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Compare with a snapshot (faasdrift snapshot) instead of the API: no key, no network.",
    ),
    opt("--strict", is_flag=True, help="Also report a difference of one trailing newline."),
    ALLOW_OUTSIDE_PATHS_OPTION,
    ONLY_OPTION,
    EXCLUDE_OPTION,
    opt(
        "--unmanaged",
        group="judging",
        is_flag=True,
        help="Also report live functions not declared, in the namespaces the files use (as drift).",
    ),
    opt(
        "--strict-ignores",
        group="judging",
        is_flag=True,
        help="Exit 2 when an ignore rule has expired or matched no difference (else a warning).",
    ),
    opt(
        "-v",
        "--verbose",
        group="output",
        count=True,
        help="Also list functions that are in sync; -vv also logs each request on stderr.",
    ),
    NO_COLOR_OPTION,
    FORMAT_OPTION,
    REPORT_OPTION,
    opt(
        "--fail-on",
        group="judging",
        default="drift,missing,not_checked",
        show_default=True,
        metavar="OUTCOMES",
        callback=parsed_by(parse_fail_on, "--fail-on"),
        help="Comma list of drift, missing, not_checked that fail the run; 'none' never fails.",
    ),
    *BASELINE_OPTIONS,
    opt(
        "-q",
        "--quiet",
        group="output",
        is_flag=True,
        help="Print nothing on stdout unless there is drift.",
    ),
    STEP_SUMMARY_OPTION,
    DEBUG_OPTION,
)


@click.command("check", epilog=CHECK_HELP_EPILOG)
@click.argument("desired", nargs=-1, required=True, type=click.Path(path_type=Path))
@options(*CHECK_OPTIONS, connection=build_connection, judging=build_judging, output=build_output)
@click.pass_obj
def check_command(  # noqa: PLR0917 - click passes every option by keyword
    app: AppState,
    desired: tuple[Path, ...],
    connection: ConnectionSettings,
    judging: Judging,
    output: OutputSettings,
    fetch_mode: str,
    live_snapshot: Path | None,
    strict: bool,
    allow_outside_paths: bool,
    baseline: Path | None,
    debug: bool,
) -> int:
    """Compare the functions declared in DESIRED with the live ones in Gcore.

    DESIRED is one or more desired files, or directories whose *.yaml and *.yml files (not those
    in subdirectories) are all read.
    """
    if judging.fail_on_age is not None and baseline is None:
        raise click.UsageError("--fail-on-age needs --baseline: an age is counted from a baseline")
    publisher, outputs = app.start_reporting(output, debug=debug)
    settings = CheckSettings(
        desired=desired,
        connection=connection,
        fetch_mode=FetchMode(fetch_mode),
        strict=strict,
        allow_outside_paths=allow_outside_paths,
        live_snapshot=live_snapshot,
        judging=judging,
        outputs=outputs,
        baseline=baseline,
        json_reports=tuple(target.path for target in output.reports if target.format == "json"),
    )
    with ProgressLine(sys.stderr) as progress:
        run = check(settings, os.environ, app.secrets, on_progress=progress)
    publisher.publish(run)
    return run.exit_code
