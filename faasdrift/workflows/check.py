"""`check`: desired files -> validated model -> live fetch -> comparison -> judgement -> a run.

Settings in, a ``CheckRun`` out, no click: the CLI builds ``CheckSettings`` from its options, calls
``check`` and hands the run to the reports. Only run-wide failures raise (a bad file, a refused
key); what goes wrong for one function is data in the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from faasdrift.compare import compare_all
from faasdrift.desired.load import SOURCE_SEPARATOR, load_all
from faasdrift.judge.memory import Recall, remember
from faasdrift.judge.verdict import Judging, Prepared, after_compare, before_fetch, exit_code
from faasdrift.live.base_url import api_identity
from faasdrift.live.concurrency import DEFAULT_CONCURRENCY, Deadline
from faasdrift.live.connection import ConnectionSettings, build_client
from faasdrift.live.fetch import FetchMode, LiveApi, Progress, fetch_live
from faasdrift.model import CheckRun, DesiredState
from faasdrift.outputs import Output, refuse_inputs
from faasdrift.secrets import Secrets
from faasdrift.snapshot.replay import SnapshotSource
from faasdrift.snapshot.store import load_snapshot
from faasdrift.workflows.recall import recall_baseline, tonight


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
    baseline: Path | None = None  # --baseline: the JSON report of an earlier run
    json_reports: tuple[Path, ...] = ()  # --report json= paths: these may replace the baseline

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
    # Tonight's JSON report may replace last night's (one rolling file); nothing else may.
    others = [out for out in settings.outputs if out.path not in settings.json_reports]
    refuse_inputs(others, [settings.baseline])
    # Then the scope: one that selects nothing is a mistake in the command, whatever the key says.
    prepared = before_fetch(state, settings.judging)
    offline, api = _offline(settings, state)
    # The baseline is read before any request: a foreign file must not cost a whole check.
    recall = recall_baseline(
        settings.baseline, secrets, base_url=api, source=state.source, judging=settings.judging
    )
    source = offline or build_client(settings.connection, environ, secrets)
    mode = FetchMode.PER_FUNCTION if offline else settings.fetch_mode
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
        recall=recall,
    )


def _offline(settings: CheckSettings, state: DesiredState) -> tuple[LiveApi | None, str | None]:
    """The snapshot to check against (offline: no key, no network), if any, and the API the
    run's findings are of: the one asked, or the one the snapshot was taken from."""
    if settings.live_snapshot is None:
        return None, api_identity(settings.connection.base_url)
    snapshot = load_snapshot(settings.live_snapshot)
    taken_from = snapshot.meta.get("base_url")
    return SnapshotSource(snapshot, state), (
        api_identity(taken_from) if isinstance(taken_from, str) else None
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
    concurrency: int = DEFAULT_CONCURRENCY,
    judging: Judging | None = None,
    deadline: Deadline | None = None,
    prepared: Prepared | None = None,
    recall: Recall | None = None,
) -> CheckRun:
    """Select, fetch (see ``live.fetch``), compare, judge: the run of an already loaded state.

    ``prepared`` is the state already selected by ``before_fetch`` (``check`` selects before it
    builds the client); else this selects it. ``recall`` brings the baseline, the salt and the
    run's secrets to its memory; without it the findings get fingerprints and nothing more.
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
    recall = tonight(recall, prepared, judged, judging)
    memory = remember(judged.result, recall)
    return CheckRun(
        result=judged.result,
        exit_code=exit_code(judged, judging, memory),
        generated_at=judging.moment(),
        retries=fetched.retries,
        warnings=(*prepared.warnings, *recall.warnings, *judged.warnings),
        memory=memory,
    )
