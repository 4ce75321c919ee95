"""Stage two: what each declared function looks like live, fetched concurrently.

Bulk mode (the default) lists the functions of each (project, region, namespace) the desired file
uses, page by page, and matches them by name: one round trip per page, not one per function. Where
a list cannot speak for a function, a GET of that function does:

- the API answered the list but not usably (an HTTP error other than 401/403/429, a body that is
  not a list, or too large): every function of that namespace is fetched by GET;
- a list item lacks a compared field (or has an invalid one): that function is fetched by GET;
- a name is absent from a list whose pages contradicted themselves (a ``count`` they did not
  deliver, repeated items): it is fetched by GET, so "missing" always rests on a 404 or on a
  consistent list, never on a page that went astray.

A list that got no answer after its retries (network down, timeouts) or stayed rate-limited
(429) is not worked around: its functions are not checked, with that reason, because a GET per
function would only multiply the wait and the load on an API that is already refusing.

Per-function mode sends one GET per function. Either way at most ``concurrency`` requests are in
flight over the client's kept-alive connections, and results are keyed by identity, so the drift
stage reports them in desired-file order however they arrive. Ctrl-C cancels what is in flight;
so does the run's ``Deadline``, after which every function not fetched yet is "not checked"
with that reason.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Collection, Iterable
from enum import Enum
from typing import Any, Protocol

from faasdrift.live.answers import check_compared_fields, error_result
from faasdrift.live.concurrency import Deadline, run_async
from faasdrift.model import (
    DesiredFunction,
    DesiredState,
    Failure,
    Fetched,
    FunctionId,
    FunctionList,
    LiveResult,
    LiveStatus,
    NamespaceKey,
)

# Told after each function is fetched: (functions done, functions in all). The CLI draws a progress
# line on a terminal with it; the fetch stage calls it and knows nothing of terminals.
Progress = Callable[[int, int], None]
Job = Callable[[], Awaitable[None]]


class FetchMode(Enum):
    BULK = "bulk"
    PER_FUNCTION = "per-function"


class LiveApi(Protocol):
    """What the fetch stage needs of a client (``client.GcoreClient`` is the real one)."""

    async def __aenter__(self) -> Any: ...

    async def __aexit__(self, *exc: object) -> None: ...

    @property
    def retries(self) -> int: ...

    async def fetch_function(self, identity: FunctionId, fields: Collection[str]) -> LiveResult: ...

    async def list_functions(
        self, project_id: int, region_id: int, namespace: str
    ) -> FunctionList | Failure: ...


def fetch_live(
    state: DesiredState,
    api: LiveApi,
    *,
    mode: FetchMode = FetchMode.BULK,
    concurrency: int = 8,
    on_progress: Progress | None = None,
    list_all: bool = False,
    deadline: Deadline | None = None,
) -> Fetched:
    """Fetch every declared function; blocks until done or ``deadline``. Ctrl-C cancels what is
    in flight.

    ``list_all`` lists every namespace the state uses in per-function mode too (bulk mode always
    does), so that ``Fetched.listings`` covers them all.
    """
    results = _Results(len(state.functions), on_progress)
    # The results are collected outside the coroutine: asyncio and anyio format the repr of a
    # finished task's result, which for 10 000 live functions costs a noticeable moment.
    passed = run_async(
        _fetch(state, api, mode, concurrency, results, list_all=list_all, deadline=deadline)
    )
    fetched = Fetched(live=results.live, retries=api.retries, listings=results.listings)
    if not passed or deadline is None:
        return fetched
    late = {
        function.identity: error_result(function.identity, deadline.reason)
        for function in state.functions
        if function.identity not in results.live
    }
    live = {**results.live, **late}
    return dataclasses.replace(fetched, live=live, deadline_passed=True, late=len(late))


async def _fetch(
    state: DesiredState,
    api: LiveApi,
    mode: FetchMode,
    concurrency: int,
    results: _Results,
    *,
    list_all: bool,
    deadline: Deadline | None,
) -> bool:
    """Run the jobs; True when the deadline cut them short."""
    async with api:
        pool = _Pool(concurrency)
        fetcher = _Fetcher(api, pool, results)
        if mode is FetchMode.PER_FUNCTION:
            for function in state.functions:
                fetcher.get(function)
            for key in _by_namespace(state.functions) if list_all else ():
                fetcher.list(key, [])  # only recorded: the GETs above decide each function
        else:
            for key, functions in _by_namespace(state.functions).items():
                fetcher.list(key, functions)
        if deadline is None:
            await pool.run()
            return False
        try:  # on time out the pool cancels and awaits its jobs before the client closes
            await asyncio.wait_for(pool.run(), deadline.remaining())
        except asyncio.TimeoutError:
            return True
        return False


def _by_namespace(
    functions: Iterable[DesiredFunction],
) -> dict[NamespaceKey, list[DesiredFunction]]:
    groups: dict[NamespaceKey, list[DesiredFunction]] = {}
    for function in functions:
        groups.setdefault(function.identity.namespace_key, []).append(function)
    return groups


class _Results:
    """Live results as they arrive, each one reported to ``on_progress(done, total)``."""

    def __init__(self, total: int, on_progress: Progress | None) -> None:
        self.live: dict[FunctionId, LiveResult] = {}
        self.listings: dict[NamespaceKey, FunctionList | Failure] = {}
        self._total = total
        self._on_progress = on_progress

    def add(self, result: LiveResult) -> None:
        self.live[result.identity] = result
        if self._on_progress is not None:
            self._on_progress(len(self.live), self._total)


class _Fetcher:
    """The jobs of a fetch: list a namespace, or GET one function."""

    def __init__(self, api: LiveApi, pool: _Pool, results: _Results) -> None:
        self._api = api
        self._pool = pool
        self._results = results

    def get(self, function: DesiredFunction) -> None:
        async def job() -> None:
            fields = tuple(function.fields)
            self._results.add(await self._api.fetch_function(function.identity, fields))

        self._pool.submit(job)

    def list(self, key: NamespaceKey, functions: list[DesiredFunction]) -> None:
        async def job() -> None:
            listing = await self._api.list_functions(*key)
            self._results.listings[key] = listing
            for function in functions:
                self._settle(function, key[2], listing)

        self._pool.submit(job)

    def _settle(
        self, function: DesiredFunction, namespace: str, listing: FunctionList | Failure
    ) -> None:
        if isinstance(listing, Failure):
            if listing.fall_back:
                self.get(function)
            else:
                reason = f"could not list namespace {namespace}: {listing.reason}"
                self._results.add(error_result(function.identity, reason))
            return
        found = match(function, listing)
        if found is None:
            self.get(function)
        else:
            self._results.add(found)


def match(function: DesiredFunction, listing: FunctionList) -> LiveResult | None:
    """The function's live result according to its namespace list; None if only a GET can tell."""
    identity = function.identity
    item = listing.items.get(identity.name)
    if item is None:
        return (
            LiveResult(identity=identity, status=LiveStatus.MISSING) if listing.complete else None
        )
    if check_compared_fields(item, tuple(function.fields), absent_means_null=False) is not None:
        return None
    return LiveResult(identity=identity, status=LiveStatus.FOUND, data=item)


class _Pool:
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
