"""The emulator's request handler: one instance per connection, one call per request.

Transport concerns live here (keep-alive, headers, request ids, faults, the request log); what to
answer lives in ``api``. HTTP/1.1 with Content-Length on every answer, so a pooled client reuses
its connections as it would with Gcore. Request bodies are never read.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from typing import Any

from faasdrift.emulator.api import (
    ApiError,
    Route,
    RouteKind,
    answer,
    check_auth,
    error_for_status,
    parse_query,
    parse_route,
)
from faasdrift.emulator.contradictions import (
    ROUTE_404_PAGE,
    contradicted,
    error_body,
    forbidden,
    is_route_error,
)
from faasdrift.emulator.faults import HTML_PAGE, BodyFault, Faults, padded, truncated
from faasdrift.emulator.hostile import HostileAnswers
from faasdrift.emulator.http_server import EmulatorHTTPServer
from faasdrift.emulator.recording import RecordedRequest

JSON = "application/json"
# Idle keep-alive connections are dropped after this, so a long-running emulator holds no
# thread per abandoned client forever.
IDLE_TIMEOUT = 120.0


class EmulatorHandler(HostileAnswers, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faasdrift-emulator"
    timeout = IDLE_TIMEOUT
    # Headers and body go out in two writes; with Nagle on, the second waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    server: EmulatorHTTPServer

    def do_GET(self) -> None:
        self._handle(allowed=True)

    def _refuse(self) -> None:
        self._handle(allowed=False)

    # Read-only emulator: every other method is answered 405 without reading its body.
    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_TRACE = _refuse

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors http.server raises itself (bad request line, unknown method) in Gcore's shape."""
        self.close_connection = True
        # An unparsable request line leaves the version at HTTP/0.9, which means "no headers";
        # nobody speaks 0.9, and a client can only read our error with a status line.
        self.request_version = self.protocol_version
        if code == 501 and self.command:  # "unsupported method": to us, just not GET
            self._handle(allowed=False)
            return
        self._send_error(ApiError(code, message or "Bad request."), str(uuid.uuid4()))

    def version_string(self) -> str:
        return self.server_version  # the Python version is nobody's business

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.app.verbose:
            super().log_message(format, *args)

    def _handle(self, *, allowed: bool) -> None:
        request_id = str(uuid.uuid4())
        try:
            self._respond(request_id, allowed=allowed)
        except ApiError as error:
            self._send_error(error, request_id)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client left, e.g. it gave up on a hang fault
        except Exception:  # a bug in the emulator: answer 500 and show it, never kill the thread
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            self._send_error(ApiError(500, "Emulator internal error."), request_id)

    def _respond(self, request_id: str, *, allowed: bool) -> None:
        app = self.server.app
        raw_path, _, raw_query = self.path.partition("?")
        number = app.log.append(
            RecordedRequest(self.command, raw_path, raw_query, "Authorization" in self.headers)
        )
        if not allowed or self._has_body():
            self.close_connection = True  # the unread body would corrupt the next request
        faults = app.faults
        if faults.latency:
            app.stopping.wait(faults.latency)
        if number <= faults.rate_limit_first:
            raise _rate_limited(faults)
        if not allowed:
            raise ApiError(405, f'Method "{self.command}" not allowed.', headers={"Allow": "GET"})
        if self._has_body():  # refused unread: nothing a client sends can reach the state
            raise ApiError(400, "A GET request must not carry a body.")
        check_auth(self.headers.get("Authorization"), app.api_key)
        route = parse_route(raw_path)
        refused = forbidden(faults, route)
        if refused is not None:
            raise refused
        if route.kind is RouteKind.FUNCTION and self._function_fault(route, request_id):
            return
        if route.kind is RouteKind.FUNCTIONS and self._list_fault(route, raw_query, request_id):
            return
        body = answer(app.state, route, parse_query(raw_query), app.list_options)
        body = contradicted(faults, route, body) or body
        self._send(200, self._padded_list(route, body), request_id)

    def _function_fault(self, route: Route, request_id: str) -> bool:
        """Apply the fault set for this function, if any; True when that fault answered."""
        faults = self.server.app.faults
        status = faults.error_status(route.namespace, route.function)
        if status is not None:
            raise error_for_status(status)
        if self._exact_body(route, request_id):
            return True
        fault = faults.body_fault(route.namespace, route.function)
        return self._body_fault(fault, lambda: self._body_or_stub(route), request_id)

    def _list_fault(self, route: Route, raw_query: str, request_id: str) -> bool:
        """Apply the fault set for this namespace's function list, if any; True when it answered."""
        app = self.server.app
        status = app.faults.list_errors.get(route.namespace)
        if status is not None:
            raise error_for_status(status)
        fault = app.faults.list_faults.get(route.namespace)
        query = parse_query(raw_query)
        return self._body_fault(
            fault, lambda: answer(app.state, route, query, app.list_options), request_id
        )

    def _body_fault(
        self, fault: BodyFault | None, body: Callable[[], bytes], request_id: str
    ) -> bool:
        """Send ``body()`` broken as ``fault`` says; False when the normal answer should follow."""
        if fault is None or fault is BodyFault.HANG:
            if fault is BodyFault.HANG:  # then answer normally, as a slow server would
                self.server.app.stopping.wait(self.server.app.faults.hang_seconds)
            return False
        if fault is BodyFault.HTML:
            self._send(200, HTML_PAGE, request_id, content_type="text/html; charset=utf-8")
        elif fault is BodyFault.RESET:
            self._reset_midway(body(), request_id)
        elif fault is BodyFault.MALFORMED:
            self._send(200, truncated(body()), request_id)
        elif fault is BodyFault.BOMB:
            self._send_bomb(request_id)
        elif fault is BodyFault.TRICKLE:
            self._trickle(body(), request_id)
        else:
            self._send(200, padded(body(), self.server.app.faults.huge_bytes), request_id)
        return True

    def _body_or_stub(self, route: Route) -> bytes:
        # A fault may name a function the state lacks; break a minimal object then.
        try:
            return answer(self.server.app.state, route, {}, self.server.app.list_options)
        except ApiError:
            return json.dumps({"name": route.function}).encode()

    def _reset_midway(self, body: bytes, request_id: str) -> None:
        self._send_head(200, len(body), request_id, JSON, {})
        self.wfile.write(body[: len(body) // 2])
        # Linger 0 turns close() into a TCP RST: the client sees the connection reset mid-body.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _has_body(self) -> bool:
        length = self.headers.get("Content-Length", "0").strip()
        return length not in ("", "0") or "Transfer-Encoding" in self.headers

    def _send_error(self, error: ApiError, request_id: str) -> None:
        if is_route_error(error) and self.server.app.faults.route_404_html:
            self._send(404, ROUTE_404_PAGE, request_id, content_type="text/html; charset=utf-8")
            return
        message, request_id = self._echoed(error.message, request_id)
        challenge = {"WWW-Authenticate": "APIKey"} if error.status == 401 else {}
        headers = {**challenge, **error.headers}
        body = error_body(self.server.app.faults, error, request_id, message)
        self._send(error.status, body, request_id, headers=headers)

    def _send(
        self,
        status: int,
        body: bytes,
        request_id: str,
        *,
        content_type: str = JSON,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._send_head(status, len(body), request_id, content_type, headers or {})
        if self.command != "HEAD":  # a HEAD answer has headers only, Content-Length included
            self.wfile.write(body)

    def _send_head(
        self, status: int, length: int, request_id: str, content_type: str, headers: dict[str, str]
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("X-Request-ID", request_id)
        for name, value in headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()


def _rate_limited(faults: Faults) -> ApiError:
    headers: dict[str, str] = {}
    if faults.retry_after is not None:
        seconds = faults.retry_after
        headers["Retry-After"] = (
            formatdate(time.time() + seconds, usegmt=True)
            if faults.retry_after_date
            else str(seconds)
        )
    if faults.retry_after_ms is not None:
        headers["Retry-After-Ms"] = str(faults.retry_after_ms)
    return ApiError(429, "Request was throttled.", headers=headers)
