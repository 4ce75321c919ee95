"""The API key and every value taken from the environment never leave faasdrift, whatever fails.

Each scenario runs the real process with a recognisable key (and, where the desired file asks for
them, recognisable ``${VAR}`` values), with every report format on stdout and in ``--report``
files, the step summary, ``-vv`` request logging, then greps all of it for the secrets.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from faasdrift.cli.app_state import AppState
from faasdrift.cli.console import Console
from faasdrift.cli.main import run
from faasdrift.emulator import BodyFault, Emulator, Faults, load_state
from faasdrift.live import client
from faasdrift.report.formats import REPORTER_BY_NAME
from tests.acceptance.conftest import function, namespace, run_faasdrift
from tests.acceptance.test_transport import tls_server  # noqa: F401 - a fixture used below

SECRET = "LEAKCANARY-5e1f2d9a"
KEY = f"31337${SECRET}"
INTERPOLATED = {"CI_DEPLOY_TOKEN": "hunter2-CANARY-desc", "CI_PLAIN": "plainCANARYvalue"}
CANARIES = (SECRET, "LEAKCANARY", *INTERPOLATED.values(), "CANARY-desc", "plainCANARY")

DESIRED = {
    "defaults": {"project_id": 1, "region_id": 1, "namespace": "prod-api"},
    "functions": [
        {
            "name": "hello",
            "timeout": 5,
            "description": "deployed by ${CI_DEPLOY_TOKEN}",
            "envs": {"LOG_LEVEL": "info", "PLAIN": "${CI_PLAIN}"},
        }
    ],
}
LIVE = function("hello", timeout=10, description="old", envs={"LOG_LEVEL": "info", "PLAIN": "x"})

Scenario = Callable[..., tuple[dict[str, str], list[str]]]


@pytest.fixture
def emulator_for(tmp_path: Path) -> Iterator[Callable[..., Emulator]]:
    """An emulator that accepts any key (so the canary key gets through), with ``faults``."""
    started: list[Emulator] = []

    def start(**faults: Any) -> Emulator:
        state_file = tmp_path / f"state-{len(started)}.json"
        state_file.write_text(json.dumps({"namespaces": [namespace("prod-api", LIVE)]}))
        emulator = Emulator(load_state(state_file), faults=Faults(**faults)).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


def env_for(url: str, key: str = KEY, **extra: str) -> dict[str, str]:
    proxies = dict.fromkeys(("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"), "")
    return {"GCORE_API_KEY": key, "GCORE_BASE_URL": url, **proxies, **INTERPOLATED, **extra}


SCENARIOS: dict[str, tuple[int, Callable[..., dict[str, str]]]] = {
    "drift (the report shows changed values)": (1, lambda e, **_: env_for(e().url)),
    "wrong key: 401": (3, lambda e, **_: env_for(_strict(e()).url)),
    "500s with retries": (
        3,
        lambda e, **_: env_for(
            e(list_errors={"prod-api": 500}, function_errors={"hello": 500}).url
        ),
    ),
    "malformed list body": (
        3,
        lambda e, **_: env_for(
            e(list_faults={"prod-api": BodyFault.MALFORMED}, malformed={"hello"}).url
        ),
    ),
    "connection refused": (3, lambda _e, port, **_: env_for(f"http://127.0.0.1:{port}")),
    "proxy error": (
        3,
        lambda _e, port, tls, **_: env_for(tls[0], HTTPS_PROXY=f"http://127.0.0.1:{port}"),
    ),
    "TLS failure": (3, lambda _e, tls, **_: env_for(tls[0])),
    "key with a newline": (2, lambda e, **_: env_for(e().url, key=f"31337$LEAK\n{SECRET}")),
    "key with a space": (2, lambda e, **_: env_for(e().url, key=f"{KEY} {KEY}")),
    "plain http to a remote host": (2, lambda _e, **_: env_for("http://gcore.invalid")),
}


def _strict(emulator: Emulator) -> Emulator:
    emulator.stop()
    state = emulator.state
    return Emulator(state, api_key="4242$the-only-right-key").start()


@pytest.mark.parametrize(("expected", "scenario"), SCENARIOS.values(), ids=SCENARIOS.keys())
def test_no_secret_in_any_output(  # noqa: PLR0917 - pytest passes fixtures positionally
    tmp_path: Path,
    emulator_for: Callable[..., Emulator],
    unused_port: int,
    tls_server: tuple[str, Path],  # noqa: F811
    expected: int,
    scenario: Callable[..., dict[str, str]],
) -> None:
    desired = tmp_path / "desired.yaml"
    desired.write_text(json.dumps(DESIRED))
    env = scenario(emulator_for, port=unused_port, tls=tls_server)
    summary = tmp_path / "summary.md"
    env |= {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"}
    reports = [f"--report={name}={tmp_path / f'report-{name}'}" for name in REPORTER_BY_NAME]
    outputs: list[str] = []
    for name in REPORTER_BY_NAME:
        args = ["check", str(desired), "-vv", "--debug", "--max-retries", "1", "--format", name]
        result = run_faasdrift(*args, *reports, "--step-summary", env=env)
        assert result.code == expected, result.output
        outputs.append(result.output)
    outputs += [path.read_text() for path in tmp_path.glob("report-*")]
    outputs += [summary.read_text()] if summary.exists() else []
    for text in outputs:
        for canary in CANARIES:
            assert canary not in text, text
    if expected == 1:  # the drift is reported, with the interpolated values hidden
        assert "description: (sensitive, changed)" in outputs[0]
        assert "envs.PLAIN: (sensitive, changed)" in outputs[0]


def test_no_secret_in_an_internal_error_traceback(
    tmp_path: Path, emulator_for: Callable[..., Emulator], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def explode(*_: Any, **__: Any) -> Any:
        raise RuntimeError(f"boom with {KEY} and {INTERPOLATED['CI_PLAIN']} inside")

    monkeypatch.setattr(client.GcoreClient, "list_functions", explode)
    logger = logging.getLogger("faasdrift")  # -vv configures it: undone after the test
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "propagate", True)
    monkeypatch.setattr(logger, "level", logger.level)
    for name, value in env_for(emulator_for().url).items():
        monkeypatch.setenv(name, value)
    desired = tmp_path / "desired.yaml"
    desired.write_text(json.dumps(DESIRED))
    stdout, stderr = io.StringIO(), io.StringIO()
    app = AppState(console=Console(stdout=stdout, stderr=stderr))
    code = run(app, ["check", str(desired), "--debug", "-vv"])
    assert code == 4
    assert "Traceback (most recent call last)" in stderr.getvalue()
    assert "RuntimeError: boom with *** and *** inside" in stderr.getvalue()
    for canary in CANARIES:
        assert canary not in stdout.getvalue() + stderr.getvalue()
