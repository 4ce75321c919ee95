"""Running the asynchronous requests: one event loop per run, a deadline, no task left behind.

Two things asyncio does on its own are made explicit here. A task that fails while nobody waits
for it is reported by asyncio straight to stderr (unredacted); ``run_async`` routes such reports
through the ``faasdrift.async`` logger, which the console shows, redacted. And ``asyncio.gather``
returns at the first error while the other tasks still run; ``gather_or_cancel`` cancels and awaits
them first, so a client is never closed under requests still in flight.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

ASYNC_LOG = logging.getLogger("faasdrift.async")

# Requests in flight at once unless --concurrency says otherwise: terraform's default parallelism,
# and enough to ask for the first list page of each namespace of a ten-namespace file at once
# (at 8, the last two waited a whole round trip behind the others).
DEFAULT_CONCURRENCY = 10


@dataclass(frozen=True)
class Deadline:
    """The moment a run must be over (``--deadline``): what is not checked by then is not."""

    seconds: float
    expires_at: float  # on the ``time.monotonic`` clock

    @classmethod
    def start(cls, seconds: float) -> Deadline:
        return cls(seconds, time.monotonic() + seconds)

    def remaining(self) -> float:
        return max(self.expires_at - time.monotonic(), 0.0)

    @property
    def reason(self) -> str:
        return f"the run's deadline (--deadline {self.seconds:g} s) passed before it was checked"


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)``, with asyncio's own error reports routed to ``ASYNC_LOG``."""

    async def guarded() -> T:
        asyncio.get_running_loop().set_exception_handler(_report)
        return await main

    return asyncio.run(guarded())


def _report(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    detail = f": {type(error).__name__}: {error}" if error is not None else ""
    ASYNC_LOG.error("%s%s", context.get("message", "asynchronous error"), detail)


async def gather_or_cancel(*awaitables: Awaitable[T]) -> list[T]:
    """Every result in order; on the first error (or a cancellation) the others are cancelled
    and awaited before it is raised."""
    tasks = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
