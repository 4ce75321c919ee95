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
)
from faasdrift.cli.progress import ProgressLine
from faasdrift.judge.scope import Scope
from faasdrift.judge.verdict import Judging, parse_fail_on
from faasdrift.live.connection import ConnectionSettings
from faasdrift.live.fetch import FetchMode
from faasdrift.model import FunctionStatus
from faasdrift.report.formats import REPORTER_BY_NAME
from faasdrift.report.publish import OutputSettings, Publisher, ReportTarget, parse_report_target
from faasdrift.workflows.check import CheckSettings, check

FORMATS_HELP = "\b\nFormats:\n" + "\n".join(
    f"  {name:<10}{reporter.description}" for name, reporter in REPORTER_BY_NAME.items()
)

CHECK_HELP_EPILOG = f"""{FORMATS_HELP}
  auto      github inside a GitHub Actions job (GITHUB_ACTIONS=true), else text

{EXIT_CODES_HELP}

{KEY_HELP}"""


def _reports(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> object:
    try:
        return tuple(parse_report_target(value) for value in values)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--report'") from None


def _fail_on(_ctx: click.Context, _param: click.Parameter, value: str) -> object:
    try:
        return parse_fail_on(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--fail-on'") from None


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


def build_output(
    *,
    verbose: int,
    no_color: bool,
    output_format: str,
    reports: tuple[ReportTarget, ...],
    quiet: bool,
    step_summary: bool,
) -> OutputSettings:
    # https://no-color.org: any non-empty NO_COLOR disables colour.
    color = not (no_color or os.environ.get("NO_COLOR")) and sys.stdout.isatty()
    return OutputSettings(
        format=output_format,
        reports=reports,
        quiet=quiet,
        step_summary=step_summary,
        verbose=verbose >= 1,
        color=color,
        log_requests=verbose >= 2,
    )


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
    opt(
        "--only",
        group="judging",
        multiple=True,
        metavar="GLOB",
        help="Check only functions whose namespace/name matches GLOB (repeatable), "
        "e.g. 'prod-*/*'; a GLOB that matches none is an error.",
    ),
    opt(
        "--exclude",
        group="judging",
        multiple=True,
        metavar="GLOB",
        help="Skip functions whose namespace/name matches GLOB (repeatable); wins over --only.",
    ),
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
    opt(
        "--no-color",
        group="output",
        is_flag=True,
        help="Never colour the report (NO_COLOR works too).",
    ),
    opt(
        "--format",
        "output_format",
        group="output",
        type=click.Choice([*REPORTER_BY_NAME, "auto"]),
        default="text",
        show_default=True,
        help="Format of the report on stdout.",
    ),
    opt(
        "--report",
        "reports",
        group="output",
        multiple=True,
        metavar="FORMAT=PATH",
        callback=_reports,
        help="Also write the report in FORMAT to PATH (repeatable), e.g. junit=drift.xml.",
    ),
    opt(
        "--fail-on",
        group="judging",
        default="drift,missing,not_checked",
        show_default=True,
        metavar="OUTCOMES",
        callback=_fail_on,
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
    opt(
        "--step-summary",
        group="output",
        is_flag=True,
        help="Append a Markdown summary to GITHUB_STEP_SUMMARY (GitHub Actions' job summary).",
    ),
    opt(
        "--debug",
        is_flag=True,
        help="Log each request on stderr; show tracebacks for internal errors.",
    ),
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
    app.enable_debug(debug, log_requests=output.log_requests)
    app.protect_api_key()  # before anything runs: even a failure while loading cannot show it
    if judging.fail_on_age is not None and baseline is None:
        raise click.UsageError("--fail-on-age needs --baseline: an age is counted from a baseline")
    console = app.console
    publisher = Publisher(
        output, environ=os.environ, secrets=app.secrets, out=console.out, warn=console.err
    )
    outputs = publisher.prepare()  # an unwritable --report fails now, not after the whole check
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
