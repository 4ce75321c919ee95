"""The error boundary: each failure maps to its exit code and one redacted line."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from faasdrift.cli.app_state import AppState
from faasdrift.cli.console import Console
from faasdrift.cli.error_boundary import Terminated
from faasdrift.cli.main import run
from faasdrift.errors import AuthenticationError, ExitCode
from faasdrift.workflows import check

KEY = "77$boundary-secret-key"


def run_cli(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, raised: BaseException
) -> tuple[int, str, str]:
    """Run `faasdrift <argv>` in process with the check stage raising ``raised``."""

    def explode(*_: object, **__: object) -> None:
        raise raised

    monkeypatch.setattr(check, "run_check", explode)
    monkeypatch.setenv("GCORE_API_KEY", KEY)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run(AppState(console=Console(stdout=stdout, stderr=stderr)), argv)
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def desired_file(tmp_path: Path) -> str:
    path = tmp_path / "desired.yaml"
    path.write_text(
        "defaults: {project_id: 1, region_id: 1, namespace: ns}\nfunctions: [{name: fn}]\n"
    )
    return str(path)


def test_unexpected_exception_is_one_line_asking_for_a_report(
    monkeypatch: pytest.MonkeyPatch, desired_file: str
) -> None:
    code, stdout, stderr = run_cli(
        ["check", desired_file], monkeypatch, RuntimeError(f"boom {KEY}")
    )
    assert code == ExitCode.INTERNAL == 4
    assert stdout == ""
    assert len(stderr.splitlines()) == 1
    assert "internal error: RuntimeError: boom ***" in stderr
    assert "please report it" in stderr
    assert "Traceback" not in stderr
    assert "boundary-secret-key" not in stderr


def test_debug_adds_the_traceback_still_redacted(
    monkeypatch: pytest.MonkeyPatch, desired_file: str
) -> None:
    for argv in (["--debug", "check", desired_file], ["check", "--debug", desired_file]):
        code, _, stderr = run_cli(argv, monkeypatch, RuntimeError(f"boom {KEY}"))
        assert code == 4
        assert stderr.startswith("Traceback (most recent call last):")
        assert "boundary-secret-key" not in stderr


def test_keyboard_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch, desired_file: str) -> None:
    code, stdout, stderr = run_cli(["check", desired_file], monkeypatch, KeyboardInterrupt())
    assert code == ExitCode.INTERRUPTED == 130
    assert stdout == ""
    assert stderr == "faasdrift: interrupted\n"


def test_authentication_error_exits_3_with_the_server_message(
    monkeypatch: pytest.MonkeyPatch, desired_file: str
) -> None:
    error = AuthenticationError(401, "Bad permanent token: 77", "req-1")
    code, stdout, stderr = run_cli(["check", desired_file], monkeypatch, error)
    assert code == ExitCode.INCOMPLETE == 3
    assert stdout == ""
    assert stderr == (
        "faasdrift: error: Gcore rejected the API key: HTTP 401: "
        "Bad permanent token: 77 (request id req-1)\n"
    )


def test_sigterm_exits_143_with_one_line(
    monkeypatch: pytest.MonkeyPatch, desired_file: str
) -> None:
    code, stdout, stderr = run_cli(["check", desired_file], monkeypatch, Terminated())
    assert code == ExitCode.TERMINATED == 143
    assert (stdout, stderr) == ("", "faasdrift: terminated (SIGTERM)\n")


def test_a_server_message_with_escapes_and_commands_is_one_inert_line(
    monkeypatch: pytest.MonkeyPatch, desired_file: str
) -> None:
    error = AuthenticationError(401, "\x1b[2J\x1b[31mrm\n::error::forged ##[add-mask]x", None)
    _, _, stderr = run_cli(["check", desired_file], monkeypatch, error)
    assert stderr == (
        "faasdrift: error: Gcore rejected the API key: HTTP 401: "
        "\\x1b[2J\\x1b[31mrm\nfaasdrift: error: ::error::forged ##\\[add-mask]x\n"
    )


class FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(28, "No space left on device")


def test_a_full_stdout_is_one_clear_line_not_an_internal_error(tmp_path: Path) -> None:
    stderr = io.StringIO()
    app = AppState(console=Console(stdout=FullDisk(), stderr=stderr))
    code = run(app, ["schema"])
    assert code == ExitCode.USAGE
    assert stderr.getvalue() == (
        "faasdrift: error: cannot write the report to standard output: No space left on device\n"
    )


def test_no_command_shows_the_groups_help_as_lines_and_exits_2() -> None:
    script = Path(sys.executable).with_name("faasdrift")
    alone = subprocess.run([str(script)], capture_output=True, text=True, check=False, timeout=60)
    helped = subprocess.run(
        [str(script), "--debug", "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    assert (alone.returncode, alone.stdout) == (ExitCode.USAGE, "")
    assert alone.stderr == helped.stdout  # the page click prints for --help, line for line
    assert alone.stderr.startswith("Usage: faasdrift [OPTIONS] COMMAND [ARGS]...\n")
    assert "\\n" not in alone.stderr


def test_a_command_without_its_argument_is_still_one_error_line() -> None:
    stderr = io.StringIO()
    code = run(AppState(console=Console(stdout=io.StringIO(), stderr=stderr)), ["check"])
    assert code == ExitCode.USAGE
    assert stderr.getvalue() == (
        "faasdrift: error: Missing argument 'DESIRED...'.\nTry 'faasdrift check --help' for help.\n"
    )
