"""`faasdrift check`: options in, settings built, the check run, the report printed."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from faasdrift.cli.main import EXIT_CODES_HELP, AppState
from faasdrift.cli.options import (
    KEY_HELP,
    allow_outside_paths_option,
    connection_options,
    fetch_option,
)
from faasdrift.report.formats import REPORTER_BY_NAME

if TYPE_CHECKING:
    from faasdrift.model import FunctionStatus
    from faasdrift.report.publish import ReportTarget

FORMATS_HELP = "\b\nFormats:\n" + "\n".join(
    f"  {name:<10}{reporter.description}" for name, reporter in REPORTER_BY_NAME.items()
)

CHECK_HELP_EPILOG = f"""{FORMATS_HELP}
  auto      github inside a GitHub Actions job (GITHUB_ACTIONS=true), else text

{EXIT_CODES_HELP}

{KEY_HELP}"""


@click.command("check", epilog=CHECK_HELP_EPILOG)
@click.argument("desired", nargs=-1, required=True, type=click.Path(path_type=Path))
@connection_options
@fetch_option
@click.option(
    "--live",
    "live_snapshot",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Compare with a snapshot (faasdrift snapshot) instead of the API: no key, no network.",
)
@click.option("--strict", is_flag=True, help="Also report a difference of one trailing newline.")
@allow_outside_paths_option
@click.option(
    "--only",
    multiple=True,
    metavar="GLOB",
    help="Check only functions whose namespace/name matches GLOB (repeatable), e.g. 'prod-*/*'.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Skip functions whose namespace/name matches GLOB (repeatable); wins over --only.",
)
@click.option(
    "--unmanaged",
    is_flag=True,
    help="Also report live functions not declared, in the namespaces the files use (as drift).",
)
@click.option(
    "--strict-ignores",
    is_flag=True,
    help="Exit 2 when an ignore rule has expired or matched no difference (else a warning).",
)
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Also list functions that are in sync; -vv also logs each request on stderr.",
)
@click.option("--no-color", is_flag=True, help="Never colour the report (NO_COLOR works too).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice([*REPORTER_BY_NAME, "auto"]),
    default="text",
    show_default=True,
    help="Format of the report on stdout.",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT=PATH",
    callback=lambda _ctx, _param, values: _parse_reports(values),
    help="Also write the report in FORMAT to PATH (repeatable), e.g. junit=drift.xml.",
)
@click.option(
    "--fail-on",
    default="drift,missing,not_checked",
    show_default=True,
    metavar="OUTCOMES",
    callback=lambda _ctx, _param, value: _parse_fail_on(value),
    help="Comma list of drift, missing, not_checked that fail the run; 'none' never fails.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stdout unless there is drift.")
@click.option(
    "--step-summary",
    is_flag=True,
    help="Append a Markdown summary to GITHUB_STEP_SUMMARY (GitHub Actions' job summary).",
)
@click.option(
    "--debug", is_flag=True, help="Log each request on stderr; show tracebacks for internal errors."
)
@click.pass_obj
def check_command(
    app: AppState,
    *,
    desired: tuple[Path, ...],
    api_key_file: Path | None,
    base_url: str,
    ca_bundle: Path | None,
    connect_timeout: float,
    read_timeout: float,
    fetch_mode: str,
    concurrency: int,
    max_retries: int,
    max_retry_wait: float,
    live_snapshot: Path | None,
    strict: bool,
    allow_outside_paths: bool,
    only: tuple[str, ...],
    exclude: tuple[str, ...],
    unmanaged: bool,
    strict_ignores: bool,
    verbose: int,
    no_color: bool,
    output_format: str,
    reports: tuple[ReportTarget, ...],
    fail_on: frozenset[FunctionStatus],
    quiet: bool,
    step_summary: bool,
    debug: bool,
) -> int:
    """Compare the functions declared in DESIRED with the live ones in Gcore.

    DESIRED is one or more desired files, or directories whose *.yaml and *.yml files (not those
    in subdirectories) are all read.
    """
    from faasdrift.cli.progress import ProgressLine
    from faasdrift.judge.scope import Scope
    from faasdrift.judge.verdict import Judging
    from faasdrift.live.fetch import FetchMode
    from faasdrift.report.publish import OutputSettings, Publisher
    from faasdrift.workflows.check import CheckSettings, check

    app.debug = app.debug or debug
    if app.debug or verbose >= 2:  # method, URL, status, timing, retries: never headers
        app.console.log_requests()
    app.protect_api_key()  # before anything runs: even a failure while loading cannot show it
    settings = CheckSettings(
        desired=desired,
        base_url=base_url,
        ca_bundle=ca_bundle,
        api_key_file=api_key_file,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        strict=strict,
        allow_outside_paths=allow_outside_paths,
        live_snapshot=live_snapshot,
        fail_on=fail_on,
        fetch_mode=FetchMode(fetch_mode),
        concurrency=concurrency,
        max_retries=max_retries,
        max_retry_wait=max_retry_wait,
        judging=Judging(
            scope=Scope(only=only, exclude=exclude),
            unmanaged=unmanaged,
            strict_ignores=strict_ignores,
        ),
    )
    output = OutputSettings(
        format=output_format,
        reports=reports,
        quiet=quiet,
        step_summary=step_summary,
        verbose=verbose >= 1,
        color=_use_color(no_color),
    )
    console = app.console
    publisher = Publisher(
        output, environ=os.environ, redact=console.redact, out=console.out, warn=console.err
    )
    publisher.prepare()  # an unwritable --report fails now, not after the whole check
    with ProgressLine(sys.stderr) as progress:
        result = check(
            settings,
            os.environ,
            protect=console.add_secret,
            on_progress=progress,
            protect_value=console.add_secret_value,
        )
    publisher.publish(result)
    for warning in result.warnings:  # after the report, so they are the last thing a log shows
        console.err(f"faasdrift: warning: {warning}")
    return result.exit_code


def _parse_reports(values: tuple[str, ...]) -> tuple[ReportTarget, ...]:
    from faasdrift.report.publish import parse_report_target

    try:
        return tuple(parse_report_target(value) for value in values)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--report'") from None


def _parse_fail_on(value: str) -> frozenset[FunctionStatus]:
    from faasdrift.workflows.check import parse_fail_on

    try:
        return parse_fail_on(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--fail-on'") from None


def _use_color(no_color: bool) -> bool:
    # https://no-color.org: any non-empty NO_COLOR disables colour.
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
