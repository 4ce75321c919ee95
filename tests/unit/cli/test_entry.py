"""The console script answers ``--version`` and the group's ``--help`` before click is imported,
each with click's own output byte for byte, and hands everything else to click.

Each case runs the console script's ``entry.main`` and the full click path (``main.main``, what
``entry`` falls back to) as real processes under the same conditions and compares what a user
sees: exit code, stdout, stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from faasdrift.cli.app_state import AppState
from faasdrift.cli.main import cli

# Prints, on stderr once the run has ended, whether click was imported at all.
SCRIPT = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("click imported: %s" % ("click" in sys.modules)))
from faasdrift.cli.{module} import main
main(sys.argv[1:])
"""
MARK = "click imported: "
# Widths at which click renders the stored page (80 columns or more; a pipe counts as 80,
# and so does a COLUMNS that is not a positive number), and widths at which it does not.
STORED_WIDTH = [None, "80", "120", "200", "abc", "0", "-3"]
OTHER_WIDTH = ["40", "60", "79", "1"]


@dataclass(frozen=True)
class Ran:
    code: int
    out: bytes
    err: str  # without the line SCRIPT adds
    click_imported: bool


def clean_env(**changes: str | None) -> dict[str, str]:
    """This process's environment without what changes click's output, then ``changes``."""
    env = {name: value for name, value in os.environ.items() if name != "_FAASDRIFT_COMPLETE"}
    env.pop("COLUMNS", None)
    for name, value in changes.items():
        if value is not None:
            env[name] = value
    return env


def run(module: str, *args: str, env: dict[str, str] | None = None, **how: Any) -> Ran:
    """``module``'s ``main`` (``entry`` or ``main``) as a real process."""
    how = {"stdout": subprocess.PIPE, **how}
    command = [sys.executable, "-c", SCRIPT.format(module=module), *args]
    done = subprocess.run(
        command, env=env or clean_env(), stderr=subprocess.PIPE, check=False, timeout=60, **how
    )
    err, _, imported = done.stderr.decode().rpartition(MARK)
    assert imported in ("True", "False"), done.stderr
    return Ran(done.returncode, done.stdout or b"", err, imported == "True")


def entry(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", SCRIPT.format(module="entry"), *args]
    return subprocess.run(
        command, env=clean_env(), capture_output=True, text=True, check=False, timeout=60
    )


def test_version_is_clicks_line_without_importing_click() -> None:
    expected = CliRunner().invoke(cli, ["--version"], obj=AppState())
    answered = entry("--version")
    assert (answered.returncode, answered.stdout) == (0, expected.output)
    assert answered.stderr == "click imported: False"


def test_everything_else_goes_through_click() -> None:
    expected = CliRunner().invoke(cli, ["--debug", "--version"], obj=AppState())
    answered = entry("--debug", "--version")
    assert (answered.returncode, answered.stdout) == (0, expected.output)
    assert answered.stderr == "click imported: True"
    refused = entry("--versio")
    assert refused.returncode == 2
    assert "No such option '--versio'" in refused.stderr


@pytest.mark.parametrize("columns", STORED_WIDTH + OTHER_WIDTH)
def test_help_is_what_click_prints_at_every_width(columns: str | None) -> None:
    env = clean_env(COLUMNS=columns)
    full = run("main", "--help", env=env)
    assert (full.code, full.err, full.click_imported) == (0, "", True)
    assert full.out.startswith(b"Usage: faasdrift [OPTIONS] COMMAND [ARGS]...\n")
    for option in ("--help", "-h"):
        answered = run("entry", option, env=env)
        assert (answered.code, answered.out, answered.err) == (0, full.out, "")
        # Answered without click exactly where click renders the stored page.
        assert answered.click_imported == (columns in OTHER_WIDTH)


@pytest.mark.parametrize("columns", [None, "60", "120"])
def test_the_console_script_and_python_m_print_clicks_help(columns: str | None) -> None:
    env = clean_env(COLUMNS=columns)
    full = run("main", "--help", env=env)
    script = Path(sys.executable).with_name("faasdrift")
    assert script.is_file(), "the tests run from the venv faasdrift is installed in"
    for command in ([str(script)], [sys.executable, "-m", "faasdrift"]):
        for option in ("--help", "-h"):
            done = subprocess.run(
                [*command, option], env=env, capture_output=True, check=False, timeout=60
            )
            assert (done.returncode, done.stdout, done.stderr) == (0, full.out, b"")


@pytest.mark.parametrize(
    "args",
    [
        [],  # click's own "no command" error, exit 2
        ["--debug", "--help"],
        ["--help", "--debug"],
        ["--help", "--help"],
        ["check", "--help"],
        ["--HELP"],
        ["-H"],
    ],
)
def test_any_other_arguments_go_through_click(args: list[str]) -> None:
    full = run("main", *args)
    answered = run("entry", *args)
    assert answered == full
    assert answered.click_imported


def test_shell_completion_goes_through_click_whatever_the_arguments() -> None:
    env = clean_env(_FAASDRIFT_COMPLETE="bash_source")
    for args in (["--help"], ["-h"], ["--version"]):
        full = run("main", *args, env=env)
        answered = run("entry", *args, env=env)
        assert answered == full
        assert answered.code == 0
        assert b"_FAASDRIFT_COMPLETE" in answered.out
        assert answered.click_imported


def closed_stdout_run(module: str, *args: str) -> Ran:
    """``run`` with stdout closed before Python starts (``faasdrift --help >&-``)."""
    command = [sys.executable, "-c", SCRIPT.format(module=module), *args]
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *command],
        env=clean_env(),
        stderr=subprocess.PIPE,
        check=False,
        timeout=60,
    )
    err, _, imported = done.stderr.decode().rpartition(MARK)
    return Ran(done.returncode, b"", err, imported == "True")


@pytest.mark.parametrize("option", ["--help", "-h", "--version"])
def test_an_answer_that_cannot_be_written_fails_as_click_does(option: str) -> None:
    """Each answer falls back to click, which then fails exactly as it does alone."""
    # The reader has gone: click exits 1 on EPIPE, silently.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        full, answered = (run(module, option, stdout=write_end) for module in ("main", "entry"))
    finally:
        os.close(write_end)
    assert (answered.code, answered.err) == (full.code, full.err) == (1, "")
    # No stdout at all: click's echo prints nothing and the run succeeds.
    full, answered = (closed_stdout_run(module, option) for module in ("main", "entry"))
    assert (answered.code, answered.err) == (full.code, full.err) == (0, "")
    assert answered.click_imported
    if not Path("/dev/full").exists():
        return
    with open("/dev/full", "wb") as device:  # a full disk
        full, answered = (run(module, option, stdout=device) for module in ("main", "entry"))
    assert (answered.code, answered.err) == (full.code, full.err)
    assert full.code == 4
    assert "No space left on device" in full.err
