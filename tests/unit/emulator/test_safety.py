"""The emulator's safety promises: loopback by default, no request bodies, nothing executed.

(`--host` with a non-loopback address warns: see test_emulator_command.py.)
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from faasdrift.emulator import Emulator, EmulatorStateError, load_state, parse_state
from faasdrift.emulator import command as command_module
from faasdrift.emulator.command import emulator_command

KEY = "5$emulator-safety"
URL = "/cloud/v1/faas/namespaces/1/1/prod/functions/hello"
STATE = {
    "namespaces": [
        {"project_id": 1, "region_id": 1, "name": "prod", "functions": [{"name": "hello"}]}
    ]
}


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator(parse_state(STATE), api_key=KEY) as started:
        yield started


def raw_request(emulator: Emulator, request: bytes) -> bytes:
    """Send ``request`` as is and read the answer until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_binds_loopback_by_default(emulator: Emulator) -> None:
    assert emulator.url.startswith("http://127.0.0.1:")


def test_the_command_binds_loopback_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[Emulator] = []
    monkeypatch.setattr(command_module, "_serve_until_signal", lambda emu, _: served.append(emu))
    state = Path(__file__).parents[3] / "examples" / "emulator-state.yaml"
    result = CliRunner().invoke(emulator_command, ["--state", str(state)])
    assert result.exit_code == 0, result.output
    assert served[0].address[0] == "127.0.0.1"
    assert "warning" not in result.output


def test_a_get_with_a_body_is_refused_unread(emulator: Emulator) -> None:
    with httpx.Client(base_url=emulator.url, headers={"Authorization": f"APIKey {KEY}"}) as client:
        response = client.request("GET", URL, content=b'{"timeout": 1}')
        assert response.status_code == 400
        assert response.json()["message"] == "A GET request must not carry a body."
        assert response.headers["connection"] == "close"  # the body stays unread: no reuse
        assert client.get(URL).status_code == 200  # and the state is as it was


def test_a_chunked_body_is_refused_unread(emulator: Emulator) -> None:
    # Chunks that never end: had the server read the body, this request would hang.
    request = (
        f"GET {URL} HTTP/1.1\r\nHost: x\r\nAuthorization: APIKey {KEY}\r\n"
        "Transfer-Encoding: chunked\r\n\r\nffffff\r\nendless"
    ).encode()
    head = raw_request(emulator, request).split(b"\r\n", 1)[0]
    assert head == b"HTTP/1.1 400 Bad Request"


def test_a_body_is_refused_before_the_key_is_checked(emulator: Emulator) -> None:
    response = httpx.request("GET", emulator.url + URL, content=b"x")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {pwned}']",
        "!!python/object/new:os.system ['touch {pwned}']",
        "!!python/name:os.system",
    ],
)
def test_a_state_file_can_run_nothing(tmp_path: Path, tag: str) -> None:
    pwned = tmp_path / "pwned"
    state = tmp_path / "state.yaml"
    state.write_text(f"namespaces: {tag.format(pwned=pwned)}\n")
    with pytest.raises(EmulatorStateError, match="invalid YAML"):
        load_state(state)
    assert not pwned.exists()
