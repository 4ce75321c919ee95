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
from typing import Protocol

from faasdrift.client import GcoreClient
from faasdrift.credentials import resolve_api_key
from faasdrift.desired import load_desired
from faasdrift.drift import compare_all
from faasdrift.errors import ExitCode
from faasdrift.models import DesiredState, DriftResult, FunctionId, FunctionStatus, LiveResult


class LiveSource(Protocol):
    """Anything that can tell what one function looks like live."""

    def fetch_function(self, identity: FunctionId, fields: Collection[str]) -> LiveResult: ...


@dataclass(frozen=True)
class CheckSettings:
    """Everything a check needs, as plain values; built by the CLI from its options."""

    desired: Path
    base_url: str
    api_key_file: Path | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    strict: bool = False

    @property
    def display_name(self) -> str:
        """How messages and reports name the desired file: as the user wrote it."""
        return str(self.desired)


def check(
    settings: CheckSettings, environ: Mapping[str, str], protect: Callable[[str], None]
) -> DriftResult:
    """Run the whole pipeline with the real Gcore client; raises only run-wide errors.

    ``protect`` is told the API key as soon as it is known, so output can redact it.
    """
    state = load_desired(settings.desired, display_name=settings.display_name)
    api_key = resolve_api_key(environ=environ, key_file=settings.api_key_file)
    protect(api_key)
    with GcoreClient(
        base_url=settings.base_url,
        api_key=api_key,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
    ) as client:
        return run_check(state, client, strict=settings.strict)


def fetch_live(state: DesiredState, source: LiveSource) -> dict[FunctionId, LiveResult]:
    """Stage two: what each declared function looks like live, asking only for declared fields."""
    return {
        function.identity: source.fetch_function(function.identity, tuple(function.fields))
        for function in state.functions
    }


def run_check(state: DesiredState, source: LiveSource, *, strict: bool = False) -> DriftResult:
    """Stages two to four: fetch, compare, decide the exit code."""
    result = compare_all(state, fetch_live(state, source), strict=strict)
    return dataclasses.replace(
        result, exit_code=exit_code_for(result), generated_at=datetime.now(timezone.utc)
    )


def exit_code_for(result: DriftResult) -> ExitCode:
    """3 if anything could not be checked (it wins over drift), 1 on drift or missing, else 0."""
    if result.count(FunctionStatus.NOT_CHECKED):
        return ExitCode.INCOMPLETE
    if result.count(FunctionStatus.DRIFTED) or result.count(FunctionStatus.MISSING):
        return ExitCode.DRIFT
    return ExitCode.IN_SYNC
