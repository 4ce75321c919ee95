"""`faasdrift validate`: the files checked offline (``workflows.validate``), each one reported."""

from __future__ import annotations

import os
from pathlib import Path

import click

from faasdrift.cli.app_state import AppState
from faasdrift.cli.options import ALLOW_OUTSIDE_PATHS_OPTION, opt, options
from faasdrift.errors import ExitCode
from faasdrift.text import counted, shown_path
from faasdrift.workflows.validate import validate_files

VALIDATE_OPTIONS = (
    opt("--require-env", is_flag=True, help="Also report ${VAR} of unset variables."),
    ALLOW_OUTSIDE_PATHS_OPTION,
    opt("-q", "--quiet", is_flag=True, help="Print nothing for valid files."),
)


@click.command("validate", epilog="\b\nExit codes:\n  0    every file is valid\n  2    problems")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@options(*VALIDATE_OPTIONS)
@click.pass_obj
def validate_command(
    app: AppState,
    files: tuple[Path, ...],
    require_env: bool,
    allow_outside_paths: bool,
    quiet: bool,
) -> int:
    """Check desired FILES against the schema and the cross-field rules: no API key, no network.

    Every problem of every file is listed, as check lists them. An unset ${VAR} is a
    placeholder that every field accepts unless --require-env, so a pre-commit hook needs no
    secrets.
    """
    validation = validate_files(
        files,
        environ=os.environ,
        secrets=app.secrets,
        require_env=require_env,
        allow_outside_paths=allow_outside_paths,
    )
    for valid in () if quiet else validation.valid:
        count = valid.function_count
        name = shown_path(str(valid.path))  # a file named "::add-mask::x.yaml" starts no command
        app.console.out(f"{name}: ok, {counted(count, 'function')}\n")
    validation.raise_for_problems()
    return ExitCode.OK
