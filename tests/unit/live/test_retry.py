"""The retry policy: what is retried, how long each wait is, the shared back-off, the counts."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from faasdrift.live.answers import Answer
from faasdrift.live.retry import (
    Retrier,
    RetryPolicy,
    SharedBackoff,
    TransportFailure,
    is_retryable,
    retry_after,
)

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


class FakeTime:
    """A clock that moves only when someone sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # let other tasks run, as a real sleep would


def retrier(time: FakeTime, **policy: float) -> Retrier:
    backoff = SharedBackoff(clock=time.clock, sleep=time.sleep)
    settings = RetryPolicy(**policy)  # type: ignore[arg-type]
    return Retrier(settings, backoff=backoff, sleep=time.sleep, now=lambda: NOW)


class Script:
    """An attempt function that plays answers (or failures) in order and counts its calls."""

    def __init__(self, outcomes: Iterable[Answer | TransportFailure]) -> None:
        self.outcomes = list(outcomes)
        self.calls = 0

    async def __call__(self) -> Answer:
        outcome = self.outcomes[min(self.calls, len(self.outcomes) - 1)]
        self.calls += 1
        if isinstance(outcome, TransportFailure):
            raise TransportFailure(outcome.reason)
        return outcome


def status(code: int, **headers: str) -> Answer:
    return Answer(status=code, headers={k.replace("_", "-"): v for k, v in headers.items()})


def run(retrier: Retrier, script: Script) -> Answer:
    return asyncio.run(retrier.call(script))


# --- which outcomes are retried ---------------------------------------------------------------


@pytest.mark.parametrize("code", [408, 409, 429, 500, 502, 503, 504, 599])
def test_transient_statuses_are_retried_until_the_retries_run_out(code: int) -> None:
    time = FakeTime()
    policy = retrier(time, max_retries=3)
    script = Script([status(code)])

    answer = run(policy, script)

    assert script.calls == 4
    assert (answer.status, answer.retries) == (code, 3)
    assert policy.retries == 3
    assert len(time.sleeps) == 3


@pytest.mark.parametrize("code", [200, 301, 400, 401, 403, 404, 405, 422])
def test_final_answers_are_not_retried(code: int) -> None:
    time = FakeTime()
    policy = retrier(time)
    script = Script([status(code)])

    answer = run(policy, script)

    assert (script.calls, answer.retries, policy.retries, time.sleeps) == (1, 0, 0, [])


def test_is_retryable() -> None:
    assert [code for code in range(100, 600) if is_retryable(code)] == [
        408,
        409,
        429,
        *range(500, 600),
    ]


def test_success_after_retries_carries_the_count() -> None:
    policy = retrier(FakeTime())
    answer = run(policy, Script([status(503), status(502), status(200)]))

    assert (answer.status, answer.retries, policy.retries) == (200, 2, 2)


def test_transport_failures_are_retried_then_raised_with_the_count() -> None:
    policy = retrier(FakeTime(), max_retries=2)
    script = Script([TransportFailure("connection reset")])

    with pytest.raises(TransportFailure) as caught:
        run(policy, script)

    assert script.calls == 3
    assert (caught.value.reason, caught.value.retries, policy.retries) == (
        "connection reset",
        2,
        2,
    )


def test_a_failure_then_an_answer() -> None:
    answer = run(retrier(FakeTime()), Script([TransportFailure("timed out"), status(200)]))

    assert (answer.status, answer.retries) == (200, 1)


def test_zero_retries_sends_once() -> None:
    time = FakeTime()
    script = Script([status(503)])

    answer = run(retrier(time, max_retries=0), script)

    assert (script.calls, answer.retries, time.sleeps) == (1, 0, [])


def test_retries_add_up_over_calls() -> None:
    policy = retrier(FakeTime(), max_retries=1)
    run(policy, Script([status(500)]))
    run(policy, Script([status(500), status(200)]))
    run(policy, Script([status(200)]))

    assert policy.retries == 2


# --- how long each wait is --------------------------------------------------------------------


