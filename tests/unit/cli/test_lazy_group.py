"""`faasdrift --version` and `--help` must not load the heavy libraries (bench/ measures the time).

Checked in a fresh interpreter, since this test process has long imported everything.
"""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from faasdrift.cli import main as cli_main
from faasdrift.cli.lazy_group import LazyGroup, load

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
    "faasdrift.workflows.check",
)

PROBE = """
import contextlib, io, sys
from faasdrift.cli.app_state import AppState
from faasdrift.cli.main import run
with contextlib.redirect_stdout(io.StringIO()):
    code = run(AppState(), sys.argv[1:])
heavy = {heavy!r}
print(code, ",".join(name for name in heavy if name in sys.modules))
"""


@pytest.mark.parametrize("argument", ["--version", "--help"])
def test_version_and_help_load_nothing_heavy(argument: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), argument],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert completed.stdout.split(" ") == ["0", "\n"]


def test_the_listed_short_helps_are_the_commands_own() -> None:
    """The short helps written beside the names are those the loaded commands show."""
    root = cli_main.cli
    shared = {
        "help": root.help,
        "epilog": root.epilog,
        "context_settings": root.context_settings,
        "params": root.params,
    }
    lazy = LazyGroup("faasdrift", lazy_commands=cli_main.COMMANDS, **shared)  # nothing loaded
    loaded = click.Group(
        "faasdrift",
        commands={command.name: load(command) for command in cli_main.COMMANDS},
        **shared,
    )
    help_of = {
        group: CliRunner().invoke(group, ["--help"], prog_name="faasdrift").output
        for group in (lazy, loaded)
    }
    assert help_of[lazy] == help_of[loaded]
    assert not lazy.commands  # listing them imported none


def test_every_command_is_registered_under_its_own_name() -> None:
    for command in cli_main.COMMANDS:
        assert load(command).name == command.name
