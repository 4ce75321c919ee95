"""`faasdrift snapshot`: options in, the snapshot taken (``workflows.snapshot``), a summary out."""

from __future__ import annotations

import os
from pathlib import Path

import click

from faasdrift.cli.app_state import AppState
from faasdrift.cli.help_texts import KEY_HELP, SNAPSHOT_EXIT_CODES_HELP
from faasdrift.cli.options import (
    ALLOW_OUTSIDE_PATHS_OPTION,
    CONNECTION_OPTIONS,
    FETCH_OPTION,
    FORCE_OPTION,
    build_connection,
    opt,
    options,
)
from faasdrift.live.connection import ConnectionSettings
from faasdrift.live.fetch import FetchMode
from faasdrift.workflows.snapshot import SnapshotSettings, take_snapshot

SNAPSHOT_OPTIONS = (
    opt(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        required=True,
        help="The snapshot file to write (kept if it exists, unless --force).",
    ),
    opt("--unmanaged", is_flag=True, help="Also keep every function of the namespaces."),
    FETCH_OPTION,
    ALLOW_OUTSIDE_PATHS_OPTION,
    *CONNECTION_OPTIONS,
    FORCE_OPTION,
)


@click.command("snapshot", epilog=f"{KEY_HELP}\n\n{SNAPSHOT_EXIT_CODES_HELP}")
@click.argument("desired", nargs=-1, required=True, type=click.Path(path_type=Path))
@options(*SNAPSHOT_OPTIONS, connection=build_connection)
@click.pass_obj
def snapshot_command(  # noqa: PLR0917 - click passes every option by keyword
    app: AppState,
    desired: tuple[Path, ...],
    output: Path,
    unmanaged: bool,
    fetch_mode: str,
    allow_outside_paths: bool,
    connection: ConnectionSettings,
    force: bool,
) -> int:
    """Save the live state of the functions DESIRED declares, for `check --live FILE`.

    Secret env values are saved only as salted digests. Exit 3 if some could not be fetched
    (the snapshot is written anyway and records why).
    """
    app.protect_api_key()
    settings = SnapshotSettings(
        desired=desired,
        output=output,
        connection=connection,
        fetch_mode=FetchMode(fetch_mode),
        allow_outside_paths=allow_outside_paths,
        unmanaged=unmanaged,
        force=force,
    )
    summary = take_snapshot(settings, environ=os.environ, secrets=app.secrets)
    app.console.err(
        f"faasdrift: snapshot {output}: {summary.found} found, {summary.missing} missing, "
        f"{summary.not_checked} not checked, {summary.namespaces_listed} namespaces listed in full"
    )
    return summary.exit_code
