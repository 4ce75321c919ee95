"""`check`: desired files -> validated model -> live fetch -> comparison -> judgement -> a run.

Settings in, a ``CheckRun`` out, no click: the CLI builds ``CheckSettings`` from its options, calls
``check`` and hands the run to the reports. Only run-wide failures raise (a bad file, a refused
key); what goes wrong for one function is data in the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from faasdrift.compare import compare_all
from faasdrift.desired.load import SOURCE_SEPARATOR, load_all
from faasdrift.judge.verdict import Judging, Prepared, after_compare, before_fetch, exit_code
from faasdrift.live.concurrency import Deadline
from faasdrift.live.connection import ConnectionSettings, build_client
from faasdrift.live.fetch import FetchMode, LiveApi, Progress, fetch_live
from faasdrift.model import CheckRun, DesiredState
from faasdrift.outputs import Output, refuse_inputs
from faasdrift.secrets import Secrets
from faasdrift.snapshot.replay import SnapshotSource
from faasdrift.snapshot.store import load_snapshot


@dataclass(frozen=True)
class CheckSettings:
    """Everything a check needs, as plain values; built by the CLI from its options."""

    desired: tuple[Path, ...]  # files and directories of desired files
    connection: ConnectionSettings = field(default_factory=ConnectionSettings)
    fetch_mode: FetchMode = FetchMode.BULK
    strict: bool = False  # compare code byte for byte, a trailing newline included
    allow_outside_paths: bool = False  # may a code_file lie outside the desired file's folder?
    live_snapshot: Path | None = None  # compare with this snapshot instead of the API (offline)
    judging: Judging = field(default_factory=Judging)  # filters, ignore rules, unmanaged, fail-on
    outputs: tuple[Output, ...] = ()  # the report files: never one of the run's inputs

    @property
    def display_name(self) -> str:
        """How messages and reports name the desired files: as the user wrote them."""
        return SOURCE_SEPARATOR.join(map(str, self.desired))


def check(
    settings: CheckSettings,
    environ: Mapping[str, str],
    secrets: Secrets,
    on_progress: Progress | None = None,
) -> CheckRun:
    """Run the whole pipeline with the real Gcore client (or a snapshot); raises only run-wide
    errors.

    ``secrets`` learns every value a ``${VAR}`` takes from the environment as the files load,
    and the API key as soon as it is known, so that no output can show them. ``environ`` gives
    the API key and the values of ``${VAR}`` references in the desired file.
    """
    deadline = settings.connection.start_deadline()
    state = load_all(
        settings.desired,
        environ=environ,
        allow_outside_paths=settings.allow_outside_paths,
        protect=secrets.add_value,
    )
    refuse_inputs(settings.outputs, [*state.files, settings.live_snapshot, *_key_files(settings)])
    # Then the scope: one that selects nothing is a mistake in the command, whatever the key says.
    prepared = before_fetch(state, settings.judging)
    source: LiveApi
    mode = settings.fetch_mode
    if settings.live_snapshot is not None:  # offline: no key, no network
        source = SnapshotSource(load_snapshot(settings.live_snapshot), state)
        mode = FetchMode.PER_FUNCTION
    else:
        source = build_client(settings.connection, environ, secrets)
    return run_check(
        state,
        source,
        strict=settings.strict,
        on_progress=on_progress,
        fetch_mode=mode,
        concurrency=settings.connection.concurrency,
        judging=settings.judging,
        deadline=deadline,
        prepared=prepared,
    )


def _key_files(settings: CheckSettings) -> tuple[Path | None, ...]:
    return (settings.connection.api_key_file, settings.connection.ca_bundle)


def run_check(
    state: DesiredState,
    source: LiveApi,
    *,
    strict: bool = False,
    on_progress: Progress | None = None,
    fetch_mode: FetchMode = FetchMode.BULK,
    concurrency: int = 8,
    judging: Judging | None = None,
    deadline: Deadline | None = None,
    prepared: Prepared | None = None,
) -> CheckRun:
    """Select, fetch (see ``live.fetch``), compare, judge: the run of an already loaded state.

    ``prepared`` is the state already selected by ``before_fetch`` (``check`` selects before it
    builds the client); else this selects it.
    """
    judging = judging or Judging()
    prepared = prepared or before_fetch(state, judging)
    fetched = fetch_live(
        prepared.state,
        source,
        mode=fetch_mode,
        concurrency=concurrency,
        on_progress=on_progress,
        list_all=judging.unmanaged,
        deadline=deadline,
    )
    compared = compare_all(prepared.state, fetched.live, strict=strict)
    judged = after_compare(compared, prepared.state, fetched, judging)
    return CheckRun(
        result=judged.result,
        exit_code=exit_code(judged, judging),
        generated_at=datetime.now(timezone.utc),
        retries=fetched.retries,
        warnings=(*prepared.warnings, *judged.warnings),
    )
