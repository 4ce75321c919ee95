"""The physical limit of a check: the least any program must do to get what faasdrift gets.

`make bench` runs this beside faasdrift, against the same emulator, in the same rounds:

    limit.py bulk URL KEY DESIRED NAMESPACE...   load DESIRED with CSafeLoader, then list every
                                                 namespace at once (one httpx GET per page,
                                                 json.loads of each)
    limit.py get URL KEY CONCURRENCY PATH...     GET every PATH, CONCURRENCY at a time (one
                                                 connection per lane, as faasdrift does)

Nothing is validated, compared or reported: what faasdrift spends beyond this is its own cost.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import yaml

PAGE = 1000
LIST = "cloud/v1/faas/namespaces/1/1/{namespace}/functions"


async def list_all(client: httpx.AsyncClient, namespace: str) -> list[Any]:
    items: list[Any] = []
    while True:
        query: dict[str, str | int] = {"limit": PAGE, "offset": len(items), "order_by": "name.asc"}
        answer = await client.get(LIST.format(namespace=namespace), params=query)
        page = json.loads(answer.content)["results"]
        items += page
        if len(page) < PAGE:
            return items


async def bulk(client: httpx.AsyncClient, desired: str, namespaces: list[str]) -> int:
    yaml.load(Path(desired).read_text(), Loader=yaml.CSafeLoader)
    lists = await asyncio.gather(*(list_all(client, namespace) for namespace in namespaces))
    return sum(map(len, lists))


async def get(url: str, headers: dict[str, str], concurrency: int, paths: list[str]) -> int:
    """Each of ``concurrency`` workers with a client of its own: httpcore 1.0's shared pool costs
    O(connections²) per request (encode/httpcore#1035), more than the requests at 32."""
    queue = list(reversed(paths))

    async def worker() -> None:
        async with httpx.AsyncClient(base_url=url, headers=headers) as client:
            while queue:
                json.loads((await client.get(queue.pop())).content)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(paths)


async def main(argv: list[str]) -> int:
    mode, url, key, *rest = argv
    headers = {"Authorization": f"APIKey {key}"}
    if mode == "get":
        count = await get(url, headers, int(rest[0]), rest[1:])
    else:
        async with httpx.AsyncClient(base_url=url, headers=headers) as client:
            count = await bulk(client, rest[0], rest[1:])
    print(f"{count} functions")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
