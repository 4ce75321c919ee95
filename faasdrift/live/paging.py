"""Paging a namespace's function list, within the bytes one list may bring (``ListBudget``).

No HTTP here: the client hands over its ``get`` (one GET with retries, answering an ``Answer`` or
a ``Failure``). What each page means (Gcore's ``NotFoundError``, a 403, a route error, a name
given twice, an item from elsewhere) is decided in ``listing``; this module only decides how far
to page: up to the list's ``count``, ``MAX_PAGES`` pages, and the byte budget.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection

from faasdrift.live.answers import Answer
from faasdrift.live.body import MAX_LIST_PAGE_BYTES, ListBudget
from faasdrift.live.endpoints import MAX_PAGES, ApiPath, functions_api_path, list_query
from faasdrift.live.listing import ListCollector
from faasdrift.model import Failure, FunctionList, NamespaceKey

# One GET: the path, the largest body it may bring, and the reason to give when it is larger.
Get = Callable[[ApiPath, int, "str | None"], Awaitable["Answer | Failure"]]


async def read_list(
    get: Get,
    key: NamespaceKey,
    *,
    secrets: Collection[str],
    body_cap: int = MAX_LIST_PAGE_BYTES,
) -> FunctionList | Failure:
    """Every function of namespace ``key``'s list, by ``offset += len(results)`` (in name order)
    until its ``count``; a ``Failure`` when it cannot be used (with ``fall_back`` when a GET per
    function may still work: a list too large for its budget falls back)."""
    path = functions_api_path(*key)
    collector = ListCollector(key, secrets=secrets)
    budget = ListBudget(body_cap=min(body_cap, MAX_LIST_PAGE_BYTES))
    for _ in range(MAX_PAGES):
        query = list_query(collector.offset)
        answer = await get(path.with_query(query), budget.room(), budget.refusal())
        if isinstance(answer, Failure):
            return answer
        before = collector.offset
        listing = collector.take(answer)
        if listing is not None:
            return listing
        taken = collector.offset - before
        refused = budget.spend(len(answer.content), collector.remaining, taken)
        if refused is not None:
            return Failure(refused, fall_back=True)
    return collector.result(cut_short=True)
