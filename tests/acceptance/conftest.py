"""Acceptance tests: the real `faasdrift` process against the real emulator over real sockets."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from faasdrift.emulator import Emulator, Faults, load_state
from tests.support import typical_function

API_KEY = "4242$acceptance-secret-key"
FAASDRIFT = [sys.executable, "-m", "faasdrift"]


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_faasdrift(
    *args: str | Path, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> Run:
    """Run the CLI as a user would, in a clean environment plus ``env``."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("GCORE_")}
    base.pop("NO_COLOR", None)
    completed = subprocess.run(
        [*FAASDRIFT, *map(str, args)],
        env={**base, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    run = Run(completed.returncode, completed.stdout, completed.stderr)
    assert "Traceback" not in run.output, run.output
    return run


WriteYaml = Callable[[str, Any], Path]
DEFAULTS = {"project_id": 1, "region_id": 1, "namespace": "prod-api"}


def desired(*functions: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A desired document in prod-api (project 1, region 1) declaring ``functions``."""
    return {"version": 1, "defaults": DEFAULTS, **top, "functions": list(functions)}


def function(name: str, **fields: Any) -> dict[str, Any]:
    """A live function for the emulator state, with typical values unless overridden."""
    return typical_function(name, **fields)


def namespace(
    name: str, *functions: dict[str, Any], project_id: int = 1, region_id: int = 1
) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "region_id": region_id,
        "name": name,
        "functions": list(functions),
    }


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, Any], Path]:
    def write(name: str, content: Any) -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


EmulatorFactory = Callable[..., Emulator]


@pytest.fixture
def start_emulator(tmp_path: Path) -> Iterator[EmulatorFactory]:
    """Start an emulator serving ``namespaces``; stopped when the test ends."""
    started: list[Emulator] = []

    def start(*namespaces: dict[str, Any], faults: Faults | None = None) -> Emulator:
        state_file = tmp_path / f"state-{len(started)}.json"
        state_file.write_text(json.dumps({"namespaces": list(namespaces)}), encoding="utf-8")
        emulator = Emulator(load_state(state_file), api_key=API_KEY, faults=faults or Faults())
        emulator.start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


def live_env(emulator: Emulator, api_key: str = API_KEY) -> dict[str, str]:
    return {"GCORE_API_KEY": api_key, "GCORE_BASE_URL": emulator.url}


@pytest.fixture
def unused_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
