"""`faasdrift check`: options in, settings built, the check run, the report printed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from faasdrift.cli import EXIT_CODES_HELP, AppState
from faasdrift.credentials import BASE_URL_ENV, DEFAULT_BASE_URL

CHECK_HELP_EPILOG = f"""{EXIT_CODES_HELP}

\b
The API key is read from GCORE_API_KEY or --api-key-file, never from the command line."""


@click.command("check", epilog=CHECK_HELP_EPILOG)
@click.argument("desired", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--api-key-file",
    type=click.Path(path_type=Path),
    help="Read the Gcore API key from this file instead of GCORE_API_KEY.",
)
@click.option(
    "--base-url",
    envvar=BASE_URL_ENV,
    default=DEFAULT_BASE_URL,
    show_default=True,
    help=f"Gcore API base URL (also {BASE_URL_ENV}).",
)
@click.option(
    "--connect-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    help="Seconds to wait for a connection.",
)
@click.option(
    "--read-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds to wait for a response.",
)
@click.option("--strict", is_flag=True, help="Also report a difference of one trailing newline.")
@click.option("-v", "--verbose", is_flag=True, help="Also list functions that are in sync.")
@click.option("--no-color", is_flag=True, help="Never colour the report (NO_COLOR works too).")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_obj
def check_command(
    app: AppState,
    *,
    desired: Path,
    api_key_file: Path | None,
    base_url: str,
    connect_timeout: float,
    read_timeout: float,
    strict: bool,
    verbose: bool,
    no_color: bool,
    debug: bool,
) -> int:
    """Compare the functions declared in DESIRED with the live ones in Gcore."""
    from faasdrift.check import CheckSettings, check
    from faasdrift.reporters import ReportOptions, build_reporter

    app.debug = app.debug or debug
    _protect_api_key(app)  # before anything runs: even a failure while loading cannot show it
    settings = CheckSettings(
        desired=desired,
        base_url=base_url,
        api_key_file=api_key_file,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        strict=strict,
    )
    result = check(settings, os.environ, protect=app.console.add_secret)
    options = ReportOptions(color=_use_color(no_color), verbose=verbose)
    app.console.out(build_reporter("text", options).render(result))
    return result.exit_code


def _protect_api_key(app: AppState) -> None:
    key = os.environ.get("GCORE_API_KEY", "").strip()
    if key:
        app.console.add_secret(key)


def _use_color(no_color: bool) -> bool:
    # https://no-color.org: any non-empty NO_COLOR disables colour.
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
