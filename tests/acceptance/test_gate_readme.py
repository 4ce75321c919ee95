"""The README's gate example, run as written: its output is the one the README shows.

``examples/desired-next.yaml`` against ``examples/desired.yaml`` as the base, with the emulator
serving ``examples/emulator-state.yaml`` (the hand changes since the base was deployed).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.acceptance.conftest import EmulatorFactory, live_env, run_faasdrift

ROOT = Path(__file__).resolve().parents[2]
COMMAND = "faasdrift gate examples/desired-next.yaml --base examples/desired.yaml"


def readme_output() -> str:
    """The block printed right after the README's command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(re.escape(COMMAND) + r"\n```\n\n```\n(.*?)```\n", readme, re.DOTALL)
    assert found, f"README.md no longer shows the output of {COMMAND}"
    return found.group(1)


def test_the_readme_gate_example_prints_what_the_readme_shows(
    start_emulator: EmulatorFactory,
) -> None:
    state = yaml.safe_load((ROOT / "examples" / "emulator-state.yaml").read_text())
    emulator = start_emulator(*state["namespaces"])
    run = run_faasdrift(*COMMAND.split()[1:], env=live_env(emulator), cwd=ROOT)
    assert run.code == 1, run.output
    assert run.stdout == readme_output()
