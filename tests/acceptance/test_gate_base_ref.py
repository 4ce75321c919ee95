"""`faasdrift gate DIR --base-ref REF` in a real git repository, as a pull request's job runs it.

main holds the files as last deployed; the pull request's branch changes one function's code
file. Live, another function's code was hot-fixed by hand. Only a base read at main, code files
included, tells the planned change (deploy) from the hand change (overwrite).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.acceptance.conftest import EmulatorFactory, function, live_env, namespace, run_faasdrift
from tests.unit.desired.test_at_ref import commit, git, write
from tests.unit.report.schemas import valid_gate_report

APP = """\
defaults: {project_id: 1, region_id: 1, namespace: prod-api}
functions:
  - name: hello
    code_file: handlers/hello.py
  - name: orders
    code_file: handlers/orders.py
"""
HELLO_V1, HELLO_V2 = "def main():\n    return 'v1'\n", "def main():\n    return 'v2'\n"
ORDERS, ORDERS_HOTFIX = "def main():\n    return 'o1'\n", "def main():\n    return 'o1 fixed'\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    write(folder, "deploy/app.yaml", APP)
    write(folder, "deploy/handlers/hello.py", HELLO_V1)
    write(folder, "deploy/handlers/orders.py", ORDERS)
    commit(folder, "deployed")
    git(folder, "checkout", "-q", "-b", "feature")
    write(folder, "deploy/handlers/hello.py", HELLO_V2)  # the pull request's change
    commit(folder, "hello v2")
    return folder


@pytest.fixture
def hot_fixed(start_emulator: EmulatorFactory) -> dict[str, str]:
    live = namespace(
        "prod-api",
        function("hello", code_text=HELLO_V1),
        function("orders", code_text=ORDERS_HOTFIX),
    )
    return live_env(start_emulator(live))


def test_a_pull_request_gate_tells_the_planned_change_from_the_hand_change(
    repo: Path, hot_fixed: dict[str, str]
) -> None:
    run = run_faasdrift("gate", "deploy/", "--base-ref", "main", env=hot_fixed, cwd=repo)
    assert run.code == 1, run.output
    assert run.stdout.startswith(
        "! prod-api/orders  (project 1, region 1)  overwrite\n"
        "    ! overwrite  code_text: changed by hand; the deploy would revert it "
        "(text: see the diff)\n"
        "        --- live\n"
        "        +++ new\n"
    )
    assert "~ prod-api/hello  (project 1, region 1)  deploy\n" in run.stdout
    commit_id = git(repo, "rev-parse", "main")
    assert f"Base: main:deploy/app.yaml (commit {commit_id[:12]})\n" in run.stdout
    document = valid_gate_report(
        run_faasdrift(
            "gate", "deploy/", "--base-ref", "main", "--format", "json", env=hot_fixed, cwd=repo
        ).stdout
    )
    assert document["base"] == {
        "source": "main:deploy/app.yaml",
        "ref": "main",
        "commit": commit_id,
    }


def test_the_base_is_read_at_the_ref_not_from_the_working_tree(
    repo: Path, hot_fixed: dict[str, str]
) -> None:
    write(repo, "deploy/handlers/orders.py", ORDERS_HOTFIX)  # adopted, not yet committed
    run = run_faasdrift("gate", "deploy/", "--base-ref", "main", env=hot_fixed, cwd=repo)
    assert run.code == 0, run.output
    assert "= adopted    code_text: changed by hand, as the new files have it" in run.stdout
    assert "~ prod-api/hello  (project 1, region 1)  deploy" in run.stdout
    # Had feature been deployed, its v2 code would be the base: live v1 is then a hand change.
    later = run_faasdrift("gate", "deploy/", "--base-ref", "feature", env=hot_fixed, cwd=repo)
    assert later.code == 1, later.output
    assert later.stdout.startswith("! prod-api/hello  (project 1, region 1)  overwrite\n")


def test_base_paths_at_the_ref_may_differ_from_the_new_ones(
    repo: Path, hot_fixed: dict[str, str]
) -> None:
    git(repo, "mv", "deploy", "infra")
    commit(repo, "moved")
    run = run_faasdrift(
        "gate", "infra/", "--base-ref", "main", "--base", "deploy/", env=hot_fixed, cwd=repo
    )
    assert run.code == 1, run.output
    assert "Base: main:deploy/app.yaml (commit " in run.stdout
    assert "! prod-api/orders  (project 1, region 1)  overwrite" in run.stdout


def test_a_first_deploy_has_an_empty_base(repo: Path, start_emulator: EmulatorFactory) -> None:
    write(repo, "new/app.yaml", APP.replace("handlers/", "../deploy/handlers/"))
    env = live_env(start_emulator(namespace("prod-api", function("orders", code_text=ORDERS))))
    run = run_faasdrift(
        "gate", "new/", "--base-ref", "main", "--allow-outside-paths", env=env, cwd=repo
    )
    assert run.code == 0, run.output
    assert "+ prod-api/hello  (project 1, region 1)  create" in run.stdout
    assert (
        "= prod-api/orders  (project 1, region 1)  adopted: live, but not in the base" in run.stdout
    )
    assert "faasdrift: warning: main:new does not exist at main: an empty base" in run.stderr
    taken = live_env(start_emulator(namespace("prod-api", function("orders", code_text="x"))))
    over = run_faasdrift(
        "gate", "new/", "--base-ref", "main", "--allow-outside-paths", env=taken, cwd=repo
    )
    assert over.code == 1, over.output  # made by hand, never deployed from here: taken over
    assert (
        "! prod-api/orders  (project 1, region 1)  conflict: live, but not in the base"
        in over.stdout
    )


def test_a_shallow_clone_without_the_base_ref_is_a_usage_error_that_says_why(
    repo: Path, tmp_path: Path, hot_fixed: dict[str, str]
) -> None:
    clone = tmp_path / "clone"
    args = ("clone", "-q", "--depth", "1", "--branch", "feature", repo.as_uri(), str(clone))
    git(tmp_path, *args)
    run = run_faasdrift("gate", "deploy/", "--base-ref", "origin/main", env=hot_fixed, cwd=clone)
    assert run.code == 2
    assert run.stderr.startswith("faasdrift: error: --base-ref 'origin/main': no such commit in ")
    assert (
        "this clone is shallow: fetch the ref first (actions/checkout: fetch-depth: 0" in run.stderr
    )
    missing = run_faasdrift("gate", "deploy/", "--base-ref", "nope", env=hot_fixed, cwd=repo)
    assert missing.code == 2
    assert "--base-ref 'nope': no such commit in" in missing.stderr
    plain = tmp_path / "plain"
    write(plain, "app.yaml", APP.replace("code_file: handlers/hello.py", "timeout: 5"))
    outside = run_faasdrift("gate", "app.yaml", "--base-ref", "main", env=hot_fixed, cwd=plain)
    assert outside.code == 2
    assert outside.stderr.startswith(
        f"faasdrift: error: --base-ref needs a git repository: {plain}: "
    )


def test_a_problem_in_the_base_at_the_ref_names_it_there(
    repo: Path, hot_fixed: dict[str, str]
) -> None:
    git(repo, "checkout", "-q", "main")
    write(repo, "deploy/handlers/orders.py", "")
    (repo / "deploy" / "handlers" / "orders.py").unlink()
    commit(repo, "orders' code lost")
    git(repo, "checkout", "-q", "feature")
    run = run_faasdrift("gate", "deploy/", "--base-ref", "main", env=hot_fixed, cwd=repo)
    assert run.code == 2
    assert (
        "main:deploy/app.yaml:6:16: functions[1].code_file: cannot read 'handlers/orders.py' "
        "(main:deploy/handlers/orders.py): does not exist"
    ) in run.stderr
    assert "nothing was checked" in run.stderr
