"""Answers of a hostile or broken server, for the faults that need more than a status or a body.

A decompression bomb, a server that trickles one byte at a time, list pages padded with filler,
an exact body, a server that echoes the key it was sent: the client must survive each within its
caps and deadlines (SECURITY.md). ``HostileAnswers`` is mixed into the request handler, which
decides when each is sent.
"""

from __future__ import annotations

import functools
import threading
import zlib
from io import BufferedIOBase
from typing import TYPE_CHECKING

from faasdrift.emulator.api import Route, RouteKind
from faasdrift.emulator.faults import padded

if TYPE_CHECKING:
    from email.message import Message

    from faasdrift.emulator.http_server import EmulatorHTTPServer

JSON = "application/json"
_ZEROS = bytes(1024 * 1024)


class HostileAnswers:
    """The hostile answers, as methods of the request handler they are mixed into."""

    if TYPE_CHECKING:  # provided by the handler
        server: EmulatorHTTPServer
        headers: Message
        wfile: BufferedIOBase
        close_connection: bool

        def _send(self, status: int, body: bytes, request_id: str) -> None: ...

        def _send_head(
            self,
            status: int,
            length: int,
            request_id: str,
            content_type: str,
            headers: dict[str, str],
        ) -> None: ...

    def _padded_list(self, route: Route, body: bytes) -> bytes:
        """A list page with ``list_page_padding`` bytes of filler."""
        padding = self.server.app.faults.list_page_padding
        return padded(body, padding) if padding and route.kind is RouteKind.FUNCTIONS else body

    def _echoed(self, message: str, request_id: str) -> tuple[str, str]:
        """``echo_key_at``: a careless server repeating the key it was sent in its error bodies
        (in the message from that character on, and in the request id)."""
        at = self.server.app.faults.echo_key_at
        headers = getattr(self, "headers", None)  # none yet for an unparsable request line
        key = (headers.get("Authorization") or "" if headers else "").removeprefix("APIKey ")
        if at is None or not key:
            return message, request_id
        return f"{message.ljust(at, '.')}{key} (try again)", f"req-{key}"

    def _exact_body(self, route: Route, request_id: str) -> bool:
        """Answer 200 with the exact body set for this function in ``bodies``, if any."""
        bodies = self.server.app.faults.bodies
        body = bodies.get(f"{route.namespace}/{route.function}", bodies.get(route.function))
        if body is not None:
            self._send(200, body, request_id)
        return body is not None

    def _send_bomb(self, request_id: str) -> None:
        bomb = gzip_bomb(self.server.app.faults.bomb_bytes)
        self._send_head(200, len(bomb), request_id, JSON, {"Content-Encoding": "gzip, gzip"})
        self.wfile.write(bomb)

    def _trickle(self, body: bytes, request_id: str) -> None:
        app = self.server.app
        self._send_head(200, len(body), request_id, JSON, {})
        trickle(self.wfile, body, seconds=app.faults.trickle_seconds, stopping=app.stopping)
        self.close_connection = True


@functools.cache
def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed twice: a few KB sent as ``gzip, gzip``."""
    return _gzip(_gzip_zeros(size))


def _gzip_zeros(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [
        compressor.compress(_ZEROS[: min(len(_ZEROS), size - start)])
        for start in range(0, size, len(_ZEROS))
    ]
    return b"".join([*parts, compressor.flush()])


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


def trickle(out: BufferedIOBase, body: bytes, *, seconds: float, stopping: threading.Event) -> None:
    """Write ``body`` one byte every ``seconds``, until the emulator stops (a write to a
    connection the client left raises, which the handler takes as the client gone)."""
    for index in range(len(body)):
        if stopping.wait(seconds):
            return
        out.write(body[index : index + 1])
        out.flush()
