"""`faasdrift emulator`: options, errors, and the real process's start/stop contract."""

from __future__ import annotations

import gc
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from faasdrift.emulator import Emulator, EmulatorStateError, Faults
from faasdrift.emulator import command as command_module
from faasdrift.emulator.command import READY_PREFIX, emulator_command
from faasdrift.errors import UsageError

ANY_KEY = "accepting any key shaped like a Gcore API token"
EXAMPLE = str(Path(__file__).parents[3] / "examples" / "emulator-state.yaml")


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Emulator, str]]:
    """Record what the command would serve instead of blocking until a signal."""
    calls: list[tuple[Emulator, str]] = []
    monkeypatch.setattr(
        command_module, "_serve_until_signal", lambda emu, note: calls.append((emu, note))
    )
    return calls


def invoke(*args: str, **kwargs: Any) -> Any:
    return CliRunner().invoke(emulator_command, ["--state", EXAMPLE, *args], **kwargs)


def test_options_become_faults(served: list[tuple[Emulator, str]]) -> None:
    options = """--latency-ms 250 --rate-limit-first 2 --retry-after 1
        --fail orders=503 --fail media/resize=500 --malformed hello
        --html a --reset b --hang c --hang-seconds 2.5 --huge d
        --list-count-extra 3 --list-overlap 1 --default-limit 50"""
    result = invoke(*options.split())

    assert result.exit_code == 0, result.output
    ((emulator, note),) = served
    assert emulator.faults == Faults(
        latency=0.25,
        rate_limit_first=2,
        retry_after=1,
        function_errors={"orders": 503, "media/resize": 500},
        malformed=frozenset({"hello"}),
        html=frozenset({"a"}),
        reset=frozenset({"b"}),
        hang=frozenset({"c"}),
        hang_seconds=2.5,
        huge=frozenset({"d"}),
        list_count_extra=3,
        list_overlap=1,
        default_limit=50,
    )
    assert note == f"serving 2 namespaces, 5 functions from {EXAMPLE}; {ANY_KEY}; Ctrl-C to stop"


def test_defaults_break_nothing(served: list[tuple[Emulator, str]]) -> None:
    assert invoke().exit_code == 0
    assert served[0][0].faults == Faults()
    assert served[0][0].address == ("127.0.0.1", 0)


def test_api_key_from_the_environment(served: list[tuple[Emulator, str]]) -> None:
    invoke(env={"FAASDRIFT_EMULATOR_API_KEY": "1$emulator-env-key-16"})

    assert "accepting only the --api-key key" in served[0][1]


@pytest.mark.parametrize("key", ["1$k", "demo$key-for-the-emulator", "test"])
def test_a_key_faasdrift_would_refuse_is_refused_at_start(
    served: list[tuple[Emulator, str]], key: str
) -> None:
    result = invoke("--api-key", key)

    assert result.exit_code == 2
    assert "not a Gcore API key: its numeric id, '$' (or '_')" in result.stderr
    assert key not in result.stderr.replace("'1234$key-for-the-emulator'", "")
    assert served == []


def test_one_namespace_and_one_function_are_counted_in_the_singular(
    served: list[tuple[Emulator, str]], tmp_path: Path
) -> None:
    state = tmp_path / "one.yaml"
    state.write_text(
        "namespaces: [{project_id: 1, region_id: 1, name: prod-api, functions: [{name: hello}]}]\n"
    )
    assert invoke("--state", str(state)).exit_code == 0
    assert served[0][1].startswith(f"serving 1 namespace, 1 function from {state};")


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "example.com"])
def test_non_loopback_host_warns(served: list[tuple[Emulator, str]], host: str) -> None:
    result = invoke("--host", host)

    assert result.stderr.startswith(f"warning: {host} is not a loopback address")
    assert result.stdout == ""


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_host_does_not_warn(served: list[tuple[Emulator, str]], host: str) -> None:
    assert invoke("--host", host).stderr == ""


@pytest.mark.parametrize("value", ["orders", "orders=200", "orders=abc", "=500", "orders=600"])
def test_bad_fail_option_is_a_usage_error(served: list[tuple[Emulator, str]], value: str) -> None:
    result = invoke("--fail", value)

    assert result.exit_code == 2
    assert (
        f"Invalid value for '--fail': {value!r}: expected NAME=STATUS with STATUS 400..599"
        in result.stderr
    )
    assert served == []


def test_bad_state_raises_a_usage_error(tmp_path: Path) -> None:
    state = tmp_path / "state.yaml"
    state.write_text("namespaces: 3\n")

    result = CliRunner().invoke(emulator_command, ["--state", str(state)])

    assert isinstance(result.exception, EmulatorStateError)
    assert str(result.exception) == f"{state}: namespaces: 3 is not of type 'array'"


def test_port_in_use_is_a_usage_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("--port", str(port))

    assert isinstance(result.exception, UsageError)
    assert str(result.exception) == f"cannot listen on 127.0.0.1:{port}: Address already in use"


# --- the real process ---------------------------------------------------------------------------


def spawn(*args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "faasdrift.emulator", "--state", EXAMPLE, *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def process() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_process_serves_until_a_signal_then_exits_0(
    process: list[subprocess.Popen[str]], signum: int
) -> None:
    proc = spawn("--api-key", "7$emulator-command-key", "--fail", "orders=503")
    process.append(proc)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith(READY_PREFIX)
    url = line.removeprefix(READY_PREFIX).strip()

    headers = {"Authorization": "APIKey 7$emulator-command-key"}
    assert (
        httpx.get(
            f"{url}/cloud/v1/faas/namespaces/1/1/prod-api/functions/hello", headers=headers
        ).status_code
        == 200
    )
    assert (
        httpx.get(
            f"{url}/cloud/v1/faas/namespaces/1/1/prod-api/functions/orders", headers=headers
        ).status_code
        == 503
    )
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=10)

    assert proc.returncode == 0
    assert stdout == ""  # the ready line was the only stdout
    assert (
        stderr
        == "serving 2 namespaces, 5 functions from "
        + EXAMPLE
        + "; accepting only the --api-key key; Ctrl-C to stop\n"
    )


def test_process_with_a_bad_state_exits_2_with_one_line(
    process: list[subprocess.Popen[str]], tmp_path: Path
) -> None:
    proc = spawn("--state", str(tmp_path / "missing.yaml"))  # the last --state wins
    process.append(proc)
    stdout, stderr = proc.communicate(timeout=30)

    assert proc.returncode == 2
    assert stdout == ""
    missing = tmp_path / "missing.yaml"
    assert (
        stderr == f"faasdrift emulator: error: {missing}: cannot read: No such file or directory\n"
    )


@pytest.fixture
def collector_off() -> Iterator[None]:
    """The collector as every command starts it (cli/main.prepare_process), restored after."""
    enabled = gc.isenabled()
    gc.disable()
    yield
    if enabled:
        gc.enable()


def test_the_emulator_turns_the_cyclic_collector_back_on(
    served: list[tuple[Emulator, str]], collector_off: None
) -> None:
    assert invoke().exit_code == 0
    assert gc.isenabled()  # a server runs for hours; a check runs without it


def test_a_command_process_starts_without_the_cyclic_collector() -> None:
    probe = (
        "import gc\nfrom faasdrift.cli.main import prepare_process\n"
        "before = gc.isenabled()\nprepare_process()\nprint(before, gc.isenabled())\n"
    )
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert ran.stdout.split() == ["True", "False"]
