"""`faasdrift schema`: the desired file's JSON Schema on stdout."""

from __future__ import annotations

import click

from faasdrift.cli.app_state import AppState
from faasdrift.errors import ExitCode
from faasdrift.workflows.schema import desired_schema_text


@click.command("schema")
@click.pass_obj
def schema_command(app: AppState) -> int:
    """Print the desired file's JSON Schema, self-contained (for editors and other tools)."""
    app.console.out(desired_schema_text())
    return ExitCode.OK
