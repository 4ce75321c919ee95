"""Stage two: what each declared function looks like live, fetched concurrently.

Bulk mode (the default) lists the functions of each (project, region, namespace) the desired file
uses, page by page, and matches them by name: one round trip per page, not one per function. Where
a list cannot speak for a function, a GET of that function does:

- the API answered the list but not usably (an HTTP error other than 401/403/429, a body that is
  not a list, or too large): every function of that namespace is fetched by GET;
- a list item lacks a compared field (or has an invalid one): that function is fetched by GET;
- a name is absent from a list whose pages contradicted themselves (a ``count`` they did not
  deliver, a name given twice, an item of another namespace), or is one of those given twice: it
  is fetched by GET, so "missing" always rests on Gcore's ``NotFoundError`` or on a consistent
  list, never on a page that went astray.

A list that Gcore answers ``NotFoundError`` means the namespace itself does not exist: its
functions are missing for that reason. A GET answered ``NotFoundError`` cannot tell the function
from its namespace, so the namespace is asked once (unless its list already told).

A list that got no answer after its retries (network down, timeouts), stayed rate-limited (429),
was refused to this key (403) or hit no route (a 404 that is not ``NotFoundError``) is not worked
around: its functions are not checked, with that reason, because a GET per function would only
multiply the wait and the load on an API that is already refusing, or fail the same way.

Per-function mode sends one GET per function. Either way at most ``concurrency`` requests are in
flight over the client's kept-alive connections, and results are keyed by identity, so the drift
stage reports them in desired-file order however they arrive. Ctrl-C cancels what is in flight;
so does the run's ``Deadline``, after which every function not fetched yet is "not checked"
with that reason.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Collection, Iterable
from enum import Enum
from typing import Any, Protocol

from faasdrift.acyclic import building_acyclic_data
from faasdrift.live.answers import error_result, missing_namespace_reason
from faasdrift.live.concurrency import DEFAULT_CONCURRENCY, Deadline, run_async
from faasdrift.live.listing import match
from faasdrift.live.pool import Pool
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

    async def namespace_exists(
        self, project_id: int, region_id: int, namespace: str
    ) -> bool | None: ...


def fetch_live(
    state: DesiredState,
    api: LiveApi,
    *,
    mode: FetchMode = FetchMode.BULK,
    concurrency: int = DEFAULT_CONCURRENCY,
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
    # What a fetch builds is acyclic, and a cyclic collection in it walks the desired state just
    # built too (0.14 s at 10,000 functions); asyncio's few cycles are collected after it.
    with building_acyclic_data():
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
        pool = Pool(concurrency)
        fetcher = _Fetcher(api, pool, results)
        if mode is FetchMode.PER_FUNCTION:
            for function in state.functions:
                fetcher.get(function)
            for key in _by_namespace(state.functions) if list_all else ():
                fetcher.list(key, [])  # only recorded: the GETs above decide each function
        else:
            for key, functions in _by_namespace(state.functions).items():
                fetcher.list(key, functions)
        try:  # on time out the pool cancels and awaits its jobs before the client closes
            await asyncio.wait_for(pool.run(), None if deadline is None else deadline.remaining())
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

    def __init__(self, api: LiveApi, pool: Pool, results: _Results) -> None:
        self._api = api
        self._pool = pool
        self._results = results
        # Whether each namespace exists, once asked (or once its list told): asked at most once.
        self._namespaces: dict[NamespaceKey, asyncio.Future[bool | None]] = {}

    def get(self, function: DesiredFunction) -> None:
        async def job() -> None:
            fields = tuple(function.fields)
            result = await self._api.fetch_function(function.identity, fields)
            if result.status is LiveStatus.MISSING and result.reason is None:
                result = await self._explained(result)
            self._results.add(result)

        self._pool.submit(job)

    def list(self, key: NamespaceKey, functions: list[DesiredFunction]) -> None:
        async def job() -> None:
            listing = await self._api.list_functions(*key)
            self._results.listings[key] = listing
            if isinstance(listing, FunctionList):
                self._known(key, listing.missing_reason is None)
            for function in functions:
                self._settle(function, key[2], listing)

        self._pool.submit(job)

    async def _explained(self, result: LiveResult) -> LiveResult:
        """A missing function, with the reason when its namespace does not exist either."""
        key = result.identity.namespace_key
        if key not in self._namespaces:
            self._namespaces[key] = asyncio.ensure_future(self._api.namespace_exists(*key))
        if await self._namespaces[key] is not False:
            return result  # the namespace exists (or would not say): no such function
        reason = missing_namespace_reason(*key)
        return LiveResult(result.identity, LiveStatus.MISSING, reason=reason)

    def _known(self, key: NamespaceKey, exists: bool) -> None:
        known: asyncio.Future[bool | None] = asyncio.get_running_loop().create_future()
        known.set_result(exists)
        self._namespaces.setdefault(key, known)

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
