"""When to send a GET again and how long to wait first: the policy, wired into tenacity.

Transient answers (408, 409, 429, 5xx) and requests that got no answer at all are retried, with
exponential backoff and jitter (not a host name that does not resolve: the resolver has answered,
and asking again asks the same cache), or as long as the server asks (``Retry-After-Ms``, then
``Retry-After`` in seconds or as an HTTP date); every wait is capped at ``max_wait``. A 429 also
holds the ``SharedBackoff`` that every request of the run waits on, so all workers slow down
together instead of each hammering the API on its own schedule.

Only the client calls this, and the client only sends GETs: every request here is safe to repeat.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import socket
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from faasdrift.live.answers import Answer

# `--debug`/`-vv` shows each retry decision; the client logs each request to the same logger.
REQUEST_LOG = logging.getLogger("faasdrift.http")

RETRYABLE_STATUSES = frozenset({408, 409, 429})
TOO_MANY_REQUESTS = 429

Sleep = Callable[[float], Awaitable[None]]


def is_retryable(status: int) -> bool:
    """Statuses a second identical GET may well get past: timeouts, conflicts, limits, 5xx."""
    return status in RETRYABLE_STATUSES or 500 <= status <= 599


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How often and how patiently to retry. Waits: 0.5 s, 1 s, 2 s … 8 s, plus jitter."""

    max_retries: int = 3
    max_wait: float = 60.0  # the longest single wait, a server's Retry-After included
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    jitter: float = 0.25  # up to this much is added at random, so workers drift apart


class TransportFailure(Exception):
    """A request that got no HTTP answer (refused, reset, timed out); ``reason`` is one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retries = 0  # set by ``Retrier.call``: how many retries failed like this one


def unresolvable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is a host name that does not resolve."""
    link: BaseException | None = error
    for _ in range(8):  # cause chains are short; the bound only guards against a cycle
        if link is None or isinstance(link, socket.gaierror):
            break
        link = link.__cause__ or link.__context__
    return isinstance(link, socket.gaierror)


def _worth_retrying(error: BaseException) -> bool:
    return isinstance(error, TransportFailure) and not unresolvable(error)


class SharedBackoff:
    """One "not before" moment that every request of a run waits for; a 429 pushes it back.

    The fetch runs on one event loop thread, so a plain float needs no lock.
    """

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._not_before = 0.0

    def hold(self, seconds: float) -> None:
        """Let no request start during the next ``seconds`` (an earlier hold may reach further)."""
        self._not_before = max(self._not_before, self._clock() + seconds)

    async def wait(self) -> None:
        # A loop: another 429 may push the moment back while we sleep.
        while (delay := self._not_before - self._clock()) > 0:
            await self._sleep(delay)


class Retrier:
    """Runs each GET through the policy; ``retries`` counts the retries of the whole run."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        backoff: SharedBackoff | None = None,
        sleep: Sleep = asyncio.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.policy = policy
        self.backoff = backoff if backoff is not None else SharedBackoff(sleep=sleep)
        self.retries = 0
        self._sleep = sleep
        self._now = now
        self._exponential = wait_exponential(
            multiplier=policy.initial_backoff, max=policy.max_backoff
        ) + wait_random(0, policy.jitter)

    async def call(self, attempt: Callable[[], Awaitable[Answer]]) -> Answer:
        """Call ``attempt`` until its answer is final or the retries run out.

        Returns the last answer, or raises the last ``TransportFailure``; either one carries how
        many retries preceded it.
        """
        made = -1

        async def gated() -> Answer:
            nonlocal made
            made += 1
            await self.backoff.wait()
            try:
                answer = await attempt()
            except TransportFailure as failure:
                failure.retries = made
                raise
            return dataclasses.replace(answer, retries=made)

        answer: Answer = await self._controller()(gated)
        return answer

    def _controller(self) -> AsyncRetrying:
        # A fresh one per call: tenacity keeps the state of a call on the object.
        return AsyncRetrying(
            stop=stop_after_attempt(self.policy.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception(_worth_retrying) | retry_if_result(_retryable_answer),
            before_sleep=self._before_sleep,
            retry_error_callback=_last_outcome,
            sleep=self._sleep,
        )

    def _wait(self, state: RetryCallState) -> float:
        answer = _answer_of(state)
        asked = retry_after(answer.headers, now=self._now()) if answer is not None else None
        wait = min(self._exponential(state), self.policy.max_backoff) if asked is None else asked
        return min(wait, self.policy.max_wait)

    def _before_sleep(self, state: RetryCallState) -> None:
        self.retries += 1
        answer = _answer_of(state)
        why = f"HTTP {answer.status}" if answer is not None else "no answer"
        REQUEST_LOG.debug(
            "retry %d of %d in %.2f s (%s)",
            state.attempt_number,
            self.policy.max_retries,
            state.upcoming_sleep,
            why,
        )
        if answer is not None and answer.status == TOO_MANY_REQUESTS:
            self.backoff.hold(state.upcoming_sleep)


def retry_after(headers: Mapping[str, str], *, now: datetime) -> float | None:
    """Seconds the server asks to wait: ``Retry-After-Ms``, else ``Retry-After`` (seconds or an
    HTTP date); None when it asks nothing usable. Header names are lower-case."""
    millis = _non_negative(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000
    value = headers.get("retry-after", "").strip()
    seconds = _non_negative(value)
    if seconds is not None or not value:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; "-0000" parses as naive
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _non_negative(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else math.nan
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _answer_of(state: RetryCallState) -> Answer | None:
    outcome = state.outcome
    if outcome is None or outcome.failed:
        return None
    answer: Answer = outcome.result()
    return answer


def _retryable_answer(answer: Answer) -> bool:
    return is_retryable(answer.status)


def _last_outcome(state: RetryCallState) -> Answer:
    # Retries exhausted: hand back the last answer, or raise the last failure, as it was.
    assert state.outcome is not None  # tenacity gives up only after an attempt
    answer: Answer = state.outcome.result()
    return answer
