"""What a release rests on: the licence, the changelog, one version, and make targets that install
what their names promise."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
import tomllib
import yaml

import faasdrift

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_licence_file_is_the_mit_licence_pyproject_declares() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["project"]["license"] == "MIT"
    assert licence.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in licence
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]


def test_the_version_has_one_source_the_package_itself() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project
    assert project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "faasdrift.__version__"
    }
    # The installed metadata was built from that attribute (make reinstalls when it changes).
    assert installed_version("faasdrift") == faasdrift.__version__


def test_the_version_is_a_release_number() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", faasdrift.__version__)


def test_the_changelog_heads_with_this_version_in_keep_a_changelog_form() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog\n")
    assert "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)" in changelog
    releases = re.findall(r"^## \[([^\]]+)\] - (.+)$", changelog, flags=re.MULTILINE)
    assert releases, "no release heading"
    newest_version, newest_date = releases[0]
    assert newest_version == faasdrift.__version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}|Unreleased", newest_date)
    sections = re.findall(r"^### (.+)$", changelog, flags=re.MULTILINE)
    allowed = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    assert sections
    assert set(sections) <= allowed


def make_dry_run(target: str, tmp_path: Path) -> str:
    """The commands ``make TARGET`` would run on a fresh machine (a venv that does not exist)."""
    completed = subprocess.run(
        ["make", "--dry-run", "--always-make", target, f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def pip_installs(commands: str) -> list[str]:
    return [line for line in commands.splitlines() if "pip install" in line and "-e" in line]


@pytest.mark.parametrize("target", ["demo", "install"])
def test_demo_and_install_install_only_the_runtime_dependencies(
    target: str, tmp_path: Path
) -> None:
    installs = pip_installs(make_dry_run(target, tmp_path))
    assert len(installs) == 1
    assert re.search(r"pip install --quiet -e \. ", installs[0]), installs[0]
    assert "[" not in installs[0]  # no extra: no pytest, ruff, mypy or hypothesis


@pytest.mark.parametrize("target", ["test", "lint"])
def test_test_and_lint_add_their_tools(target: str, tmp_path: Path) -> None:
    installs = pip_installs(make_dry_run(target, tmp_path))
    assert len(installs) == 1
    assert "-e '.[test,lint]'" in installs[0]


def test_dist_builds_with_the_standard_frontend_and_checks_with_twine(tmp_path: Path) -> None:
    commands = make_dry_run("dist", tmp_path)
    installs = pip_installs(commands)
    assert len(installs) == 1
    assert "-e '.[dist]'" in installs[0]
    assert re.search(r"bin/python -m build --outdir dist \.$", commands, flags=re.MULTILINE)
    assert re.search(r"bin/python -m twine check --strict dist/\*$", commands, re.MULTILINE)


def test_build_and_twine_are_a_dist_extra_never_runtime_dependencies() -> None:
    project = PYPROJECT["project"]
    runtime = " ".join(project["dependencies"]).lower()
    assert "build" not in runtime
    assert "twine" not in runtime
    dist = " ".join(project["optional-dependencies"]["dist"]).lower()
    assert "build>=" in dist
    assert "twine>=" in dist


def test_version_option_prints_the_package_version() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "faasdrift", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout == f"faasdrift, version {faasdrift.__version__}\n"


def test_the_pre_commit_example_pins_a_commit_that_exists(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme[readme.index("# .pre-commit-config.yaml") :]
    example = example[: example.index("```")]
    config = yaml.safe_load(example)
    (repo,) = config["repos"]
    assert re.fullmatch(r"[0-9a-f]{40}", repo["rev"]), "pin a full commit SHA, not a tag"
    exists = subprocess.run(
        ["git", "cat-file", "-e", f"{repo['rev']}^{{commit}}"], cwd=ROOT, check=False
    )
    assert exists.returncode == 0, f"{repo['rev']} is no commit of this repository"
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in repo["hooks"]] == [hooks[0]["id"]]
