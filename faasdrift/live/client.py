"""Read functions from the Gcore FaaS API. The only module that speaks HTTP (and imports httpx).

Every request is a GET sent through ``GcoreClient._send``: faasdrift checks, it never changes
anything. Bodies are streamed and refused past ``max_body_bytes``; failed GETs are retried as
``retry.RetryPolicy`` says. httpx types and exceptions stop here: callers get a ``LiveResult``
per function, a ``FunctionList`` or a ``Failure`` per namespace, or an ``AuthenticationError``
when the key is refused (then nothing can be checked). What an answer means is decided in
``answers`` and ``listing``, where things are in ``endpoints``.

Asynchronous, so many requests share kept-alive connections and Ctrl-C cancels those in flight:
use it as ``async with GcoreClient(...) as client``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from faasdrift import __version__
from faasdrift.errors import MissingApiKeyError, UsageError
from faasdrift.live.answers import (
    Answer,
    error_result,
    function_result,
    namespace_found,
    retries_text,
)
from faasdrift.live.base_url import checked_base_url, invalid_base_url
from faasdrift.live.endpoints import (
    MAX_PAGES,
    function_path,
    functions_path,
    list_query,
    namespace_path,
)
from faasdrift.live.listing import ListCollector
from faasdrift.live.retry import REQUEST_LOG, Retrier, RetryPolicy, TransportFailure
from faasdrift.live.transport import describe_request_error, tls_context
from faasdrift.model import Failure, FunctionId, FunctionList, LiveResult
from faasdrift.secrets import api_key_fragments, redact

USER_AGENT = f"faasdrift/{__version__}"
MAX_BODY_BYTES = 20 * 1024 * 1024  # a function is at most ~200 KB; a full list page ~100 MB

# Visible ASCII only: anything else cannot go in a header, and h11's error would echo the value.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")


class UnusableBodyError(Exception):
    """An answer whose body cannot be used (too large, undecodable); asking again won't help."""


