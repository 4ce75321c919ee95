"""`import`, `validate`, `schema`, `snapshot`: options in, the work done elsewhere, a summary out.

The work lives in ``account_files`` (import, snapshot), ``desired`` (validate) and ``schemas``;
these functions only turn options into settings and print what comes back.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import click

from faasdrift.cli.main import EXIT_CODES_HELP, AppState
from faasdrift.cli.options import (
    CONNECTION_OPTION_NAMES,
    KEY_HELP,
    allow_outside_paths_option,
    connection_options,
    fetch_option,
)
from faasdrift.errors import ExitCode

PROJECT_ENV, REGION_ENV = "GCORE_CLOUD_PROJECT_ID", "GCORE_CLOUD_REGION_ID"
force_option = click.option("--force", is_flag=True, help="Overwrite files that exist.")


def _settings(desired: tuple[Path, ...], options: Mapping[str, Any]) -> Any:
    """``CheckSettings`` from the connection options (and the desired files, if any)."""
    from faasdrift.live.fetch import FetchMode
    from faasdrift.workflows.check import CheckSettings

    names = CONNECTION_OPTION_NAMES
    fetch = FetchMode(options.get("fetch_mode", "bulk"))
    outside = bool(options.get("allow_outside_paths"))
    chosen = {name: options[name] for name in names}
    return CheckSettings(desired=desired, fetch_mode=fetch, allow_outside_paths=outside, **chosen)


@click.command("import", epilog=f"{KEY_HELP}\n\n{EXIT_CODES_HELP}")
@click.option("--project-id", type=click.IntRange(min=1), envvar=PROJECT_ENV, required=True)
@click.option("--region-id", type=click.IntRange(min=1), envvar=REGION_ENV, required=True)
@click.option("--namespace", "namespaces", multiple=True, required=True, help="Repeatable.")
@click.option("--name", "names", multiple=True, help="Only functions matching this glob.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--code-dir", type=click.Path(path_type=Path, file_okay=False))
@connection_options
@force_option
@click.pass_obj
def import_command(app: AppState, /, **options: Any) -> int:
    """Write a desired file from the live functions of the namespaces (stdout without -o).

    Project and region also come from GCORE_CLOUD_PROJECT_ID and GCORE_CLOUD_REGION_ID. Secret
    env values are written as ${VAR} references, never as their values.
    """
    from faasdrift.workflows.account import ImportSettings, run_import

    app.protect_api_key()
    settings = ImportSettings(
        connection=_settings((), options),
        project_id=options["project_id"],
        region_id=options["region_id"],
        namespaces=tuple(dict.fromkeys(options["namespaces"])),
        names=options["names"],
        output=options["output"],
        code_dir=options["code_dir"],
        force=options["force"],
    )
    plan = run_import(settings, os.environ, protect=app.console.add_secret)
    if settings.output is None:
        app.console.out(plan.text)
    count = plan.text.count("\n- name: ")
    target = f" to {settings.output}" if settings.output else ""
    app.console.err(f"faasdrift: imported {count} function{'s' * (count != 1)}{target}")
    if plan.variables:
        app.console.err(f"faasdrift: set before a check: {', '.join(plan.variables)}")
    return ExitCode.IN_SYNC


class _EmptyForUnset(Mapping[str, str]):
    """The environment, where an unset variable reads as empty: validate needs no secrets."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def __getitem__(self, name: str) -> str:
        return self._environ.get(name, "")

    def __iter__(self) -> Iterator[str]:
        return iter(self._environ)

    def __len__(self) -> int:
        return len(self._environ)


@click.command("validate", epilog="\b\nExit codes:\n  0    every file is valid\n  2    problems")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--require-env", is_flag=True, help="Also report ${VAR} of unset variables.")
@allow_outside_paths_option
@click.option("-q", "--quiet", is_flag=True, help="Print nothing for valid files.")
@click.pass_obj
def validate_command(
    app: AppState,
    *,
    files: tuple[Path, ...],
    require_env: bool,
    allow_outside_paths: bool,
    quiet: bool,
) -> int:
    """Check desired FILES against the schema and the cross-field rules: no API key, no network.

    Every problem of every file is listed, as check lists them. Unset ${VAR} read as empty
    unless --require-env, so a pre-commit hook needs no secrets.
    """
    from faasdrift.desired.document import load_desired
    from faasdrift.errors import DesiredFileError

    environ = os.environ if require_env else _EmptyForUnset(os.environ)
    problems = []
    for path in files:
        try:
            state = load_desired(path, environ=environ, allow_outside_paths=allow_outside_paths)
        except DesiredFileError as error:
            problems.extend(error.problems)
            continue
        count = len(state.functions)
        if not quiet:
            app.console.out(f"{path}: ok, {count} function{'s' * (count != 1)}\n")
    if problems:
        raise DesiredFileError(problems)
    return ExitCode.IN_SYNC


@click.command("schema")
@click.pass_obj
def schema_command(app: AppState) -> int:
    """Print the desired file's JSON Schema, self-contained (for editors and other tools)."""
    from faasdrift.schemas import DESIRED_SCHEMA, inlined_schema

    app.console.out(json.dumps(inlined_schema(DESIRED_SCHEMA), indent=2) + "\n")
    return ExitCode.IN_SYNC


@click.command("snapshot", epilog=f"{KEY_HELP}\n\n{EXIT_CODES_HELP}")
@click.argument("desired", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option("--unmanaged", is_flag=True, help="Also keep every function of the namespaces.")
@fetch_option
@allow_outside_paths_option
@connection_options
@force_option
@click.pass_obj
def snapshot_command(app: AppState, /, **options: Any) -> int:
    """Save the live state of the functions DESIRED declares, for `check --live FILE`.

    Secret env values are saved only as salted digests. Exit 3 if some could not be fetched
    (the snapshot is written anyway and records why).
    """
    from faasdrift.workflows.account import take_snapshot

    app.protect_api_key()
    output: Path = options["output"]
    if output.exists() and not options["force"]:
        raise click.UsageError(f"{output} exists; pass --force to overwrite it")
    settings = _settings(tuple(options["desired"]), options)
    summary = take_snapshot(
        settings,
        output,
        unmanaged=options["unmanaged"],
        environ=os.environ,
        protect=app.console.add_secret,
    )
    app.console.err(
        f"faasdrift: snapshot {output}: {summary.found} found, {summary.missing} missing, "
        f"{summary.not_checked} not checked, {summary.namespaces_listed} namespaces listed in full"
    )
    return ExitCode.INCOMPLETE if summary.not_checked else ExitCode.IN_SYNC


WORKFLOW_COMMANDS = (import_command, validate_command, schema_command, snapshot_command)
