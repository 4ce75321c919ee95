"""`faasdrift import`: options in, the import run (``workflows.import_live``), a summary out."""

from __future__ import annotations

import os
from pathlib import Path

import click

from faasdrift.cli.app_state import AppState
from faasdrift.cli.help_texts import IMPORT_EXIT_CODES_HELP, KEY_HELP
from faasdrift.cli.options import CONNECTION_OPTIONS, FORCE_OPTION, build_connection, opt, options
from faasdrift.errors import ExitCode, UsageError
from faasdrift.live.connection import ConnectionSettings
from faasdrift.text import counted
from faasdrift.workflows.import_live import ImportSettings, run_import

PROJECT_ENV, REGION_ENV = "GCORE_CLOUD_PROJECT_ID", "GCORE_CLOUD_REGION_ID"

IMPORT_OPTIONS = (
    # Not click's required=True: its error would not say that the variable works too.
    opt("--project-id", type=click.IntRange(min=1), envvar=PROJECT_ENV, help=f"Or {PROJECT_ENV}."),
    opt("--region-id", type=click.IntRange(min=1), envvar=REGION_ENV, help=f"Or {REGION_ENV}."),
    opt("--namespace", "namespaces", multiple=True, required=True, help="Repeatable."),
    opt("--name", "names", multiple=True, help="Only functions matching this glob."),
    opt(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write the desired file here, not to stdout (kept if it exists, unless --force).",
    ),
    opt(
        "--code-dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Write each function's code to DIR/<namespace>/<name>.py, named by code_file.",
    ),
    *CONNECTION_OPTIONS,
    FORCE_OPTION,
)


@click.command("import", epilog=f"{KEY_HELP}\n\n{IMPORT_EXIT_CODES_HELP}")
@options(*IMPORT_OPTIONS, connection=build_connection)
@click.pass_obj
def import_command(  # noqa: PLR0917 - click passes every option by keyword
    app: AppState,
    project_id: int | None,
    region_id: int | None,
    namespaces: tuple[str, ...],
    names: tuple[str, ...],
    output: Path | None,
    code_dir: Path | None,
    connection: ConnectionSettings,
    force: bool,
) -> int:
    """Write a desired file from the live functions of the namespaces (stdout without -o).

    Project and region also come from GCORE_CLOUD_PROJECT_ID and GCORE_CLOUD_REGION_ID. Secret
    env values are written as ${VAR} references, never as their values.
    """
    project_id = _given(project_id, "project", PROJECT_ENV)
    region_id = _given(region_id, "region", REGION_ENV)
    app.protect_api_key()
    settings = ImportSettings(
        connection=connection,
        project_id=project_id,
        region_id=region_id,
        namespaces=tuple(dict.fromkeys(namespaces)),
        names=names,
        output=output,
        code_dir=code_dir,
        force=force,
    )
    plan = run_import(settings, os.environ, app.secrets)
    if output is None:
        app.console.out(plan.text)
    count = plan.function_count
    target = f" to {output}" if output else ""
    app.console.err(f"faasdrift: imported {counted(count, 'function')}{target}")
    if plan.variables:
        app.console.err(f"faasdrift: set before a check: {', '.join(plan.variables)}")
    return ExitCode.OK


def _given(value: int | None, what: str, variable: str) -> int:
    if value is None:
        raise UsageError(f"no {what} id: pass --{what}-id or set {variable}")
    return value
