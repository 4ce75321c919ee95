"""Read functions from the Gcore FaaS API. The only module that speaks HTTP (and imports httpx).

Every request is a GET sent through ``GcoreClient._send``: faasdrift checks, it never changes
anything. Bodies are streamed, decoded and counted as they arrive, and refused past
``max_body_bytes`` or when their JSON holds too many values (``body``); each request has a
deadline for the whole answer, however slowly it trickles in; a namespace's list may bring at
most ``MAX_LIST_BYTES`` in all (``paging``). Failed GETs are retried as ``retry.RetryPolicy``
says. httpx types and exceptions stop here: callers get a ``LiveResult`` per function, a
``FunctionList`` or a ``Failure`` per namespace, or an ``AuthenticationError`` when the key is
refused. What an answer means is decided in ``answers`` and ``listing``, paths in ``endpoints``.

Used as ``async with GcoreClient(...)``: requests share kept-alive connections, Ctrl-C cancels.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from faasdrift import __version__
from faasdrift.live.answers import (
    Answer,
    error_result,
    function_result,
    namespace_found,
    retries_text,
)
from faasdrift.live.body import MAX_BODY_BYTES, BodyError, read_bounded
from faasdrift.live.concurrency import DEFAULT_CONCURRENCY
from faasdrift.live.credentials import checked_header_key
from faasdrift.live.endpoints import ApiPath, function_api_path, namespace_api_path
from faasdrift.live.paging import read_list
from faasdrift.live.retry import REQUEST_LOG, Retrier, RetryPolicy, TransportFailure
from faasdrift.live.transport import (
    checked_base_url,
    clear_text_proxy,
    describe_request_error,
    tls_context,
)
from faasdrift.model import Failure, FunctionId, FunctionList, LiveResult
from faasdrift.secrets import Secrets

USER_AGENT = f"faasdrift/{__version__}"


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
        concurrency: int = DEFAULT_CONCURRENCY,
        retry: RetryPolicy | Retrier | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
        ca_bundle: Path | None = None,
        secrets: Secrets | None = None,
    ) -> None:
        key = checked_header_key(api_key)
        # The run's registry when given (it also knows every ${VAR} value), so server text is
        # redacted of all of it before it is shortened.
        self._secrets = secrets if secrets is not None else Secrets()
        self._secrets.add_api_key(key)
        self._url = url = checked_base_url(base_url, self._secrets)
        self._host = url.host if url.port is None else f"{url.host}:{url.port}"
        self._shown_base = str(url.copy_with(userinfo=b"")).rstrip("/")
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        # A server sending one byte a second never trips the read timeout, which is per read.
        self._deadline = connect_timeout + read_timeout
        self._retrier = retry if isinstance(retry, Retrier) else Retrier(retry or RetryPolicy())
        self._max_body = max_body_bytes
        self._options: dict[str, Any] = {
            "base_url": self._url,
            "headers": {
                "Authorization": f"APIKey {key}",
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",  # what ``body.BoundedDecoder`` undoes
                "User-Agent": USER_AGENT,
            },
            "timeout": self._timeout,
            "limits": httpx.Limits(max_connections=1, max_keepalive_connections=1),
            "transport": transport,
            "follow_redirects": False,  # a redirect must never carry the key to another host
            **clear_text_proxy(url),  # the key in clear text never goes through a remote proxy
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
        context = tls_context(self._ca_bundle, plain_http=self._url.scheme == "http")  # shared
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
        answer = await self._get(function_api_path(identity))
        if isinstance(answer, Failure):
            return error_result(identity, answer.reason)
        return function_result(identity, answer, fields, secrets=self._secrets)

    async def list_functions(
        self, project_id: int, region_id: int, namespace: str
    ) -> FunctionList | Failure:
        """Every function of a namespace, page by page until the list's ``count`` (``paging``)."""
        key = (project_id, region_id, namespace)
        return await read_list(self._get, key, secrets=self._secrets, body_cap=self._max_body)

    async def namespace_exists(
        self, project_id: int, region_id: int, namespace: str
    ) -> bool | None:
        """Whether the namespace exists; None when the API's answer does not say."""
        answer = await self._get(namespace_api_path(project_id, region_id, namespace))
        if isinstance(answer, Failure):
            return None
        return namespace_found(answer, namespace, secrets=self._secrets)

    async def _get(
        self, path: ApiPath, limit: int | None = None, too_large: str | None = None
    ) -> Answer | Failure:
        """The final answer to a GET after retries, or why there is none."""
        try:
            return await self._retrier.call(lambda: self._send(path, limit, too_large))
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

    async def _send(self, path: ApiPath, limit: int | None, too_large: str | None) -> Answer:
        # The one place a request is sent, and it can only be a GET. The deadline starts once a
        # lane is free: waiting for one is not the server's fault.
        started = time.perf_counter()
        async with self._lane() as http:
            exchange = self._exchange(http, path, limit or self._max_body, too_large, started)
            try:
                return await asyncio.wait_for(exchange, self._deadline)
            except asyncio.TimeoutError:
                reason = f"timed out after {self._deadline:g} s (the whole answer)"
                self._log(path, reason, started)
                raise TransportFailure(reason) from None

    async def _exchange(
        self,
        http: httpx.AsyncClient,
        path: ApiPath,
        limit: int,
        too_large: str | None,
        started: float,
    ) -> Answer:
        try:
            async with http.stream("GET", path.path, params=path.query) as response:
                content = await self._read_body(response, limit, too_large)
        except httpx.TransportError as exc:  # connection failures and timeouts may pass
            raise TransportFailure(self._logged_failure(path, exc, started)) from exc
        except httpx.HTTPError as exc:  # a body that cannot be decoded will not
            raise UnusableBodyError(self._logged_failure(path, exc, started)) from exc
        except UnusableBodyError as error:
            self._log(path, str(error), started)
            raise
        self._log(path, f"{response.status_code} {len(content)} bytes", started)
        headers = {name.lower(): value for name, value in response.headers.items()}
        return Answer(status=response.status_code, headers=headers, content=content)

    def _logged_failure(self, path: ApiPath, exc: httpx.HTTPError, started: float) -> str:
        reason = describe_request_error(
            exc, host=self._host, timeout=self._timeout, secrets=self._secrets
        )
        self._log(path, reason, started)
        return reason

    def _log(self, path: ApiPath, outcome: str, started: float) -> None:
        # Method, URL, outcome and time only: never a header (the key), never a body. The path
        # goes in as data, so the console redacts its segments before they are encoded.
        if REQUEST_LOG.isEnabledFor(logging.DEBUG):
            elapsed = (time.perf_counter() - started) * 1000
            REQUEST_LOG.debug(
                "GET %s/%s -> %s in %.0f ms", self._shown_base, path, outcome, elapsed
            )

    async def _read_body(
        self, response: httpx.Response, limit: int, too_large: str | None
    ) -> bytes:
        headers: dict[str, str] = dict(response.headers)
        chunks = response.aiter_raw()
        if response.is_stream_consumed:  # a body built in memory (a mock): httpx decoded it
            headers.pop("content-encoding", None)
            chunks = _once(response.content)
        try:
            return await read_bounded(
                chunks,
                headers=headers,
                status=response.status_code,
                limit=limit,
                too_large=too_large,
            )
        except BodyError as error:
            raise UnusableBodyError(str(error)) from None


async def _once(content: bytes) -> AsyncIterator[bytes]:
    yield content
