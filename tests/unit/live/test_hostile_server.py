"""A hostile or careless server cannot exhaust memory or time, nor make the client leak the key."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import logging
import tracemalloc
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from faasdrift.cli.console import Console
from faasdrift.errors import AuthenticationError
from faasdrift.live.client import GcoreClient
from faasdrift.live.retry import RetryPolicy
from faasdrift.live.transport import clear_text_proxy
from faasdrift.model import Failure, FunctionId, LiveStatus
from faasdrift.secrets import Secrets
from tests.unit.live.test_client_list import BASE, FN, KEY, Server, listing, respond, run

SECRET_PART = KEY.partition("$")[2]
MB = 1024 * 1024


def fragments(text: str, size: int = 5) -> Iterator[str]:
    """Every piece of the key's secret part ``size`` characters long: none may be printed."""
    return (SECRET_PART[i : i + size] for i in range(len(SECRET_PART) - size + 1))


def assert_no_piece_of_the_key(text: str) -> None:
    leaked = [piece for piece in fragments(text) if piece in text]
    assert leaked == [], text


def bomb_server() -> Server:
    """Every answer 96 MB of zeros in a few KB, sent as ``gzip, gzip``."""
    bomb = gzip.compress(gzip.compress(bytes(96 * MB), 9), 9)

    async def stream() -> AsyncIterator[bytes]:
        yield bomb

    headers = {"Content-Encoding": "gzip, gzip"}
    return Server(lambda request: httpx.Response(200, content=stream(), headers=headers))


def trickle_server() -> Server:
    """Every answer one byte each 0.1 s, 100 s in all: each byte well within a read timeout."""

    async def trickle() -> AsyncIterator[bytes]:
        for _ in range(1000):
            await asyncio.sleep(0.1)
            yield b" "

    return Server(lambda request: httpx.Response(200, content=trickle()))


def test_a_decompression_bomb_is_refused_at_the_cap_without_being_inflated() -> None:
    server = bomb_server()
    tracemalloc.start()
    try:
        result, _ = run(server, lambda c: c.fetch_function(FN, ["timeout"]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status is LiveStatus.ERROR
    assert result.reason == "invalid response: body larger than 20 MB, refused"
    assert len(server.requests) == 1
    # Decoded piece by piece and counted as it goes: the 20 MB kept, never the 96 MB.
    assert peak < 30 * MB


def test_a_server_trickling_bytes_meets_the_deadline_of_the_whole_answer() -> None:
    server = trickle_server()
    options = {"connect_timeout": 0.2, "read_timeout": 0.3, "retry": RetryPolicy(max_retries=0)}
    result, _ = run(server, lambda c: c.fetch_function(FN, ["timeout"]), **options)
    assert result.status is LiveStatus.ERROR
    assert result.reason == "timed out after 0.5 s (the whole answer)"


def test_a_list_that_claims_a_million_functions_is_given_up_after_one_page() -> None:
    padding = "x" * (2 * 1024 * 1024)

    def page(request: httpx.Request) -> httpx.Response:
        names = [f"f{int(request.url.params['offset']) + n}" for n in range(1000)]
        body = {"count": 1_000_000, "results": [{"name": name} for name in names]}
        return httpx.Response(200, json={**body, "padding": padding})

    server = Server(page)
    result = listing(server)
    assert isinstance(result, Failure)
    assert result.fall_back  # each declared function is then fetched by GET
    assert result.reason.startswith(
        "its list would bring about 2,015 MB (999,000 more functions at 2 MB a page)"
    )
    assert len(server.requests) == 1


def test_a_rejected_key_echoed_on_the_list_path_is_redacted_before_it_is_cut() -> None:
    message = "Bad permanent token: " + "." * 170 + KEY + " (try again)"
    server = Server(respond(401, {"message": message, "request_id": f"req-{KEY}"}))
    with pytest.raises(AuthenticationError) as caught:
        listing(server)
    assert_no_piece_of_the_key(str(caught.value))
    assert "(request id req-***)" in str(caught.value)


def test_a_throttled_list_whose_request_id_holds_the_key_shows_none_of_it() -> None:
    body = {"message": "." * 150, "request_id": f"req-{KEY}"}
    server = Server(respond(429, body))
    result = listing(server)
    assert isinstance(result, Failure)
    assert_no_piece_of_the_key(result.reason)


def test_a_transport_error_quoting_the_key_is_redacted_before_it_is_cut() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("." * 180 + KEY, request=request)

    result, _ = run(Server(refuse), lambda c: c.fetch_function(FN, ["timeout"]))
    assert result.reason is not None
    assert_no_piece_of_the_key(result.reason)


def test_the_request_log_is_redacted_before_the_name_is_percent_encoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "db,pass&word"  # percent-encoded: db%2Cpass%26word, which no text redaction finds
    secrets = Secrets()
    secrets.add_value(secret)
    stderr = io.StringIO()
    console = Console(stdout=io.StringIO(), stderr=stderr, secrets=secrets)
    logger = logging.getLogger("faasdrift")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "propagate", True)
    monkeypatch.setattr(logger, "level", logger.level)
    console.log_requests()
    client = GcoreClient(
        base_url=BASE,
        api_key=KEY,
        transport=httpx.MockTransport(lambda request: httpx.Response(404, json={})),
        secrets=secrets,
    )

    async def go() -> None:
        async with client:
            await client.fetch_function(FunctionId(1, 76, "prod", secret), ["timeout"])

    asyncio.run(go())
    logged = stderr.getvalue()
    assert f"GET {BASE}/cloud/v1/faas/namespaces/1/76/prod/functions/%2A%2A%2A -> 404 " in logged
    assert "db%2C" not in logged
    assert "db," not in logged


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, {"trust_env": False}),
        ({"HTTP_PROXY": "http://proxy.corp.example:3128"}, {"trust_env": False}),
        ({"ALL_PROXY": "socks5://10.0.0.1:1080"}, {"trust_env": False}),
        (
            {"HTTP_PROXY": "http://127.0.0.1:3128"},
            {"trust_env": False, "proxy": "http://127.0.0.1:3128"},
        ),
        ({"HTTP_PROXY": "http://127.0.0.1:3128", "NO_PROXY": "localhost"}, {"trust_env": False}),
    ],
)
def test_plain_http_goes_through_a_proxy_only_on_this_machine(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], expected: dict[str, object]
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert clear_text_proxy(httpx.URL("http://localhost:8080")) == expected
    assert clear_text_proxy(httpx.URL("https://api.gcore.com")) == {}  # the key inside TLS


def test_a_password_in_the_base_url_is_never_shown() -> None:
    with pytest.raises(Exception, match="refusing to send") as caught:
        GcoreClient(base_url="http://admin:hunter2@gcore.example/", api_key=KEY)
    assert "hunter2" not in str(caught.value)
    assert "(http://gcore.example/)" in str(caught.value)


def test_json_of_the_answers_is_still_read_in_full() -> None:
    server = Server(respond(200, {"name": "hello", "timeout": 5, "code_text": "a, b" * 100_000}))
    result, _ = run(server, lambda c: c.fetch_function(FN, ["timeout"]))
    assert result.status is LiveStatus.FOUND
    assert json.dumps(result.data)
