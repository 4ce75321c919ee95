"""GcoreClient's lists, retries and body cap against httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest

from faasdrift.errors import AuthenticationError
from faasdrift.live import client as client_module
from faasdrift.live import paging as paging_module
from faasdrift.live.client import GcoreClient
from faasdrift.live.retry import RetryPolicy
from faasdrift.model import Failure, FunctionId, FunctionList, LiveStatus

KEY = "12345$s3cr3tK3yV4lue"
BASE = "https://api.example.test"
FN = FunctionId(project_id=1, region_id=76, namespace="prod", name="hello")
LIVE = {"name": "hello", "timeout": 5}
T = TypeVar("T")

Handler = Callable[[httpx.Request], httpx.Response]


class Server:
    """Answers from a list of handlers in turn (the last one repeats) and keeps the requests."""

    def __init__(self, *handlers: Handler) -> None:
        self.handlers = handlers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handlers[min(len(self.requests), len(self.handlers)) - 1](request)


def respond(status: int, body: Any = None, **kwargs: Any) -> Handler:
    if body is not None:
        kwargs["json"] = body
    return lambda request: httpx.Response(status, **kwargs)


def run(
    server: Server, use: Callable[[GcoreClient], Awaitable[T]], **options: Any
) -> tuple[T, GcoreClient]:
    options.setdefault("retry", RetryPolicy(max_retries=2, max_wait=0))
    client = GcoreClient(
        base_url=BASE, api_key=KEY, transport=httpx.MockTransport(server), **options
    )

    async def go() -> T:
        async with client:
            return await use(client)

    return asyncio.run(go()), client


def listing(server: Server, **options: Any) -> FunctionList | Failure:
    result, _ = run(server, lambda c: c.list_functions(1, 76, "prod ns"), **options)
    return result


def paged(size: int, names: list[str], *, count_extra: int = 0) -> Handler:
    """A list endpoint holding ``names`` that pages ``size`` at a time, whatever limit asks."""

    def handler(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        items = [{**LIVE, "name": name} for name in names[offset : offset + size]]
        return httpx.Response(200, json={"count": len(names) + count_extra, "results": items})

    return handler


# --- lists ------------------------------------------------------------------------------------


def test_a_list_asks_for_the_biggest_page_by_name_and_follows_offset_to_count() -> None:
    server = Server(paged(2, ["a", "b", "c", "d", "e"]))

    result = listing(server)

    assert isinstance(result, FunctionList)
    assert list(result.items) == ["a", "b", "c", "d", "e"]
    assert result.items["c"] == {**LIVE, "name": "c"}
    assert result.complete
    assert [request.method for request in server.requests] == ["GET"] * 3
    assert [str(request.url) for request in server.requests] == [
        f"{BASE}/cloud/v1/faas/namespaces/1/76/prod%20ns/functions"
        f"?limit=1000&offset={offset}&order_by=name.asc"  # a stable order, not created_at.desc
        for offset in (0, 2, 4)
    ]
    assert all(request.headers["Authorization"] == f"APIKey {KEY}" for request in server.requests)


def test_a_list_whose_count_is_never_delivered_is_incomplete() -> None:
    server = Server(paged(1000, ["a", "b"], count_extra=3))

    result = listing(server)

    assert isinstance(result, FunctionList)
    assert not result.complete
    assert len(server.requests) == 2  # the second page came back empty: no more to ask


def test_paging_stops_at_the_page_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging_module, "MAX_PAGES", 3)
    server = Server(paged(1, [f"f{n}" for n in range(10)]))

    result = listing(server)

    assert isinstance(result, FunctionList)
    assert not result.complete
    assert len(server.requests) == 3


def test_a_list_answered_with_an_error_is_retried_then_falls_back() -> None:
    server = Server(respond(503, {"message": "busy", "request_id": "r-1"}))

    result = listing(server)

    assert result == Failure("HTTP 503 after 2 retries: busy (request id r-1)", fall_back=True)
    assert len(server.requests) == 3


def test_a_retried_list_page_continues_where_it_was() -> None:
    pages = paged(2, ["a", "b", "c"])
    server = Server(pages, respond(502), pages)

    result = listing(server)

    assert isinstance(result, FunctionList)
    assert result.complete
    assert [request.url.params["offset"] for request in server.requests] == ["0", "2", "2"]


def test_a_lasting_429_on_a_list_does_not_fall_back() -> None:
    result = listing(Server(respond(429)))
    assert result == Failure("HTTP 429 after 2 retries: Too Many Requests", fall_back=False)


def test_a_list_that_gets_no_answer_does_not_fall_back() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    server = Server(refuse)
    result = listing(server)

    assert result == Failure(
        "cannot connect to api.example.test: Connection refused; gave up after 2 retries"
    )
    assert len(server.requests) == 3


def test_a_refused_key_on_a_list_stops_everything() -> None:
    server = Server(respond(401, {"message": "Bad permanent token: 12345"}))
    with pytest.raises(AuthenticationError):
        listing(server)
    assert len(server.requests) == 1


# --- retries of a GET -------------------------------------------------------------------------


def test_a_get_is_retried_and_the_client_counts_retries() -> None:
    server = Server(respond(503), respond(429), respond(200, LIVE))

    result, client = run(server, lambda c: c.fetch_function(FN, ["timeout"]))

    assert result.status is LiveStatus.FOUND
    assert client.retries == 2
    assert {request.method for request in server.requests} == {"GET"}


def test_a_get_that_stays_broken_says_so_with_the_retries() -> None:
    server = Server(respond(500, {"message": "boom", "request_id": "r-9"}))

    result, client = run(server, lambda c: c.fetch_function(FN, ["timeout"]))

    assert result.status is LiveStatus.ERROR
    assert result.reason == "HTTP 500 after 2 retries: boom (request id r-9)"
    assert client.retries == 2
    assert len(server.requests) == 3


def test_a_timeout_is_retried_and_reported_with_the_retries() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    server = Server(hang)
    result, _ = run(server, lambda c: c.fetch_function(FN, ["timeout"]), read_timeout=4)

    assert result.reason == "timed out after 4 s (read); gave up after 2 retries"
    assert len(server.requests) == 3


def test_an_undecodable_body_is_not_retried() -> None:
    headers = {"Content-Encoding": "gzip"}
    server = Server(respond(200, content=b"this is not gzip", headers=headers))

    result, _ = run(server, lambda c: c.fetch_function(FN, ["timeout"]))

    assert result.status is LiveStatus.ERROR
    assert result.reason is not None
    assert result.reason.startswith("invalid response: cannot decode the body: ")
    assert len(server.requests) == 1


# --- body cap ---------------------------------------------------------------------------------


def test_the_default_cap_is_20_megabytes() -> None:
    assert client_module.MAX_BODY_BYTES == 20 * 1024 * 1024


def test_a_body_announced_too_large_is_refused_unread() -> None:
    body = json.dumps({**LIVE, "padding": "x" * 300}).encode()
    server = Server(respond(200, content=body))

    result, _ = run(server, lambda c: c.fetch_function(FN, ["timeout"]), max_body_bytes=256)

    assert result.status is LiveStatus.ERROR
    assert result.reason == "invalid response: body larger than 256 bytes, refused"
    assert len(server.requests) == 1  # refusing is final: the next answer would be as big


def test_a_streamed_body_is_refused_once_it_passes_the_cap() -> None:
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(1000):
            sent.append(1)
            yield b"x" * 100

    server = Server(lambda request: httpx.Response(200, content=chunks()))

    result, _ = run(server, lambda c: c.fetch_function(FN, ["timeout"]), max_body_bytes=1000)

    assert result.reason is not None
    assert result.reason.startswith("invalid response: body larger than")
    assert len(sent) <= 12  # reading stopped right after the cap, not at the end of the body


def test_a_list_page_too_large_falls_back_to_gets() -> None:
    server = Server(paged(1000, [f"function-{n}" for n in range(50)]))

    result = listing(server, max_body_bytes=1000)

    assert isinstance(result, Failure)
    assert result.fall_back
    assert result.reason == (
        "a page of its list is larger than 1,000 bytes, the limit; each function is fetched on "
        "its own"
    )


def test_using_the_client_outside_async_with_is_a_bug() -> None:
    client = GcoreClient(base_url=BASE, api_key=KEY)
    with pytest.raises(RuntimeError, match="async with"):
        asyncio.run(client.fetch_function(FN, ["timeout"]))
