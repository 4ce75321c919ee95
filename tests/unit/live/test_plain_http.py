"""Plain HTTP stays on loopback, and the request log shows no credentials."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from faasdrift.errors import UsageError
from faasdrift.live.client import GcoreClient
from tests.unit.report.cases import identity


@pytest.mark.parametrize("url", ["http://api.gcore.com", "http://192.0.2.1:8000/x"])
def test_plain_http_beyond_loopback_is_refused_before_any_request(url: str) -> None:
    with pytest.raises(UsageError, match="refusing to send the API key over plain HTTP"):
        GcoreClient(base_url=url, api_key="1$secret-key")


def test_plain_http_on_loopback_and_https_anywhere_are_fine() -> None:
    for url in ("http://127.0.0.1:8080", "http://[::1]:8080", "https://api.gcore.com"):
        GcoreClient(base_url=url, api_key="1$secret-key")


def test_the_request_log_names_no_header(caplog: pytest.LogCaptureFixture) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"message": "no"})

    client = GcoreClient(
        base_url="https://user:pass@api.gcore.com",
        api_key="1$secret-key-value",
        transport=httpx.MockTransport(answer),
    )

    async def go() -> None:
        async with client:
            await client.fetch_function(identity("hello"), ["timeout"])

    with caplog.at_level(logging.DEBUG, logger="faasdrift"):
        asyncio.run(go())
    [record] = caplog.records
    message = record.getMessage()
    assert message.startswith(
        "GET https://api.gcore.com/cloud/v1/faas/namespaces/1/1/prod-api/functions/hello -> 404 "
    )
    assert "secret-key-value" not in message
    assert "pass" not in message
