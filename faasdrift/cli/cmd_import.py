"""`faasdrift import`: options in, the import run (``workflows.import_live``), a summary out."""

from __future__ import annotations

import os
from pathlib import Path

import click

from faasdrift.cli.app_state import AppState
from faasdrift.cli.help_texts import EXIT_CODES_HELP, KEY_HELP
from faasdrift.cli.options import CONNECTION_OPTIONS, FORCE_OPTION, build_connection, opt, options
from faasdrift.errors import ExitCode
from faasdrift.live.connection import ConnectionSettings
from faasdrift.text import counted
from faasdrift.workflows.import_live import ImportSettings, run_import

PROJECT_ENV, REGION_ENV = "GCORE_CLOUD_PROJECT_ID", "GCORE_CLOUD_REGION_ID"

IMPORT_OPTIONS = (
    opt("--project-id", type=click.IntRange(min=1), envvar=PROJECT_ENV, required=True),
    opt("--region-id", type=click.IntRange(min=1), envvar=REGION_ENV, required=True),
    opt("--namespace", "namespaces", multiple=True, required=True, help="Repeatable."),
    opt("--name", "names", multiple=True, help="Only functions matching this glob."),
    opt("-o", "--output", type=click.Path(path_type=Path, dir_okay=False)),
    opt("--code-dir", type=click.Path(path_type=Path, file_okay=False)),
    *CONNECTION_OPTIONS,
    FORCE_OPTION,
)


@click.command("import", epilog=f"{KEY_HELP}\n\n{EXIT_CODES_HELP}")
@options(*IMPORT_OPTIONS, connection=build_connection)
@click.pass_obj
def import_command(  # noqa: PLR0917 - click passes every option by keyword
    app: AppState,
    project_id: int,
    region_id: int,
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
