"""What the emulator's handler threads share: the ``App`` (state, key, faults, log) and the server.

Apart from the handler and the ``Emulator`` wrapper, so the handler can know the server it runs in
and the wrapper can build both, without either importing the other.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from faasdrift.emulator.api import ListOptions
from faasdrift.emulator.faults import Faults
from faasdrift.emulator.recording import RequestLog
from faasdrift.emulator.state import EmulatorState

if TYPE_CHECKING:
    from socketserver import _RequestType


@dataclass
class App:
    """What every handler thread shares: the state, the key, the faults, the log."""

    state: EmulatorState
    api_key: str | None
    faults: Faults
    verbose: bool = False
    log: RequestLog = field(default_factory=RequestLog)
    stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def list_options(self) -> ListOptions:
        f = self.faults
        return ListOptions(f.default_limit, f.list_count_extra, f.list_overlap, f.max_page_size)


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its ``App`` and its open connections."""

    daemon_threads = True
    # A pooled client opens up to its concurrency (64) connections at once; the default backlog
    # of 5 would drop the rest's SYNs, and each dropped SYN costs a one-second retransmit.
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], app: App, handler: type[BaseHTTPRequestHandler]
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall for seconds offline.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: _RequestType, client_address: Any) -> None:
        if isinstance(request, socket.socket):
            with self._connections_lock:
                self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: _RequestType) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut down every open keep-alive connection, so no handler thread outlives the server."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client or a reset fault
                connection.shutdown(socket.SHUT_RDWR)
