"""The README's commands, run as written: every fenced block marked ```` ```sh runnable ````
(``exit=N`` when it is meant to end with N) runs with bash against the emulator serving the
example state, from a fresh folder holding the repository's examples and a ``.venv`` that is
this test environment. ``GCORE_BASE_URL`` points at the emulator: that is the one thing the
README's reader has and the test must supply (their account is the API at its default URL)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from faasdrift.emulator import Emulator, load_state

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```sh runnable(?: exit=(?P<exit>\d+))?\n(?P<body>.*?)^```$", re.M | re.S)
BLOCKS = [(int(m["exit"] or 0), m["body"]) for m in BLOCK.finditer(README)]


def test_the_readme_marks_its_runnable_blocks() -> None:
    assert len(BLOCKS) >= 2
    # A block of another language, or ```sh with anything else after it, is never run: say so
    # by marking it, not by accident.
    assert all(body.strip() for _, body in BLOCKS)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A fresh folder as a newcomer's checkout has it after `make install`."""
    subprocess.run(["cp", "-R", str(ROOT / "examples"), str(tmp_path / "examples")], check=True)
    (tmp_path / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return tmp_path


@pytest.mark.parametrize(
    ("expected", "body"), BLOCKS, ids=[b.split("\n")[1][:40] for _, b in BLOCKS]
)
def test_a_runnable_block_runs_as_written(folder: Path, expected: int, body: str) -> None:
    state = load_state(ROOT / "examples" / "emulator-state.yaml")
    with Emulator(state) as emulator:  # any key shaped like a Gcore token, as the README's
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GCORE_", "GITHUB_", "NO_COLOR"))
        }
        env["PATH"] = f"{Path(sys.prefix) / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["GCORE_BASE_URL"] = emulator.url
        completed = subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", body],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        requests = len(emulator.requests)
    output = completed.stdout + completed.stderr
    assert completed.returncode == expected, output
    assert "Traceback" not in output
    assert requests > 0  # it really ran against the emulator
