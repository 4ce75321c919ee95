"""A pool of asynchronous jobs, at most ``size`` running at once, that may submit more jobs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Job = Callable[[], Awaitable[None]]


class Pool:
    """Runs jobs, at most ``size`` at once; a job may submit more. The first error stops all."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._queue: asyncio.Queue[Job] = asyncio.Queue()

    def submit(self, job: Job) -> None:
        self._queue.put_nowait(job)

    async def run(self) -> None:
        """Until every job is done; re-raises the first job error after cancelling the rest."""
        workers = [asyncio.ensure_future(self._work()) for _ in range(self._size)]
        drained = asyncio.ensure_future(self._queue.join())
        try:
            done, _ = await asyncio.wait([drained, *workers], return_when=asyncio.FIRST_COMPLETED)
            for task in done - {drained}:
                task.result()  # a worker ends only by an error: raise it
        finally:
            for task in [drained, *workers]:
                task.cancel()
            await asyncio.gather(drained, *workers, return_exceptions=True)

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await job()
            finally:
                self._queue.task_done()
