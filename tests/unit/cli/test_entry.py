"""The console script answers ``--version`` before click is imported, with click's own line."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from faasdrift.cli.app_state import AppState
from faasdrift.cli.main import cli

# Prints, on stderr once the run has ended, whether click was imported at all.
SCRIPT = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("click imported: %s" % ("click" in sys.modules)))
from faasdrift.cli.entry import main
main(sys.argv[1:])
"""


def entry(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", SCRIPT, *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)


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
