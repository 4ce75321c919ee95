"""Paging a namespace's function list, within the bytes one list may bring (``ListBudget``).

No HTTP here: the client hands over its ``get`` (one GET with retries, answering an ``Answer`` or
a ``Failure``), and what each page means is decided in ``answers``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection

from faasdrift.live.answers import Answer, ListCollector, list_page
from faasdrift.live.body import MAX_LIST_PAGE_BYTES, ListBudget
from faasdrift.live.endpoints import MAX_PAGES, PAGE_SIZE, ApiPath
from faasdrift.model import Failure, FunctionList

# One GET: the path, the largest body it may bring, and the reason to give when it is larger.
Get = Callable[[ApiPath, int, "str | None"], Awaitable["Answer | Failure"]]


async def read_list(
    get: Get, path: ApiPath, *, secrets: Collection[str], body_cap: int = MAX_LIST_PAGE_BYTES
) -> FunctionList | Failure:
    """Every function of the list at ``path``, by ``offset += len(results)`` until its
    ``count``; a ``Failure`` when it cannot be used (with ``fall_back`` when a GET per function
    may still work: a list too large for its budget falls back)."""
    collector, budget = ListCollector(), ListBudget(body_cap=min(body_cap, MAX_LIST_PAGE_BYTES))
    for _ in range(MAX_PAGES):
        query = {"limit": PAGE_SIZE, "offset": collector.offset}
        answer = await get(path.with_query(query), budget.room(), budget.refusal())
        if isinstance(answer, Failure):
            return answer
        page = list_page(answer, secrets=secrets)
        if isinstance(page, Failure):
            return page
        if not collector.add(page):
            return collector.result()
        refused = budget.spend(len(answer.content), page.count - collector.offset, len(page.items))
        if refused is not None:
            return Failure(refused, fall_back=True)
    return collector.result(cut_short=True)
