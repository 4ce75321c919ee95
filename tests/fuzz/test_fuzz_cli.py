"""Property: whatever a desired file holds, `faasdrift check` exits 0, 1 or 2 and never crashes.

Run where users see it: the CLI's own entry point (in-process, for speed) against a live
emulator over a real socket. Exit 2 prints only problems that name file:line:col, then the count.
"""

from __future__ import annotations

import io
import os
import re
from unittest import mock

from hypothesis import event, given

from faasdrift.cli.app_state import AppState
from faasdrift.cli.console import Console
from faasdrift.cli.main import run
from faasdrift.emulator import Emulator
from tests.fuzz.conftest import FUZZ, SECRET, Workspace
from tests.fuzz.strategies import desired_files

SUMMARY = re.compile(r"faasdrift: (\d+) problems? found; nothing was checked")
# A valid file with no function in it (`functions: []`): one usage error, no line to point at.
NOTHING_DECLARED = re.compile(
    r"faasdrift: error: .* declares no function: there is nothing to check"
)


@FUZZ
@given(data=desired_files())
def test_check_exits_0_1_or_2_and_every_error_names_its_line(
    workspace: Workspace, emulator: Emulator, data: bytes
) -> None:
    path = workspace.write(data)
    out, err = io.StringIO(), io.StringIO()
    argv = ["check", str(path), "--no-color", "--base-url", emulator.url]
    argv += ["--api-key-file", str(workspace.key_file)]
    with mock.patch.dict(os.environ, {"FUZZ_VAR": "fuzz value"}):
        code = run(AppState(console=Console(stdout=out, stderr=err)), argv)
    output = out.getvalue() + err.getvalue()
    assert "Traceback" not in output
    assert code in (0, 1, 2), output
    event(f"exit {code}")  # --hypothesis-show-statistics shows that every outcome is reached
    assert SECRET not in output
    if code == 2 and NOTHING_DECLARED.fullmatch(err.getvalue().strip()):
        return
    if code == 2:
        *problems, summary = err.getvalue().splitlines()
        count = SUMMARY.fullmatch(summary)
        assert count is not None, summary
        assert int(count.group(1)) == len(problems)
        located = re.compile(rf"{re.escape(str(path))}:\d+:\d+: ")
        assert all(located.match(line) for line in problems), problems
