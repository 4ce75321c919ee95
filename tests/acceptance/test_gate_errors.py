"""Every way a gate's input can be wrong, end to end: exit 2, one clear message, no traceback
(``run_faasdrift`` asserts that on every run), and not one request to the API.

The repository holds ``deploy/app.yaml`` on ``main``; each case runs in it (or in a plain folder,
or without git) with the arguments a user might get wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.acceptance.conftest import EmulatorFactory, function, live_env, namespace, run_faasdrift
from tests.unit.desired.test_at_ref import commit, git, write

APP = """\
defaults: {project_id: 1, region_id: 1, namespace: prod-api}
functions:
  - name: hello
    timeout: 5
"""
EMPTY = "defaults: {project_id: 1, region_id: 1, namespace: prod-api}\nfunctions: []\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    write(folder, "deploy/app.yaml", APP)
    write(folder, "empty/app.yaml", EMPTY)
    commit(folder)
    return folder


USAGE_ERRORS = {
    "no new files": (
        ("gate", "--base-ref", "main"),
        "faasdrift: error: Missing argument 'NEW...'.",
    ),
    "no base": (
        ("gate", "deploy/"),
        "faasdrift: error: gate needs the files as last deployed: --base PATH or --base-ref REF",
    ),
    "a ref git does not know": (
        ("gate", "deploy/", "--base-ref", "origin/mian"),
        "faasdrift: error: --base-ref 'origin/mian': no such commit in {repo}; is it fetched? "
        "(git fetch origin <branch>)",
    ),
    "a ref that is a file, not a commit": (
        ("gate", "deploy/", "--base-ref", "main:deploy/app.yaml"),
        "faasdrift: error: --base-ref 'main:deploy/app.yaml': no such commit in {repo}",
    ),
    "a ref that is an option": (
        ("gate", "deploy/", "--base-ref", "--output=/tmp/x"),
        "faasdrift: error: --base-ref '--output=/tmp/x' is not a git revision",
    ),
    "an empty ref": (
        ("gate", "deploy/", "--base-ref", ""),
        "faasdrift: error: --base-ref '' is not a git revision",
    ),
    "a base path outside the repository": (
        ("gate", "deploy/", "--base-ref", "main", "--base", "{outside}"),
        "faasdrift: error: --base-ref: {outside} is outside the git repository at {repo}",
    ),
    "a base file that does not exist": (
        ("gate", "deploy/", "--base", "deploy/gone.yaml"),
        "deploy/gone.yaml: does not exist",
    ),
    "a new file that does not exist": (
        ("gate", "deploy/gone.yaml", "--base-ref", "main"),
        "deploy/gone.yaml: does not exist",
    ),
    "neither state declares a function": (
        ("gate", "empty/", "--base-ref", "main"),
        "faasdrift: error: neither the new files (empty/app.yaml) nor the base "
        "(main:empty/app.yaml) declare a function: there is nothing to check",
    ),
    "a class --fail-on does not know": (
        ("gate", "deploy/", "--base-ref", "main", "--fail-on", "deploy"),
        "faasdrift: error: Invalid value for '--fail-on': unknown outcome 'deploy': use a comma "
        "list of overwrite, conflict, none",
    ),
    "a scope that selects nothing": (
        ("gate", "deploy/", "--base-ref", "main", "--only", "prod-api/helo"),
        "--only 'prod-api/helo' selects no declared function (did you mean 'prod-api/hello'?)",
    ),
}


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS.values(), ids=list(USAGE_ERRORS))
def test_a_usage_error_exits_2_with_its_message_before_any_request(
    repo: Path,
    tmp_path: Path,
    start_emulator: EmulatorFactory,
    args: tuple[str, ...],
    message: str,
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello", timeout=5)))
    outside = tmp_path / "elsewhere.yaml"
    argv = [arg.format(outside=outside) for arg in args]
    run = run_faasdrift(*argv, env=live_env(emulator), cwd=repo)
    assert run.code == 2, run.output
    assert message.format(repo=repo, outside=outside) in run.stderr
    assert run.stdout == ""
    assert emulator.requests == []


def test_outside_a_git_repository_the_base_ref_is_a_usage_error(
    tmp_path: Path, start_emulator: EmulatorFactory
) -> None:
    plain = tmp_path / "plain"
    write(plain, "app.yaml", APP)
    emulator = start_emulator(namespace("prod-api", function("hello", timeout=5)))
    run = run_faasdrift("gate", "app.yaml", "--base-ref", "main", env=live_env(emulator), cwd=plain)
    assert run.code == 2
    assert run.stderr.startswith(
        f"faasdrift: error: --base-ref needs a git repository: {plain}: fatal: not a git repository"
    )
    assert emulator.requests == []


def test_without_git_installed_the_base_ref_is_a_usage_error_and_base_still_works(
    repo: Path, tmp_path: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello", timeout=5)))
    no_git = {**live_env(emulator), "PATH": str(tmp_path / "nothing-here")}
    run = run_faasdrift("gate", "deploy/", "--base-ref", "main", env=no_git, cwd=repo)
    assert run.code == 2
    assert run.stderr == (
        "faasdrift: error: --base-ref needs git, which is not installed (or not on PATH)\n"
    )
    assert emulator.requests == []
    files = run_faasdrift("gate", "deploy/", "--base", "deploy/", env=no_git, cwd=repo)
    assert files.code == 0, files.output  # --base reads files: git is not needed


def test_a_path_absent_at_the_ref_is_a_first_deploy_not_an_error(
    repo: Path, start_emulator: EmulatorFactory
) -> None:
    write(repo, "next/app.yaml", APP.replace("hello", "fresh"))
    emulator = start_emulator(namespace("prod-api", function("hello", timeout=5)))
    run = run_faasdrift("gate", "next/", "--base-ref", "main", env=live_env(emulator), cwd=repo)
    assert run.code == 0, run.output
    assert "faasdrift: warning: main:next does not exist at main: an empty base" in run.stderr
    assert "+ prod-api/fresh  (project 1, region 1)  create" in run.stdout


def test_the_gates_help_gives_its_own_exit_codes_and_classes() -> None:
    run = run_faasdrift("gate", "--help")
    assert run.code == 0
    for line in (
        "0    safe to deploy: no hand change would be lost",
        "1    the deploy would overwrite or conflict with a hand change (--fail-on)",
        "2    invalid input or usage (either state's files, --base-ref, a bad option)",
        "3    gate incomplete (a function could not be checked, even with --fail-on none);",
        "overwrite  changed by hand, new = base: the deploy would revert it (fails)",
        "--base-ref REF",
    ):
        assert line in run.stdout
    assert "drift found" not in run.stdout  # check's meaning of 1 is not the gate's
    listing = run_faasdrift("--help").stdout
    assert "gate      Before a deploy: would applying NEW overwrite a change made" in listing
