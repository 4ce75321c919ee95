"""The check itself: desired file -> validated model -> live fetch -> drift result -> verdict.

Kept out of the click layer so it can be tested without a terminal: the CLI turns options into
``CheckSettings``, calls ``check`` and prints what comes back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from faasdrift.compare import compare_all
from faasdrift.desired.load import SOURCE_SEPARATOR, load_all
from faasdrift.errors import ExitCode
from faasdrift.judge.verdict import Judging, after_compare, before_fetch, final_exit_code
from faasdrift.live.client import GcoreClient
from faasdrift.live.credentials import resolve_api_key
from faasdrift.live.fetch import FetchMode, LiveApi, Progress, fetch_live
from faasdrift.live.retry import RetryPolicy
from faasdrift.model import DesiredState, DriftResult, FunctionStatus
from faasdrift.snapshot.replay import SnapshotSource
from faasdrift.snapshot.store import load_snapshot

# The outcomes `--fail-on` can name, and what each means in the result.
FAIL_ON_NAMES: Mapping[str, FunctionStatus] = {
    "drift": FunctionStatus.DRIFTED,
    "missing": FunctionStatus.MISSING,
    "not_checked": FunctionStatus.NOT_CHECKED,
}
FAIL_ON_ALL: frozenset[FunctionStatus] = frozenset(FAIL_ON_NAMES.values())


@dataclass(frozen=True)
class CheckSettings:
    """Everything a check needs, as plain values; built by the CLI from its options."""

    desired: Path | tuple[Path, ...]  # files and directories of desired files
    base_url: str
    api_key_file: Path | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    strict: bool = False
    fail_on: frozenset[FunctionStatus] = FAIL_ON_ALL
    fetch_mode: FetchMode = FetchMode.BULK
    concurrency: int = 8  # requests in flight at once
    max_retries: int = 3
    max_retry_wait: float = 60.0  # seconds, the longest wait before one retry
    allow_outside_paths: bool = False  # may a code_file lie outside the desired file's folder?
    ca_bundle: Path | None = None  # CA certificates to verify Gcore's TLS with (a proxy's own CA)
    live_snapshot: Path | None = None  # compare with this snapshot instead of the API (offline)

    judging: Judging = field(default_factory=Judging)  # filters, ignore rules, unmanaged

    @property
    def desired_paths(self) -> tuple[Path, ...]:
        return self.desired if isinstance(self.desired, tuple) else (self.desired,)

    @property
    def display_name(self) -> str:
        """How messages and reports name the desired file: as the user wrote it."""
        return SOURCE_SEPARATOR.join(map(str, self.desired_paths))


def check(
    settings: CheckSettings,
    environ: Mapping[str, str],
    protect: Callable[[str], None],
    on_progress: Progress | None = None,
    protect_value: Callable[[str], None] | None = None,
) -> DriftResult:
    """Run the whole pipeline with the real Gcore client; raises only run-wide errors.

    ``protect`` is told the API key as soon as it is known, so output can redact it;
    ``protect_value`` likewise every value a ``${VAR}`` took from the environment. ``environ``
    gives the API key and the values of ``${VAR}`` references in the desired file.
    """
    state = load_all(
        settings.desired_paths,
        environ=environ,
        allow_outside_paths=settings.allow_outside_paths,
        protect=protect_value,
    )
    source: LiveApi
    if settings.live_snapshot is not None:  # offline: no key, no network
        source = SnapshotSource(load_snapshot(settings.live_snapshot), state)
        settings = dataclasses.replace(settings, fetch_mode=FetchMode.PER_FUNCTION)
    else:
        source = build_client(settings, environ, protect)
    return run_check(
        state,
        source,
        strict=settings.strict,
        fail_on=settings.fail_on,
        on_progress=on_progress,
        fetch_mode=settings.fetch_mode,
        concurrency=settings.concurrency,
        judging=settings.judging,
    )


def build_client(
    settings: CheckSettings, environ: Mapping[str, str], protect: Callable[[str], None]
) -> GcoreClient:
    """The Gcore client the settings describe; ``protect`` is told the API key first."""
    api_key = resolve_api_key(environ=environ, key_file=settings.api_key_file)
    protect(api_key)
    return GcoreClient(
        base_url=settings.base_url,
        api_key=api_key,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        concurrency=settings.concurrency,
        retry=RetryPolicy(max_retries=settings.max_retries, max_wait=settings.max_retry_wait),
        ca_bundle=settings.ca_bundle,
    )


def run_check(
    state: DesiredState,
    source: LiveApi,
    *,
    strict: bool = False,
    fail_on: Collection[FunctionStatus] = FAIL_ON_ALL,
    on_progress: Progress | None = None,
    fetch_mode: FetchMode = FetchMode.BULK,
    concurrency: int = 8,
    judging: Judging | None = None,
) -> DriftResult:
    """Stages two to four: fetch (see ``fetch``), compare, decide the exit code.

    ``judging`` selects the functions first and judges the result last (see ``verdict``).
    """
    judging = judging or Judging()
    prepared = before_fetch(state, judging)
    state = prepared.state
    fetched = fetch_live(
        state,
        source,
        mode=fetch_mode,
        concurrency=concurrency,
        on_progress=on_progress,
        list_all=judging.unmanaged,
    )
    compared = compare_all(state, fetched.live, strict=strict)
    compared = dataclasses.replace(compared, warnings=prepared.warnings)
    judged = after_compare(compared, state, fetched, judging)
    fail_incomplete = FunctionStatus.NOT_CHECKED in fail_on
    code = final_exit_code(
        judged, exit_code_for(judged.result, fail_on), judging, fail_incomplete=fail_incomplete
    )
    return dataclasses.replace(
        judged.result,
        exit_code=code,
        generated_at=datetime.now(timezone.utc),
        retries=fetched.retries,
    )


def exit_code_for(
    result: DriftResult, fail_on: Collection[FunctionStatus] = FAIL_ON_ALL
) -> ExitCode:
    """3 if anything could not be checked (it wins over drift), 1 on drift or missing, else 0.

    Only the outcomes in ``fail_on`` count: with none of them the run always exits 0. An
    unmanaged function (``--unmanaged``) counts as drift.
    """
    if FunctionStatus.NOT_CHECKED in fail_on and result.count(FunctionStatus.NOT_CHECKED):
        return ExitCode.INCOMPLETE
    failing = (FunctionStatus.DRIFTED, FunctionStatus.MISSING)
    if any(status in fail_on and result.count(status) for status in failing):
        return ExitCode.DRIFT
    if FunctionStatus.DRIFTED in fail_on and result.count(FunctionStatus.UNMANAGED):
        return ExitCode.DRIFT
    return ExitCode.IN_SYNC


def parse_fail_on(text: str) -> frozenset[FunctionStatus]:
    """``drift,missing`` -> the statuses it names; ``none`` -> none. Raises ``ValueError``."""
    names = [name.strip() for name in text.split(",")]
    if names == ["none"]:
        return frozenset()
    unknown = [name for name in names if name not in FAIL_ON_NAMES]
    if unknown:
        choices = ", ".join([*FAIL_ON_NAMES, "none"])
        raise ValueError(f"unknown outcome {unknown[0]!r}: use a comma list of {choices}")
    return frozenset(FAIL_ON_NAMES[name] for name in names)
