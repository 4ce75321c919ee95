"""Hostile desired files against the real process: refused in one line, nothing read or run.

The full list of hostile inputs is in tests/unit/test_hostile_inputs.py (in-process, faster);
these run the heaviest few and the path escapes as a user's CI would: a real `faasdrift check`
process against the emulator over a real socket. run_faasdrift also fails on any traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.acceptance.conftest import (
    EmulatorFactory,
    Run,
    function,
    live_env,
    namespace,
    run_faasdrift,
)
from tests.support import folder_beside_secret

SECRET = "ACCEPTANCE-SECRET-9d2e"
HEAD = "defaults: {project_id: 1, region_id: 1, namespace: prod}\nfunctions:\n"


def billion_laughs() -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return folder_beside_secret(tmp_path, SECRET)


CHECKED_NOTHING = "faasdrift: 1 problem found; nothing was checked"
ONE_FILE_INVALID = "faasdrift: 1 problem found; 1 of 1 file not valid"  # validate's summary


def assert_refused(run: Run, *, line: str, summary: str = CHECKED_NOTHING) -> None:
    """Exit 2 before any request: one problem line, the count, nothing on stdout."""
    assert run.code == 2, run.output
    assert run.stdout == ""
    assert run.stderr.splitlines() == [line, summary]
    assert SECRET not in run.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (billion_laughs(), "6:25: more than 300,000 values once aliases are expanded"),
        ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", None),
        ("a:\n" + "- " * 10_000 + "x\n", "2:129: nested deeper than 64 levels"),
        ("a: !!python/object/apply:os.system ['touch pwned']\n", None),
    ],
    ids=["alias bomb", "10,000 levels flow", "10,000 levels block", "python tag"],
)
def test_refused_without_a_single_request(
    repo: Path, start_emulator: EmulatorFactory, content: str, message: str | None
) -> None:
    emulator = start_emulator(namespace("prod", function("hello")))
    (repo / "desired.yaml").write_text(content)
    run = run_faasdrift("check", "desired.yaml", env=live_env(emulator), cwd=repo)
    first = run.stderr.splitlines()[0]
    assert first.startswith("desired.yaml:"), first
    if message is not None:
        assert_refused(run, line=f"desired.yaml:{message}")
    assert run.code == 2
    assert emulator.requests == []
    assert not (repo / "pwned").exists()


def test_a_50_mb_file_is_refused_unread(repo: Path) -> None:
    with (repo / "desired.yaml").open("wb") as file:
        file.write(HEAD.encode() + b"  - name: hello\n")
        file.write(b"#" * (50 * 1024 * 1024) + b"\n")
    run = run_faasdrift("check", "desired.yaml", cwd=repo)
    assert_refused(run, line="desired.yaml: is larger than 32 MiB, the limit")


def desired_with_code_file(repo: Path, code_file: str) -> Path:
    path = repo / "desired.yaml"
    path.write_text(f"{HEAD}  - name: hello\n    code_file: {json.dumps(code_file)}\n")
    return path


OUTSIDE = (
    "desired.yaml:4:16: functions[0].code_file: cannot read {name}: is outside the folder of the"
    " desired file; pass --allow-outside-paths to read it"
)


@pytest.mark.parametrize("code_file", ["../secret.txt", "/etc/passwd"])
def test_code_file_cannot_leave_the_folder(
    repo: Path, start_emulator: EmulatorFactory, code_file: str
) -> None:
    emulator = start_emulator(namespace("prod", function("hello")))
    desired_with_code_file(repo, code_file)
    run = run_faasdrift("check", "desired.yaml", env=live_env(emulator), cwd=repo)
    assert_refused(run, line=OUTSIDE.format(name=repr(code_file)))
    assert emulator.requests == []


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlink_out_of_the_folder_is_followed_and_refused(
    repo: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = start_emulator(namespace("prod", function("hello")))
    (repo / "handler.py").symlink_to(repo.parent / "secret.txt")
    desired_with_code_file(repo, "handler.py")
    run = run_faasdrift("check", "desired.yaml", env=live_env(emulator), cwd=repo)
    assert_refused(run, line=OUTSIDE.format(name="'handler.py'"))


def test_allow_outside_paths_reads_the_file(repo: Path, start_emulator: EmulatorFactory) -> None:
    emulator = start_emulator(namespace("prod", function("hello", code_text=SECRET + "\n")))
    desired_with_code_file(repo, "../secret.txt")
    env = live_env(emulator)
    run = run_faasdrift("check", "desired.yaml", "--allow-outside-paths", env=env, cwd=repo)
    assert run.code == 0, run.output


def test_bom_and_crlf_just_work(repo: Path, start_emulator: EmulatorFactory) -> None:
    code = "def main():\n    return 'ok'\n"
    emulator = start_emulator(namespace("prod", function("hello", code_text=code)))
    text = HEAD + "  - name: hello\n    code_text: |\n      def main():\n          return 'ok'\n"
    (repo / "desired.yaml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    run = run_faasdrift("check", "desired.yaml", env=live_env(emulator), cwd=repo)
    assert run.code == 0, run.output


@pytest.mark.parametrize(
    "number",
    ["0x" + "f" * 3_600, "0b" + "1" * 20_000, "9" * 5_000, "1" + ":0" * 400_000],
    ids=["hex", "binary", "decimal", "sexagesimal"],
)
def test_a_huge_number_is_refused_with_its_position(repo: Path, number: str) -> None:
    (repo / "desired.yaml").write_text(f"{HEAD}  - name: hello\n    timeout: {number}\n")
    run = run_faasdrift("validate", "desired.yaml", cwd=repo)
    assert_refused(
        run,
        summary=ONE_FILE_INVALID,
        line=f"desired.yaml:4:14: a number written with {len(number):,} characters; the limit is "
        "100 (quote it if it is text)",
    )


def test_a_file_named_like_a_workflow_command_starts_no_command(repo: Path) -> None:
    name = "::error title=Deploy OK::all good.yaml"
    (repo / name).write_text(f"{HEAD}  - name: hello\n    timeout: five\n")
    run = run_faasdrift("check", name, cwd=repo)
    assert run.code == 2, run.output
    assert run.stderr.splitlines()[0].startswith(f"./{name}:4:14: functions[0].timeout: ")
    assert not any(line.lstrip().startswith("::") for line in run.output.splitlines())
    masked = "::add-mask::hunter2.yaml"
    (repo / masked).write_text(f"{HEAD}  - name: hello\n")
    valid = run_faasdrift("validate", masked, cwd=repo)
    assert valid.code == 0, valid.output
    assert valid.stdout == f"./{masked}: ok, 1 function\n"


def _fifo(repo: Path) -> Path:
    path = repo / "live.json"
    os.mkfifo(path)
    return path


def _written(repo: Path, text: str) -> Path:
    path = repo / "live.json"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda repo: Path("/dev/zero"), "is not a regular file (a device, pipe or socket)"),
        (_fifo, "is not a regular file (a device, pipe or socket)"),
        (
            lambda repo: _written(repo, "[" * 100_000 + "]" * 100_000),
            "is nested deeper than 64 levels",
        ),
    ],
    ids=["/dev/zero", "FIFO", "100,000 levels"],
)
def test_a_hostile_live_snapshot_is_refused(
    repo: Path, make: Callable[[Path], Path], reason: str
) -> None:
    desired_with_code_file(repo, "main.py")
    (repo / "main.py").write_text("x = 1\n")
    snapshot = make(repo)
    run = run_faasdrift("check", "desired.yaml", "--live", snapshot, cwd=repo)
    assert run.code == 2, run.output
    assert reason in run.stderr
    assert len(run.stderr.splitlines()) == 1


def test_ten_thousand_functions_naming_one_code_file_are_refused(repo: Path) -> None:
    (repo / "big.py").write_text("\U0001f600" * 100_000, encoding="utf-8")  # 400 KB, valid
    entries = "".join(f"  - {{name: f{n}, code_file: big.py}}\n" for n in range(10_000))
    (repo / "desired.yaml").write_text(HEAD + entries)
    run = run_faasdrift("validate", "desired.yaml", cwd=repo)
    assert_refused(
        run,
        summary=ONE_FILE_INVALID,
        line="desired.yaml:86:28: functions[83].code_file: the functions' code comes to more "
        "than 32 MiB (every code_text, code_file and dependencies counted once per function that "
        "uses it), the limit; split the functions over several desired files",
    )
