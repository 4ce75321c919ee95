"""Run the emulator: a real ``ThreadingHTTPServer`` on a local port, served from a daemon thread.

with Emulator(load_state("state.yaml"), api_key="1$secret") as emulator:
    httpx.get(f"{emulator.url}/cloud/v1/faas/namespaces/1/1", headers=...)
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from faasdrift.emulator.faults import Faults
from faasdrift.emulator.handler import App, EmulatorHandler
from faasdrift.emulator.recording import RecordedRequest
from faasdrift.emulator.state import EmulatorState

if TYPE_CHECKING:
    from socketserver import _RequestType

# How often the serving thread checks for shutdown; bounds how long ``stop()`` takes.
_POLL_INTERVAL = 0.01


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its ``App`` and its open connections."""

    daemon_threads = True
    # A pooled client opens up to its concurrency (64) connections at once; the default backlog
    # of 5 would drop the rest's SYNs, and each dropped SYN costs a one-second retransmit.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, EmulatorHandler)

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


class Emulator:
    """A fake Gcore FaaS API serving ``state`` on ``host:port`` (port 0: a free port).

    With ``api_key`` set only that key is accepted; without it, any non-empty key is.
    """

    def __init__(
        self,
        state: EmulatorState,
        *,
        api_key: str | None = None,
        faults: Faults | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
    ) -> None:
        self._app = App(state=state, api_key=api_key, faults=faults or Faults(), verbose=verbose)
        self._address = (host, port)
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Emulator:
        """Bind and serve in a daemon thread; raises ``OSError`` if the address is unusable."""
        if self._server is not None or self._app.stopping.is_set():
            raise RuntimeError("an Emulator can be started only once")
        self._server = EmulatorHTTPServer(self._address, self._app)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": _POLL_INTERVAL},
            name=f"faasdrift-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, drop open connections, wake hanging requests; safe to call twice."""
        self._app.stopping.set()
        if self._server is None or self._thread is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
        self._thread = None

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) asked for; ``port`` and ``url`` give the one actually bound."""
        return self._address

    @property
    def port(self) -> int:
        return int(self._bound().server_address[1])

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321`` (what GCORE_BASE_URL takes)."""
        host = str(self._bound().server_address[0])
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, in arrival order."""
        return self._app.log.snapshot()

    @property
    def state(self) -> EmulatorState:
        return self._app.state

    @property
    def faults(self) -> Faults:
        return self._app.faults

    def _bound(self) -> EmulatorHTTPServer:
        if self._server is None:
            raise RuntimeError("the Emulator is not started")
        return self._server

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
