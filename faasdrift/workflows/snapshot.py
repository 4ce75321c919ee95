"""`snapshot`: the live state of what the desired files declare, saved for `check --live`.

Settings in, a summary out, no click. It fetches exactly as ``check`` does, then records each
function's answer (secret env values only as salted digests, see ``snapshot.store``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from faasdrift.desired.load import SOURCE_SEPARATOR, load_all
from faasdrift.errors import ExitCode
from faasdrift.judge.verdict import snapshot_exit_code
from faasdrift.live.connection import ConnectionSettings, build_client
from faasdrift.live.fetch import FetchMode, Progress, fetch_live
from faasdrift.model import DesiredState, Fetched, FunctionList, LiveStatus
from faasdrift.outputs import check_outputs, refuse_inputs, refuse_overwrite
from faasdrift.secrets import Secrets
from faasdrift.snapshot.store import Snapshot, save_snapshot


@dataclass(frozen=True)
class SnapshotSettings:
    """Everything a snapshot needs, as plain values; built by the CLI from its options."""

    desired: tuple[Path, ...]  # files and directories of desired files, as for check
    output: Path
    connection: ConnectionSettings = field(default_factory=ConnectionSettings)
    fetch_mode: FetchMode = FetchMode.BULK
    allow_outside_paths: bool = False
    unmanaged: bool = False  # also keep every function of the namespaces (complete listings)
    force: bool = False  # overwrite ``output`` if it exists


@dataclass(frozen=True)
class SnapshotSummary:
    found: int
    missing: int
    not_checked: int
    namespaces_listed: int  # complete listings kept (--unmanaged)
    exit_code: ExitCode


def take_snapshot(
    settings: SnapshotSettings,
    *,
    environ: Mapping[str, str],
    secrets: Secrets,
    on_progress: Progress | None = None,
) -> SnapshotSummary:
    """Fetch what ``settings.desired`` declares (as check does) and save it to ``output``.

    ``secrets`` learns every ``${VAR}`` value and the key: the file holds none of them.
    """
    deadline = settings.connection.start_deadline()
    refuse_overwrite(settings.output, force=settings.force)
    outputs = check_outputs([("snapshot -o", settings.output)])
    state = load_all(
        settings.desired,
        environ=environ,
        allow_outside_paths=settings.allow_outside_paths,
        protect=secrets.add_value,
    )
    key_files = (settings.connection.api_key_file, settings.connection.ca_bundle)
    refuse_inputs(outputs, [*state.files, *key_files])
    fetched = fetch_live(
        state,
        build_client(settings.connection, environ, secrets),
        mode=settings.fetch_mode,
        concurrency=settings.connection.concurrency,
        on_progress=on_progress,
        list_all=settings.unmanaged,
        deadline=deadline,
    )
    snapshot = _recorded(settings, state, fetched)
    save_snapshot(snapshot, settings.output, secrets)
    statuses = [fetched.live[function.identity].status for function in state.functions]
    not_checked = statuses.count(LiveStatus.ERROR)
    return SnapshotSummary(
        found=statuses.count(LiveStatus.FOUND),
        missing=statuses.count(LiveStatus.MISSING),
        not_checked=not_checked,
        namespaces_listed=sum(space.complete for space in snapshot.namespaces.values()),
        exit_code=snapshot_exit_code(not_checked),
    )


def _recorded(settings: SnapshotSettings, state: DesiredState, fetched: Fetched) -> Snapshot:
    taken_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    display_name = SOURCE_SEPARATOR.join(map(str, settings.desired))
    snapshot = Snapshot.new(
        taken_at=taken_at, base_url=settings.connection.base_url, desired=display_name
    )
    for function in state.functions:
        live = fetched.live[function.identity]
        snapshot.record(live, function.sensitive, function.sensitive_paths)
    for key, listing in sorted(fetched.listings.items()) if settings.unmanaged else ():
        if isinstance(listing, FunctionList) and listing.complete:  # else "missing" is unknown
            snapshot.record_listing(key, listing.items.values())
    return snapshot
