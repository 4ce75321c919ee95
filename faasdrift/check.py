"""The check itself: desired file -> validated model -> live fetch -> drift result -> verdict.

Kept out of the click layer so it can be tested without a terminal; the CLI only builds the
settings, calls ``run_check`` and prints what comes back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from faasdrift.desired import load_desired
from faasdrift.drift import compare_all
from faasdrift.errors import ExitCode
from faasdrift.models import DesiredState, DriftResult, FunctionId, FunctionStatus, LiveResult


class LiveSource(Protocol):
    """Anything that can tell what one function looks like live."""

    def fetch_function(self, identity: FunctionId, fields: Collection[str]) -> LiveResult: ...


@dataclass(frozen=True)
class CheckOutcome:
    result: DriftResult
    exit_code: ExitCode


def load_and_validate(path: Path, display_name: str | None = None) -> DesiredState:
    """Stage one: the desired file, validated; raises DesiredFileError with every problem."""
    return load_desired(path, display_name=display_name)


def fetch_live(state: DesiredState, source: LiveSource) -> dict[FunctionId, LiveResult]:
    """Stage two: what each declared function looks like live, asking only for declared fields."""
    return {
        function.identity: source.fetch_function(function.identity, tuple(function.fields))
        for function in state.functions
    }


def run_check(state: DesiredState, source: LiveSource, *, strict: bool = False) -> CheckOutcome:
    """Stages two to four: fetch, compare, decide the exit code."""
    result = compare_all(state, fetch_live(state, source), strict=strict)
    return CheckOutcome(result=result, exit_code=exit_code_for(result))


def exit_code_for(result: DriftResult) -> ExitCode:
    """3 if anything could not be checked (it wins over drift), 1 on drift or missing, else 0."""
    if result.count(FunctionStatus.NOT_CHECKED):
        return ExitCode.INCOMPLETE
    if result.count(FunctionStatus.DRIFTED) or result.count(FunctionStatus.MISSING):
        return ExitCode.DRIFT
    return ExitCode.IN_SYNC
