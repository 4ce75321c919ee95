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
    from faasdrift.check import load_and_validate, run_check
    from faasdrift.client import GcoreClient
    from faasdrift.credentials import resolve_api_key
    from faasdrift.reporters import ReportOptions, build_reporter

    console = app.console
    app.debug = app.debug or debug
    state = load_and_validate(desired, display_name=str(desired))
    api_key = resolve_api_key(environ=os.environ, key_file=api_key_file)
    console.add_secret(api_key)
    with GcoreClient(
        base_url=base_url,
        api_key=api_key,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
    ) as client:
        outcome = run_check(state, client, strict=strict)
    options = ReportOptions(color=_use_color(no_color), verbose=verbose)
    console.out(build_reporter("text", options).render(outcome.result))
    return int(outcome.exit_code)


def _use_color(no_color: bool) -> bool:
    # https://no-color.org: any non-empty NO_COLOR disables colour.
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