class GcoreClient:
    """A read-only Gcore FaaS client over one pool of at most ``concurrency`` connections."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        concurrency: int = 8,
        retry: RetryPolicy | Retrier | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
        ca_bundle: Path | None = None,
    ) -> None:
        key = _checked_api_key(api_key)
        self._secrets = api_key_fragments(key)
        self._url = url = _checked_base_url(base_url, self._secrets)
        self._host = url.host if url.port is None else f"{url.host}:{url.port}"
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._retrier = retry if isinstance(retry, Retrier) else Retrier(retry or RetryPolicy())
        self._max_body = max_body_bytes
        self._options: dict[str, Any] = {
            "base_url": self._url,
            "headers": {
                "Authorization": f"APIKey {key}",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            "timeout": self._timeout,
            "limits": httpx.Limits(max_connections=1, max_keepalive_connections=1),
            "transport": transport,
            "follow_redirects": False,  # a redirect must never carry the key to another host
        }
        self._concurrency = concurrency
        self._ca_bundle = ca_bundle
        self._lanes: list[httpx.AsyncClient] = []
        self._free: asyncio.Queue[httpx.AsyncClient] | None = None

    def __repr__(self) -> str:
        return f"GcoreClient(base_url={str(self._url)!r}, api_key=<hidden>)"

    async def __aenter__(self) -> GcoreClient:
        # Here, not in __init__: an async client belongs to the loop that uses it. ``concurrency``
        # lanes of one connection each, as httpcore 1.0's shared pool costs O(connections²) per
        # request (encode/httpcore#1035): more CPU than the requests at 32 (bench/RESULTS.md).
        context = tls_context(self._ca_bundle)  # shared: building one takes ~20 ms
        self._lanes = [
            httpx.AsyncClient(**self._options, verify=context) for _ in range(self._concurrency)
        ]
        self._free = asyncio.Queue()
        for lane in self._lanes:
            self._free.put_nowait(lane)
        return self

    async def __aexit__(self, *_: object) -> None:
        lanes, self._lanes, self._free = self._lanes, [], None
        for lane in lanes:
            await lane.aclose()

    @property
    def retries(self) -> int:
        """How many retries this client has made so far, over all requests."""
        return self._retrier.retries

    async def fetch_function(self, identity: FunctionId, fields: Collection[str]) -> LiveResult:
        """The live state of one function, validated for the ``fields`` that will be compared."""
        answer = await self._get(function_path(identity))
        if isinstance(answer, Failure):
            return error_result(identity, answer.reason)
        return function_result(identity, answer, fields, secrets=self._secrets)

    async def list_functions(
        self, project_id: int, region_id: int, namespace: str
    ) -> FunctionList | Failure:
        """Every function of a namespace, page by page until the list's ``count``."""
        path = functions_path(project_id, region_id, namespace)
        collector = ListCollector((project_id, region_id, namespace), secrets=self._secrets)
        for _ in range(MAX_PAGES):
            listing = collector.take(await self._get(path, list_query(collector.offset)))
            if listing is not None:
                return listing
        return collector.result(cut_short=True)

    async def namespace_exists(
        self, project_id: int, region_id: int, namespace: str
    ) -> bool | None:
        """Whether the namespace exists; None when the API's answer does not say."""
        answer = await self._get(namespace_path(project_id, region_id, namespace))
        if isinstance(answer, Failure):
            return None
        return namespace_found(answer, namespace, secrets=self._secrets)

    async def _get(
        self, path: str, params: Mapping[str, int | str] | None = None
    ) -> Answer | Failure:
        """The final answer to a GET after retries, or why there is none."""
        try:
            return await self._retrier.call(lambda: self._send(path, params))
        except TransportFailure as failure:
            after = f"; gave up after {retries_text(failure.retries)}" if failure.retries else ""
            return Failure(failure.reason + after)
        except UnusableBodyError as error:
            return Failure(str(error), fall_back=True)

    @asynccontextmanager
    async def _lane(self) -> AsyncIterator[httpx.AsyncClient]:
        """A free lane, held until the answer is read in full (or refused)."""
        if self._free is None:
            raise RuntimeError("use GcoreClient as 'async with GcoreClient(...) as client'")
        lane = await self._free.get()
        try:
            yield lane
        finally:
            self._free.put_nowait(lane)

    async def _send(self, path: str, params: Mapping[str, int | str] | None) -> Answer:
        # The one place a request is sent, and it can only be a GET.
        started = time.perf_counter()
        try:
            async with self._lane() as http, http.stream("GET", path, params=params) as response:
                content = await self._read_capped(response)
        except httpx.TransportError as exc:  # connection failures and timeouts may pass
            raise TransportFailure(self._logged_failure(exc, started)) from exc
        except httpx.HTTPError as exc:  # a body that cannot be decoded will not
            raise UnusableBodyError(self._logged_failure(exc, started)) from exc
        except UnusableBodyError as error:
            self._log(response.request.url, str(error), started)
            raise
        self._log(response.request.url, f"{response.status_code} {len(content)} bytes", started)
        headers = {name.lower(): value for name, value in response.headers.items()}
        return Answer(status=response.status_code, headers=headers, content=content)

    def _logged_failure(self, exc: httpx.HTTPError, started: float) -> str:
        reason = self._reason(exc)
        self._log(_request_url(exc), reason, started)
        return reason

    def _log(self, url: httpx.URL | None, outcome: str, started: float) -> None:
        # Method, URL, outcome and time only: never a header (the key), never a body.
        if REQUEST_LOG.isEnabledFor(logging.DEBUG):
            shown = str(url.copy_with(userinfo=b"")) if url is not None else str(self._url)
            elapsed = (time.perf_counter() - started) * 1000
            REQUEST_LOG.debug("GET %s -> %s in %.0f ms", shown, outcome, elapsed)

    def _reason(self, exc: httpx.HTTPError) -> str:
        reason = describe_request_error(exc, host=self._host, timeout=self._timeout)
        return redact(reason, self._secrets)

    async def _read_capped(self, response: httpx.Response) -> bytes:
        """The body, refused as soon as it is known to exceed the cap (decoded size counts)."""
        megabytes, rest = divmod(self._max_body, 1024 * 1024)
        cap = f"{megabytes} MB" if not rest else f"{self._max_body} bytes"
        too_large = UnusableBodyError(f"invalid response: body larger than {cap}, refused")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_body:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_body:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)


def _request_url(exc: httpx.HTTPError) -> httpx.URL | None:
    try:
        return exc.request.url
    except RuntimeError:  # raised without a request attached
        return None


def _checked_api_key(api_key: str) -> str:
    key = api_key.strip()  # a key read from a file usually ends with a newline
    if not key:
        raise MissingApiKeyError("the Gcore API key is empty")
    if _HEADER_SAFE.fullmatch(key) is None:
        raise UsageError("the Gcore API key contains spaces or characters not allowed in a header")
    return key


def _checked_base_url(base_url: str, secrets: Collection[str]) -> httpx.URL:
    try:
        return httpx.URL(checked_base_url(base_url, secrets))  # the rules, in ``base_url``
    except httpx.InvalidURL:  # a host urllib accepts and httpx does not
        raise invalid_base_url(base_url, secrets) from None