def test_backoff_doubles_from_half_a_second_with_jitter_and_stops_at_8() -> None:
    time = FakeTime()
    run(retrier(time, max_retries=7), Script([status(503)]))

    expected = [0.5, 1, 2, 4, 8, 8, 8]
    assert len(time.sleeps) == len(expected)
    for waited, base in zip(time.sleeps, expected, strict=True):
        assert base <= waited <= min(base + 0.25, 8)


def test_jitter_spreads_the_waits() -> None:
    waits = set()
    for _ in range(20):
        time = FakeTime()
        run(retrier(time, max_retries=1), Script([status(503)]))
        waits.add(time.sleeps[0])
    assert len(waits) > 1


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry_after": "7"}, 7.0),
        ({"retry_after_ms": "1500"}, 1.5),
        ({"retry_after_ms": "1500", "retry_after": "7"}, 1.5),
        ({"retry_after": format_datetime(NOW + timedelta(seconds=12), usegmt=True)}, 12.0),
        ({"retry_after": "0"}, 0.0),
    ],
)
def test_the_server_s_wait_replaces_the_backoff(headers: dict[str, str], expected: float) -> None:
    time = FakeTime()
    run(retrier(time, max_retries=2), Script([status(503, **headers), status(200)]))

    assert time.sleeps == [expected]


def test_every_wait_is_capped_by_max_wait() -> None:
    time = FakeTime()
    script = Script([status(429, retry_after="3600"), status(503), status(200)])

    run(retrier(time, max_wait=0.25), script)

    assert time.sleeps == [0.25, 0.25]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": " 2.5 "}, 2.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "soon", "retry-after": "4"}, 4.0),
        ({"retry-after": "Wed, 01 May 2024 12:00:30 GMT"}, 30.0),
        ({"retry-after": "Wed, 01 May 2024 11:00:00 GMT"}, 0.0),  # already past: go now
        ({"retry-after": "Wed, 01 May 2024 12:00:30 -0000"}, 30.0),
        ({"retry-after": "-1"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": "tomorrow"}, None),
        ({"retry-after": ""}, None),
        ({"retry-after-ms": "-5"}, None),
    ],
)
def test_retry_after_parsing(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after(headers, now=NOW) == expected


# --- the shared back-off ----------------------------------------------------------------------


def test_shared_backoff_waits_for_the_furthest_hold() -> None:
    time = FakeTime()
    backoff = SharedBackoff(clock=time.clock, sleep=time.sleep)
    backoff.hold(5)
    backoff.hold(2)  # a shorter hold never shortens a longer one

    asyncio.run(backoff.wait())

    assert time.now == 5
    asyncio.run(backoff.wait())
    assert time.sleeps == [5]


def test_a_429_holds_back_every_other_request() -> None:
    time = FakeTime()
    # Only the shared back-off moves the clock: the throttled call's own wait does not.
    backoff = SharedBackoff(clock=time.clock, sleep=time.sleep)
    policy = Retrier(
        RetryPolicy(), backoff=backoff, sleep=lambda _: asyncio.sleep(0), now=lambda: NOW
    )
    started: list[float] = []
    throttled = asyncio.Event()

    script = Script([status(429, retry_after="5"), status(200)])

    async def throttled_once() -> Answer:
        answer = await script()
        throttled.set()
        return answer

    async def other() -> Answer:
        started.append(time.now)
        return status(200)

    async def after_the_429() -> None:
        await throttled.wait()
        await asyncio.sleep(0)  # let the throttled call reach its wait
        await policy.call(other)

    async def scenario() -> None:
        await asyncio.gather(policy.call(throttled_once), after_the_429())

    asyncio.run(scenario())

    assert started == [5.0]  # the other request waited out the throttled one's Retry-After


def test_other_statuses_do_not_hold_the_others_back() -> None:
    time = FakeTime()
    policy = retrier(time)
    run(policy, Script([status(503, retry_after="5"), status(200)]))
    before = time.now

    asyncio.run(policy.backoff.wait())

    assert time.now == before
