"""`faasdrift --version` and `--help` must not load the heavy libraries (bench/ measures the time).

Checked in a fresh interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import subprocess
import sys

from faasdrift import emulator

HEAVY = (
    "asyncio",
    "deepdiff",
    "http.server",
    "httpx",
    "jsonschema",
    "tenacity",
    "yaml",
    "faasdrift.live.client",
    "faasdrift.emulator.server",
)

PROBE = f"""
import sys
import faasdrift.cli.main as cli
cli._register_commands()
print(",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def test_registering_the_commands_loads_nothing_heavy() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=30, check=True
    )
    assert completed.stdout.strip() == ""


def test_the_emulator_package_still_exports_everything() -> None:
    for name in emulator.__all__:
        assert getattr(emulator, name).__name__ == name
    assert not hasattr(emulator, "nothing_of_that_name")
