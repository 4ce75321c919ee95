"""The API key never crosses a network in clear text, not even through a proxy from HTTP_PROXY.

Real sockets on 127.0.0.1: a listener stands in for the proxy and records who connects. A remote
proxy cannot be used here (tests stay on this machine), so for the refusal the check runs in
process with "is this host local" narrowed to ``localhost``: the proxy at 127.0.0.1 then counts
as remote, exactly as a proxy on the network would.
"""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from faasdrift.cli.app_state import AppState
from faasdrift.cli.console import Console
from faasdrift.cli.main import run
from faasdrift.live import transport
from tests.acceptance.conftest import (
    API_KEY,
    DEFAULTS,
    EmulatorFactory,
    function,
    namespace,
)


class RecordingProxy:
    """Accepts connections, keeps what arrives, answers 502."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                try:
                    self.received.append(connection.recv(65536))
                    connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    recording = RecordingProxy()
    yield recording
    recording.server.close()


def check(desired: Path, base_url: str, monkeypatch: pytest.MonkeyPatch, proxy_url: str) -> int:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.setenv("http_proxy", proxy_url)
    monkeypatch.setenv("GCORE_API_KEY", API_KEY)
    args = ["check", str(desired), "--base-url", base_url, "--max-retries", "0"]
    return run(AppState(console=Console(stdout=io.StringIO(), stderr=io.StringIO())), args)


@pytest.fixture
def desired(tmp_path: Path) -> Path:
    path = tmp_path / "desired.yaml"
    path.write_text(json.dumps({"defaults": DEFAULTS, "functions": [{"name": "hello"}]}))
    return path


def test_a_remote_proxy_never_sees_a_plain_http_request(
    desired: Path,
    start_emulator: EmulatorFactory,
    proxy: RecordingProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    monkeypatch.setattr(transport, "is_loopback", lambda host: host == "localhost")
    base = emulator.url.replace("127.0.0.1", "localhost")
    code = check(desired, base, monkeypatch, f"http://127.0.0.1:{proxy.port}")
    assert code == 0  # straight to the emulator
    assert proxy.received == []
    assert len(emulator.requests) == 1


def test_a_proxy_on_this_machine_may_carry_plain_http(
    desired: Path,
    start_emulator: EmulatorFactory,
    proxy: RecordingProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    code = check(desired, emulator.url, monkeypatch, f"http://127.0.0.1:{proxy.port}")
    assert code == 3  # the stand-in proxy answers 502
    assert proxy.received  # the list, then the GET it falls back to
    assert all(request.startswith(b"GET http://127.0.0.1:") for request in proxy.received)
    assert emulator.requests == []
