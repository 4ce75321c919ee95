"""The part of the README's nightly workflow that is ours: the report fields its steps read.

Two real nights against the emulator write the JSON and Markdown reports; the workflow's exact
`jq` expressions (taken from the README, not copied here) and its `awk` section extraction run
against them. Without `jq` the same selections run in Python, and the jq runs are skipped.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.acceptance.conftest import WriteYaml, desired, run_faasdrift
from tests.acceptance.test_nightly_audit import Nights, night, nights  # noqa: F401 - a fixture

README = Path(__file__).parents[2] / "README.md"
DECLARED = desired(
    {"name": "alpha", "timeout": 5},
    {"name": "beta", "description": "Orders"},
    {"name": "gamma", "timeout": 5},
    {"name": "delta", "timeout": 5},
)
NIGHT_1 = {"alpha": {"timeout": 10}, "beta": {"description": "hotfix 1"}, "gamma": {}, "delta": {}}
NIGHT_2 = {**NIGHT_1, "beta": {"description": "hotfix 2"}, "gamma": {"timeout": 9}, "alpha": {}}


def workflow() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("# .github/workflows/faasdrift-nightly.yml")
    return text[start : text.index("```", start)]


def jq_expressions() -> list[str]:
    return re.findall(r"jq -r '([^']+)' \"\$report\"", workflow())


def awk_program() -> str:
    match = re.search(r"awk -v key=\"\$1\" '(.+?)' tonight/faasdrift.md", workflow(), re.DOTALL)
    assert match is not None
    return match.group(1)


def key(entry: dict[str, Any]) -> str:
    return f"{entry['project_id']}/{entry['region_id']}/{entry['namespace']}/{entry['name']}"


def in_python(report: dict[str, Any]) -> list[list[str]]:
    """The README's three selections: alarm, keep up to date, close."""
    alarms = [key(f) for f in report["functions"] if f.get("baseline") in {"new", "changed"}]
    open_ = [key(f) for f in report["functions"] if f["status"] != "in_sync"]
    resolved = sorted({key(item) for item in report["resolved"]})
    return [alarms, open_, [k for k in resolved if k not in open_]]


@pytest.fixture
def tonight(nights: Nights, write_yaml: WriteYaml, tmp_path: Path) -> Path:  # noqa: F811
    path = write_yaml("desired.yaml", DECLARED)
    last, out = tmp_path / "last" / "faasdrift.json", tmp_path / "tonight"
    last.parent.mkdir()
    out.mkdir()
    reports = ("--report", f"json={out / 'faasdrift.json'}", "--report", f"markdown={out}/f.md")
    night(nights.serve(NIGHT_1), "2026-11-20", path, "--baseline", last, *reports)
    shutil.copy(out / "faasdrift.json", last)
    run = night(nights.serve(NIGHT_2), "2026-11-21", path, "--baseline", last, *reports)
    assert run.code == 1, run.output
    return out


def test_the_selections_pick_alarms_open_issues_and_closes(tonight: Path) -> None:
    report = json.loads((tonight / "faasdrift.json").read_text())
    alarms, still_open, closes = in_python(report)
    assert alarms == ["1/1/prod-api/beta", "1/1/prod-api/gamma"]  # changed, new: one alarm each
    assert still_open == ["1/1/prod-api/beta", "1/1/prod-api/gamma"]
    assert closes == ["1/1/prod-api/alpha"]  # in sync again: its issue closes


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_readmes_jq_expressions_select_the_same(tonight: Path) -> None:
    report = tonight / "faasdrift.json"
    expressions = jq_expressions()
    assert len(expressions) == 3
    found = [
        subprocess.run(
            ["jq", "-r", expression, str(report)], capture_output=True, text=True, check=True
        ).stdout.split()
        for expression in expressions
    ]
    assert found == in_python(json.loads(report.read_text()))


@pytest.mark.skipif(shutil.which("awk") is None, reason="awk is not installed")
def test_the_readmes_awk_cuts_one_functions_section(tonight: Path) -> None:
    markdown = tonight / "f.md"
    section = subprocess.run(
        ["awk", "-v", "key=1/1/prod-api/beta", awk_program(), str(markdown)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert section[0].startswith("<!-- faasdrift:function 1/1/prod-api/beta fingerprints=")
    assert section[-1] == "<!-- faasdrift:end 1/1/prod-api/beta -->"
    assert any("CHANGED" in line for line in section)
    assert not any("gamma" in line for line in section)


def block(first_line: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(first_line)
    return text[start : text.index("```", start)]


@pytest.mark.parametrize(
    "first_line",
    ["# .github/workflows/faasdrift-nightly.yml", "# .gitlab-ci.yml\nfaasdrift-nightly"],
)
def test_the_nightly_workflows_are_yaml_and_use_only_real_options(first_line: str) -> None:
    text = block(first_line)
    assert isinstance(yaml.safe_load(text), dict)
    command = text[text.index("faasdrift check") :]
    options = set(re.findall(r"(--[a-z][a-z-]+)", command[: command.index("\n  ", 200)]))
    help_text = run_faasdrift("check", "--help").stdout
    assert options, command
    for option in options - {"--fail", "--silent", "--show-error", "--location", "--output"}:
        assert option in help_text, option
