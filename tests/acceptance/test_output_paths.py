"""Output paths a pull request may have prepared: symlinks, two names of one file, inputs.

Each is refused with exit 2 before a single request, and nothing is written through it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.acceptance.conftest import (
    DEFAULTS,
    EmulatorFactory,
    function,
    live_env,
    namespace,
    run_faasdrift,
)

DESIRED = {"defaults": DEFAULTS, "functions": [{"name": "hello", "code_file": "main.py"}]}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "desired.yaml").write_text(json.dumps(DESIRED))
    (folder / "main.py").write_text("def main():\n    return 'ok'\n")
    (tmp_path / "victim.txt").write_text("keep me\n")
    return folder


def refused(repo: Path, start_emulator: EmulatorFactory, *args: str, message: str) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    run = run_faasdrift(*args, env=live_env(emulator), cwd=repo)
    assert run.code == 2, run.output
    assert run.stderr.splitlines()[-1].startswith("faasdrift: error: "), run.stderr
    assert message in run.stderr
    assert emulator.requests == []  # refused before any request
    assert (repo.parent / "victim.txt").read_text() == "keep me\n"


def test_a_report_through_a_committed_symlink_is_refused(
    repo: Path, start_emulator: EmulatorFactory
) -> None:
    (repo / "drift.xml").symlink_to(repo.parent / "victim.txt")
    args = ("check", "desired.yaml", "--report", "junit=drift.xml")
    refused(repo, start_emulator, *args, message="drift.xml is a symbolic link")


def test_two_names_of_one_report_are_refused(repo: Path, start_emulator: EmulatorFactory) -> None:
    (repo / "sub").mkdir()
    args = ("check", "desired.yaml", "--report", "json=a.json", "--report", "junit=sub/../a.json")
    refused(repo, start_emulator, *args, message="is the same file as --report json=a.json")


@pytest.mark.parametrize("target", ["desired.yaml", "main.py", "./sub/../desired.yaml"])
def test_a_report_over_an_input_is_refused(
    repo: Path, start_emulator: EmulatorFactory, target: str
) -> None:
    (repo / "sub").mkdir()
    before = {path.name: path.read_bytes() for path in repo.iterdir() if path.is_file()}
    args = ("check", "desired.yaml", "--report", f"text={target}")
    refused(repo, start_emulator, *args, message="is an input of this run (")
    assert {path.name: path.read_bytes() for path in repo.iterdir() if path.is_file()} == before


def test_the_step_summary_cannot_be_a_report(repo: Path, start_emulator: EmulatorFactory) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    env = {**live_env(emulator), "GITHUB_STEP_SUMMARY": str(repo / "out.md")}
    args = ("check", "desired.yaml", "--step-summary", "--report", "markdown=out.md")
    run = run_faasdrift(*args, env=env, cwd=repo)
    assert run.code == 2, run.output
    assert "is the same file as --report markdown=out.md" in run.stderr
    assert not (repo / "out.md").exists()


@pytest.mark.parametrize("command", ["snapshot", "import"])
@pytest.mark.parametrize("force", [(), ("--force",)])
def test_snapshot_and_import_never_write_through_a_dangling_symlink(
    repo: Path, start_emulator: EmulatorFactory, command: str, force: tuple[str, ...]
) -> None:
    (repo / "out.yaml").symlink_to(repo.parent / "created-elsewhere.txt")
    emulator = start_emulator(namespace("prod-api", function("hello")))
    if command == "snapshot":
        args = ["snapshot", "desired.yaml", "-o", "out.yaml"]
    else:
        args = ["import", "--project-id", "1", "--region-id", "1", "--namespace", "prod-api"]
        args += ["-o", "out.yaml"]
    run = run_faasdrift(*args, *force, env=live_env(emulator), cwd=repo)
    assert run.code == 2, run.output
    expected = "is a symbolic link" if force else "out.yaml exists; pass --force to overwrite it"
    assert expected in run.stderr
    assert not (repo.parent / "created-elsewhere.txt").exists()
    assert emulator.requests == []
