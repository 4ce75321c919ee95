"""Run the emulator: a real ``ThreadingHTTPServer`` on a local port, served from a daemon thread.

with Emulator(load_state("state.yaml"), api_key="1$secret") as emulator:
    httpx.get(f"{emulator.url}/cloud/v1/faas/namespaces/1/1", headers=...)
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING

from faasdrift.emulator.faults import Faults
from faasdrift.emulator.handler import EmulatorHandler
from faasdrift.emulator.http_server import App, EmulatorHTTPServer
from faasdrift.emulator.recording import RecordedRequest
from faasdrift.emulator.state import EmulatorState

if TYPE_CHECKING:
    pass

# How often the serving thread checks for shutdown; bounds how long ``stop()`` takes.
_POLL_INTERVAL = 0.01


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
        self._server = EmulatorHTTPServer(self._address, self._app, EmulatorHandler)
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
