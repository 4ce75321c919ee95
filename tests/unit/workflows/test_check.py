"""The orchestration: fetch what is declared, compare, and decide the exit code."""

from __future__ import annotations

from collections.abc import Collection
from typing import NoReturn

from faasdrift.errors import ExitCode
from faasdrift.judge.verdict import Judged, Judging, exit_code
from faasdrift.live.fetch import FetchMode
from faasdrift.model import (
    DesiredFunction,
    DesiredState,
    DriftResult,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    LiveResult,
    LiveStatus,
    Position,
)
from faasdrift.workflows.check import run_check

HERE = Position(1, 1)


class FakeSource:
    """Answers GETs from a dict and remembers what it was asked (lists: see test_fetch.py)."""

    def __init__(self, answers: dict[str, LiveResult], retries: int = 0) -> None:
        self.answers = answers
        self.asked: list[tuple[str, tuple[str, ...]]] = []
        self.retries = retries

    async def __aenter__(self) -> FakeSource:
        return self

    async def __aexit__(self, *_: object) -> None:
        pass

    async def fetch_function(self, identity: FunctionId, fields: Collection[str]) -> LiveResult:
        self.asked.append((identity.name, tuple(fields)))
        return self.answers[identity.name]

    async def list_functions(self, *_: object) -> NoReturn:
        raise AssertionError("these tests fetch per function")


def declared(name: str, **fields: object) -> DesiredFunction:
    return DesiredFunction(FunctionId(1, 1, "ns", name), fields, HERE)


def found(name: str, **data: object) -> LiveResult:
    return LiveResult(FunctionId(1, 1, "ns", name), LiveStatus.FOUND, data={"name": name, **data})


def test_asks_only_for_declared_fields_and_keeps_file_order() -> None:
    state = DesiredState("d.yaml", (declared("b", timeout=5), declared("a", flavor="x")))
    source = FakeSource({"a": found("a", flavor="x"), "b": found("b", timeout=6)})

    run = run_check(state, source, fetch_mode=FetchMode.PER_FUNCTION, concurrency=1)

    assert source.asked == [("b", ("timeout",)), ("a", ("flavor",))]
    assert [function.identity.name for function in run.result.functions] == ["b", "a"]
    assert [function.status for function in run.result.functions] == [
        FunctionStatus.DRIFTED,
        FunctionStatus.IN_SYNC,
    ]
    assert run.exit_code == ExitCode.DRIFT
    assert run.generated_at is not None


def result_with(*statuses: FunctionStatus) -> DriftResult:
    functions = tuple(
        FunctionResult(FunctionId(1, 1, "ns", f"f{index}"), status, HERE)
        for index, status in enumerate(statuses)
    )
    return DriftResult("d.yaml", functions)


def exit_code_for(result: DriftResult) -> ExitCode:
    return exit_code(Judged(result), Judging())


def test_exit_codes() -> None:
    assert exit_code_for(result_with()) is ExitCode.IN_SYNC
    assert exit_code_for(result_with(FunctionStatus.IN_SYNC)) is ExitCode.IN_SYNC
    assert (
        exit_code_for(result_with(FunctionStatus.IN_SYNC, FunctionStatus.DRIFTED)) is ExitCode.DRIFT
    )
    assert exit_code_for(result_with(FunctionStatus.MISSING)) is ExitCode.DRIFT
    # Not checked wins over drift: a partial run is never reported as complete.
    assert (
        exit_code_for(result_with(FunctionStatus.DRIFTED, FunctionStatus.NOT_CHECKED))
        is ExitCode.INCOMPLETE
    )
    assert exit_code_for(result_with(FunctionStatus.NOT_CHECKED)) is ExitCode.INCOMPLETE


def test_the_result_carries_the_retries_of_the_fetch() -> None:
    state = DesiredState("d.yaml", (declared("a", timeout=5),))
    source = FakeSource({"a": found("a", timeout=5)}, retries=7)

    run = run_check(state, source, fetch_mode=FetchMode.PER_FUNCTION)

    assert run.retries == 7
    assert run.exit_code == ExitCode.IN_SYNC
