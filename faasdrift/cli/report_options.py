"""The options of the commands that report a run (``check``, ``gate``): which functions, and
where and how the report goes. Declared once, so the two commands cannot drift apart."""

from __future__ import annotations

import os
import sys

import click

from faasdrift.cli.options import opt, parsed_by
from faasdrift.report.formats import REPORTER_BY_NAME
from faasdrift.report.publish import OutputSettings, ReportTarget, parse_report_target

FORMATS_HELP = "\b\nFormats:\n" + "\n".join(
    [
        *(f"  {name:<10}{reporter.description}" for name, reporter in REPORTER_BY_NAME.items()),
        "  auto      github inside a GitHub Actions job (GITHUB_ACTIONS=true), else text",
    ]
)

ONLY_OPTION = opt(
    "--only",
    group="judging",
    multiple=True,
    metavar="GLOB",
    help="Check only functions whose namespace/name matches GLOB (repeatable), "
    "e.g. 'prod-*/*'; a GLOB that matches none is an error.",
)
EXCLUDE_OPTION = opt(
    "--exclude",
    group="judging",
    multiple=True,
    metavar="GLOB",
    help="Skip functions whose namespace/name matches GLOB (repeatable); wins over --only.",
)
NO_COLOR_OPTION = opt(
    "--no-color",
    group="output",
    is_flag=True,
    help="Never colour the report (NO_COLOR works too).",
)
FORMAT_OPTION = opt(
    "--format",
    "output_format",
    group="output",
    type=click.Choice([*REPORTER_BY_NAME, "auto"]),
    default="text",
    show_default=True,
    help="Format of the report on stdout.",
)
REPORT_OPTION = opt(
    "--report",
    "reports",
    group="output",
    multiple=True,
    metavar="FORMAT=PATH",
    callback=parsed_by(parse_report_target, "--report"),
    help="Also write the report in FORMAT to PATH (repeatable), e.g. junit=drift.xml.",
)
STEP_SUMMARY_OPTION = opt(
    "--step-summary",
    group="output",
    is_flag=True,
    help="Append a Markdown summary to GITHUB_STEP_SUMMARY (GitHub Actions' job summary).",
)
DEBUG_OPTION = opt(
    "--debug",
    is_flag=True,
    help="Log each request on stderr; show tracebacks for internal errors.",
)


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
