"""`gate`: the base files, the new files, one live fetch -> every value classified -> a run.

Settings in, a ``GateRun`` out, no click. Both states are loaded as ``check`` loads a desired
file (the base from the working tree, or from git with ``--base-ref``); a problem in either is
reported with every other, and nothing is fetched (exit 2). Then the functions either state
declares are fetched once, with ``check``'s fetch (bulk lists, retries, concurrency, deadline),
for every field either declares, and classified (``judge.three_way``); the exit code is
``judge.verdict.gate_exit_code``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from faasdrift.desired.at_ref import StateAtRef, load_at_ref
from faasdrift.desired.load import load_all
from faasdrift.errors import DesiredFileError, UsageError
from faasdrift.judge.gate import GateJudging, GatePrepared, before_gate, judge_gate
from faasdrift.judge.verdict import deadline_warnings, gate_exit_code
from faasdrift.live.concurrency import DEFAULT_CONCURRENCY, Deadline
from faasdrift.live.connection import ConnectionSettings, build_client
from faasdrift.live.fetch import FetchMode, LiveApi, Progress, fetch_live
from faasdrift.model import DesiredState, GateRun, Problem
from faasdrift.outputs import Output, refuse_inputs
from faasdrift.secrets import Secrets


@dataclass(frozen=True)
class GateSettings:
    """Everything a gate needs, as plain values; built by the CLI from its options."""

    new: tuple[Path, ...]  # the new desired files (files and directories)
    base: tuple[Path, ...] = ()  # the desired files as last deployed; with base_ref: paths at it
    base_ref: str | None = None  # read the base from git at this revision
    connection: ConnectionSettings = field(default_factory=ConnectionSettings)
    fetch_mode: FetchMode = FetchMode.BULK
    allow_outside_paths: bool = False
    judging: GateJudging = field(default_factory=GateJudging)
    outputs: tuple[Output, ...] = ()
    cwd: Path | None = None  # where --base-ref paths are relative to (the current directory)

    @property
    def base_paths(self) -> tuple[Path, ...]:
        """The base paths: as given, or (with only --base-ref) the new paths at the ref."""
        return self.base or self.new


@dataclass(frozen=True)
class States:
    """Both desired states, loaded, and what loading them found worth a warning."""

    base: DesiredState
    new: DesiredState
    commit: str | None = None
    warnings: tuple[str, ...] = ()


def gate(
    settings: GateSettings,
    environ: Mapping[str, str],
    secrets: Secrets,
    on_progress: Progress | None = None,
) -> GateRun:
    """Run the whole gate against the real Gcore client; raises only run-wide errors."""
    if not settings.base and settings.base_ref is None:
        raise UsageError("gate needs the files as last deployed: --base PATH or --base-ref REF")
    deadline = settings.connection.start_deadline()
    states = load_states(settings, environ, secrets)
    inputs = [*states.new.files, *states.base.files]
    refuse_inputs(settings.outputs, [*inputs, *_key_files(settings)])
    prepared = before_gate(states.base, states.new, settings.judging)
    source = build_client(settings.connection, environ, secrets)
    return run_gate(
        prepared,
        source,
        judging=settings.judging,
        fetch_mode=settings.fetch_mode,
        concurrency=settings.connection.concurrency,
        on_progress=on_progress,
        deadline=deadline,
        base_ref=settings.base_ref,
        commit=states.commit,
        warnings=states.warnings,
    )


def load_states(settings: GateSettings, environ: Mapping[str, str], secrets: Secrets) -> States:
    """Both states; ``DesiredFileError`` with the problems of both when either is invalid."""
    problems: list[Problem] = []
    loaded: list[DesiredState | StateAtRef] = []
    for load in (_new, _base):
        try:
            loaded.append(load(settings, environ, secrets))
        except DesiredFileError as error:
            problems.extend(error.problems)
    if problems:
        raise DesiredFileError(problems)
    new, base = loaded
    assert isinstance(new, DesiredState)
    if isinstance(base, StateAtRef):
        return States(base.state, new, base.commit, base.warnings)
    return States(base, new)


def _new(settings: GateSettings, environ: Mapping[str, str], secrets: Secrets) -> DesiredState:
    return _files(settings.new, settings, environ, secrets)


def _base(
    settings: GateSettings, environ: Mapping[str, str], secrets: Secrets
) -> DesiredState | StateAtRef:
    if settings.base_ref is None:
        return _files(settings.base, settings, environ, secrets)
    return load_at_ref(
        settings.base_paths,
        settings.base_ref,
        cwd=settings.cwd,
        environ=environ,
        allow_outside_paths=settings.allow_outside_paths,
        protect=secrets.add_value,
    )


def _files(
    paths: tuple[Path, ...], settings: GateSettings, environ: Mapping[str, str], secrets: Secrets
) -> DesiredState:
    """Desired files from the working tree, as ``check`` reads them."""
    return load_all(
        paths,
        environ=environ,
        allow_outside_paths=settings.allow_outside_paths,
        protect=secrets.add_value,
    )


def _key_files(settings: GateSettings) -> tuple[Path | None, ...]:
    return (settings.connection.api_key_file, settings.connection.ca_bundle)


def run_gate(
    prepared: GatePrepared,
    source: LiveApi,
    *,
    judging: GateJudging | None = None,
    fetch_mode: FetchMode = FetchMode.BULK,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: Progress | None = None,
    deadline: Deadline | None = None,
    base_ref: str | None = None,
    commit: str | None = None,
    warnings: tuple[str, ...] = (),
) -> GateRun:
    """Fetch (see ``live.fetch``), classify, judge: the run of already loaded states."""
    judging = judging or GateJudging()
    fetched = fetch_live(
        prepared.fetch,
        source,
        mode=fetch_mode,
        concurrency=concurrency,
        on_progress=on_progress,
        deadline=deadline,
    )
    result, found = judge_gate(
        prepared, fetched.live, judging, base_ref=base_ref, base_commit=commit
    )
    return GateRun(
        result=result,
        exit_code=gate_exit_code(result, judging.fail_on, deadline_passed=fetched.deadline_passed),
        generated_at=datetime.now(timezone.utc),
        retries=fetched.retries,
        warnings=(*warnings, *prepared.warnings, *found, *deadline_warnings(fetched)),
    )
