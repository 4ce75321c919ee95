"""The check itself: desired file -> validated model -> live fetch -> drift result -> verdict.

Kept out of the click layer so it can be tested without a terminal: the CLI turns options into
``CheckSettings``, calls ``check`` and prints what comes back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from faasdrift.client import GcoreClient
from faasdrift.credentials import resolve_api_key
from faasdrift.desired import load_desired
from faasdrift.drift import compare_all
from faasdrift.errors import ExitCode
from faasdrift.fetch import FetchMode, LiveApi, fetch_live
from faasdrift.models import DesiredState, DriftResult, FunctionStatus
from faasdrift.retry import RetryPolicy

# Told after each function is fetched: (functions done, functions in all). The CLI draws a progress
# line on a terminal with it; the fetch stage calls it and knows nothing of terminals.
Progress = Callable[[int, int], None]

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

    desired: Path
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

    @property
    def display_name(self) -> str:
        """How messages and reports name the desired file: as the user wrote it."""
        return str(self.desired)


def check(
    settings: CheckSettings,
    environ: Mapping[str, str],
    protect: Callable[[str], None],
    on_progress: Progress | None = None,
) -> DriftResult:
    """Run the whole pipeline with the real Gcore client; raises only run-wide errors.

    ``protect`` is told the API key as soon as it is known, so output can redact it. ``environ``
    gives the API key and the values of ``${VAR}`` references in the desired file.
    """
    state = load_desired(
        settings.desired,
        display_name=settings.display_name,
        environ=environ,
        allow_outside_paths=settings.allow_outside_paths,
    )
    api_key = resolve_api_key(environ=environ, key_file=settings.api_key_file)
    protect(api_key)
    client = GcoreClient(
        base_url=settings.base_url,
        api_key=api_key,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        concurrency=settings.concurrency,
        retry=RetryPolicy(max_retries=settings.max_retries, max_wait=settings.max_retry_wait),
    )
    return run_check(
        state,
        client,
        strict=settings.strict,
        fail_on=settings.fail_on,
        on_progress=on_progress,
        fetch_mode=settings.fetch_mode,
        concurrency=settings.concurrency,
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
) -> DriftResult:
    """Stages two to four: fetch (see ``fetch``), compare, decide the exit code."""
    fetched = fetch_live(
        state, source, mode=fetch_mode, concurrency=concurrency, on_progress=on_progress
    )
    result = compare_all(state, fetched.live, strict=strict)
    return dataclasses.replace(
        result,
        exit_code=exit_code_for(result, fail_on),
        generated_at=datetime.now(timezone.utc),
        retries=fetched.retries,
    )


def exit_code_for(
    result: DriftResult, fail_on: Collection[FunctionStatus] = FAIL_ON_ALL
) -> ExitCode:
    """3 if anything could not be checked (it wins over drift), 1 on drift or missing, else 0.

    Only the outcomes in ``fail_on`` count: with none of them the run always exits 0.
    """
    if FunctionStatus.NOT_CHECKED in fail_on and result.count(FunctionStatus.NOT_CHECKED):
        return ExitCode.INCOMPLETE
    failing = (FunctionStatus.DRIFTED, FunctionStatus.MISSING)
    if any(status in fail_on and result.count(status) for status in failing):
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
