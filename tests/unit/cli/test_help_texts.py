"""What ``--help`` says: each command its own exit codes, every option a help text, and the
README's tables of options and exit codes true to the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from faasdrift.cli.app_state import AppState
from faasdrift.cli.lazy_group import load
from faasdrift.cli.main import COMMANDS, cli, run

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")


def help_of(name: str) -> str:
    result = CliRunner().invoke(cli, [name, "--help"], obj=AppState(), terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("name", ["import", "snapshot"])
def test_import_and_snapshot_show_their_own_exit_codes_not_checks(name: str) -> None:
    text = help_of(name)
    assert "all functions in sync" not in text
    assert "drift found" not in text
    assert re.search(r"^\s+3\s+", text, flags=re.MULTILINE)


def test_imports_exit_codes_say_what_each_means_for_an_import() -> None:
    text = help_of("import")
    assert "0    every function of the namespaces was imported" in text
    assert "nothing is written" in text


def test_snapshots_exit_3_says_the_snapshot_is_written() -> None:
    assert "the snapshot is written and records why" in help_of("snapshot")


def test_checks_exit_1_names_unmanaged_functions_and_2_an_empty_scope() -> None:
    text = " ".join(help_of("check").split())
    assert "1 drift found (changed or missing functions, or with --unmanaged live functions" in text
    assert "a scope that selects nothing" in text


def test_project_and_region_are_not_marked_required_and_name_their_variables() -> None:
    text = help_of("import")
    lines = [line for line in text.splitlines() if "--project-id" in line or "--region-id" in line]
    assert len(lines) == 2
    assert all("[required]" not in line for line in lines)
    assert "GCORE_CLOUD_PROJECT_ID" in lines[0]
    assert "GCORE_CLOUD_REGION_ID" in lines[1]


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (
            ["import", "--namespace", "x"],
            {},
            "no project id: pass --project-id or set GCORE_CLOUD_PROJECT_ID",
        ),
        (
            ["import", "--namespace", "x"],
            {"GCORE_CLOUD_PROJECT_ID": "1"},
            "no region id: pass --region-id or set GCORE_CLOUD_REGION_ID",
        ),
    ],
)
def test_a_missing_project_or_region_names_the_option_and_the_variable(
    argv: list[str],
    env: dict[str, str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("GCORE_CLOUD_PROJECT_ID", "GCORE_CLOUD_REGION_ID", "GCORE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    code = run(AppState(), argv)

    assert code == 2
    assert capsys.readouterr().err == f"faasdrift: error: {message}\n"


def commands() -> list[click.Command]:
    return [load(command) for command in COMMANDS]


@pytest.mark.parametrize("command", commands(), ids=lambda command: command.name)
def test_every_option_of_every_command_has_a_help_text(command: click.Command) -> None:
    silent = [
        param.opts[0]
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden and not (param.help or "").strip()
    ]
    assert silent == []


def test_the_readme_lists_every_option_of_check() -> None:
    table = README[README.index("Options of `faasdrift check`") :]
    table = table[: table.index("\n\n", table.index("| option |"))]
    check = next(command for command in commands() if command.name == "check")
    options = [
        option
        for param in check.params
        if isinstance(param, click.Option) and not param.hidden
        for option in param.opts
        if option.startswith("--")
    ]
    missing = [option for option in options if f"`{option}" not in table]
    assert missing == []


def test_the_readmes_exit_code_table_is_one_table() -> None:
    section = README[README.index("### Exit codes") :]
    rows = re.findall(r"^\| (\d+) \|", section[: section.index("`--fail-on`")], re.MULTILINE)
    assert rows == ["0", "1", "2", "3", "4", "130", "143"]
    table = section[section.index("| code |") : section.index("| 143 |")]
    assert "\n\n" not in table


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_as_the_readme_documents_it(shell: str) -> None:
    assert f"_FAASDRIFT_COMPLETE={shell}_source faasdrift" in README
    script = subprocess.run(
        [sys.executable, "-m", "faasdrift"],
        env={**os.environ, "_FAASDRIFT_COMPLETE": f"{shell}_source"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert script.returncode == 0
    assert "_FAASDRIFT_COMPLETE" in script.stdout
    assert "complete" in script.stdout


def test_completion_completes_commands_and_their_options() -> None:
    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_FAASDRIFT_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        done = subprocess.run(
            [sys.executable, "-m", "faasdrift"], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.split()

    assert complete("faasdrift ch") == ["plain,check"]
    assert complete("faasdrift check --fail-on-") == ["plain,--fail-on-age"]
