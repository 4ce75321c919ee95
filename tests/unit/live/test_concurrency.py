"""The run's deadline, siblings cancelled before a client closes, asyncio's reports routed."""

from __future__ import annotations

import asyncio
import gc
import logging
import time

import pytest

from faasdrift.live.concurrency import ASYNC_LOG, Deadline, gather_or_cancel, run_async
from faasdrift.live.fetch import FetchMode, fetch_live
from faasdrift.model import DesiredState, LiveStatus
from tests.unit.live.test_fetch import FakeApi, declared


def test_a_deadline_counts_down_from_its_start() -> None:
    deadline = Deadline.start(60)
    assert 59 < deadline.remaining() <= 60
    assert Deadline(5, time.monotonic() - 1).remaining() == 0
    assert deadline.reason == "the run's deadline (--deadline 60 s) passed before it was checked"


def test_the_first_error_cancels_and_awaits_the_others_before_it_is_raised() -> None:
    finished: list[str] = []

    async def slow(name: str) -> str:
        try:
            await asyncio.sleep(5)
        finally:
            finished.append(name)  # cancelled, and awaited: this runs before gather returns
        return name

    async def failing() -> str:
        await asyncio.sleep(0.01)
        raise RuntimeError("deleted while it was imported")

    async def go() -> None:
        with pytest.raises(RuntimeError, match="deleted"):
            await gather_or_cancel(slow("a"), failing(), slow("b"))
        assert sorted(finished) == ["a", "b"]

    started = time.monotonic()
    run_async(go())
    assert time.monotonic() - started < 2


def test_an_error_nobody_waits_for_goes_to_the_log_not_to_stderr(
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An earlier in-process CLI run points this logger at its console: undo that for the test.
    monkeypatch.setattr(ASYNC_LOG, "handlers", [])
    monkeypatch.setattr(ASYNC_LOG, "propagate", True)

    async def orphan() -> None:
        raise RuntimeError("lost in a lane")

    async def go() -> None:
        task = asyncio.ensure_future(orphan())
        await asyncio.sleep(0.01)
        del task  # never awaited: asyncio reports it when the task is collected

    with caplog.at_level(logging.ERROR, logger=ASYNC_LOG.name):
        run_async(go())
        gc.collect()
    assert any("RuntimeError: lost in a lane" in record.getMessage() for record in caplog.records)
    assert "lost in a lane" not in capsys.readouterr().err


def test_the_deadline_makes_every_function_not_fetched_yet_not_checked() -> None:
    api = FakeApi(gets={"a": {"timeout": 5}, "b": {"timeout": 5}}, delay=5)
    state = DesiredState("d.yaml", (declared("a"), declared("b")))
    started = time.monotonic()
    mode = FetchMode.PER_FUNCTION
    fetched = fetch_live(state, api, mode=mode, deadline=Deadline.start(0.2), concurrency=1)
    assert time.monotonic() - started < 2
    assert fetched.deadline_passed
    assert fetched.late == 2
    assert {result.status for result in fetched.live.values()} == {LiveStatus.ERROR}
    assert {result.reason for result in fetched.live.values()} == {
        "the run's deadline (--deadline 0.2 s) passed before it was checked"
    }
    assert api.closed
    assert api.in_flight == 0
