"""The GitHub Action (action.yml): its structure, and its steps run as the runner runs them
against the emulator, for check, gate and validate (``action_runner`` says how, and what it
cannot do on this machine)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
import tomllib
import yaml

import faasdrift
from faasdrift.cli.github_action import github_output_text
from tests.acceptance.action_runner import (
    ACTION,
    EXPRESSION,
    ROOT,
    ActionRunner,
    StepResult,
    base_python,
    clean_copy,
    parse_github_output,
    steps,
)
from tests.acceptance.conftest import (
    API_KEY,
    EmulatorFactory,
    desired,
    function,
    live_env,
    namespace,
)
from tests.unit.desired.test_at_ref import commit, git, write

GATE_APP = """\
defaults: {project_id: 1, region_id: 1, namespace: prod-api}
functions:
  - {name: hello, timeout: 5}
  - {name: orders, timeout: 5}
"""
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# --- the file itself ----------------------------------------------------------------------------


def test_the_action_is_composite_with_an_explicit_shell_on_every_run_step() -> None:
    assert ACTION["runs"]["using"] == "composite"
    setup, install, run = steps()
    assert setup["uses"].startswith("actions/setup-python@")
    for step in (install, run):
        assert step["shell"] == "bash"


def test_no_expression_is_ever_part_of_a_shell_line() -> None:
    """An expression in ``run`` is pasted into the script before bash reads it: an input (or a
    branch name) holding ``"; curl …`` would run. Everything goes through env instead."""
    for step in steps():
        assert EXPRESSION.search(step.get("run", "")) is None, step


def test_every_input_but_the_pythons_reaches_the_entry_point_through_env() -> None:
    run = steps()[2]
    passed = {
        name: EXPRESSION.fullmatch(value)["expression"]  # type: ignore[index]
        for name, value in run["env"].items()
    }
    expected = {
        "INPUT_" + name.upper().replace("-", "_"): f"inputs.{name}"
        for name in ACTION["inputs"]
        if name != "python-version"
    }
    assert passed == expected
    assert steps()[0]["with"]["python-version"] == "${{ inputs.python-version }}"


def test_no_secret_is_an_input_and_the_key_is_read_from_the_jobs_env() -> None:
    assert not [name for name in ACTION["inputs"] if re.search("key|token|secret", name)]
    assert "GCORE_API_KEY" not in json.dumps(ACTION)


def test_the_install_step_builds_with_the_setuptools_pyproject_requires() -> None:
    (requirement,) = PYPROJECT["build-system"]["requires"]
    assert f'"{requirement}"' in steps()[1]["run"]


def test_outputs_name_what_the_entry_point_writes() -> None:
    assert set(ACTION["outputs"]) == {
        "exit-code",
        "in-sync",
        "drifted",
        "missing",
        "not-checked",
        "unmanaged",
        "overwrites",
        "new",
        "json-report",
        "sarif-file",
        "version",
    }


def test_an_output_value_cannot_forge_another_output() -> None:
    forged = "x\nghadelimiter_0\nexit-code=0\nexit-code<<EOF\n0\nEOF"
    text = github_output_text({"exit-code": "1", "json-report": forged})
    assert parse_github_output(text) == {"exit-code": "1", "json-report": forged}


# --- running it ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> ActionRunner:
    """The action's setup and install steps, once for this module: a clean copy of the
    repository as the action path, faasdrift installed from it into the action's venv."""
    root = tmp_path_factory.mktemp("action")
    runner = ActionRunner(
        action_path=clean_copy(root / "action"),
        runner_temp=root / "runner-temp",
        step_outputs={"python": {"python-path": base_python()}},
    )
    runner.runner_temp.mkdir()
    workspace = root / "workspace"
    workspace.mkdir()
    result = runner.run_step(steps()[1], inputs={}, job_env={}, workspace=workspace)
    assert result.code == 0, result.stdout + result.stderr
    venv_python = runner.runner_temp / "faasdrift-venv" / "bin" / "python"
    where = subprocess.run(
        [str(venv_python), "-c", "import faasdrift; print(faasdrift.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
        cwd=runner.runner_temp,  # python -c puts the working directory first on sys.path
    ).stdout
    assert where.startswith(str(runner.runner_temp / "faasdrift-venv")), where  # not this tree
    return runner


def run_action(
    runner: ActionRunner,
    workspace: Path,
    inputs: Mapping[str, str],
    job_env: Mapping[str, str] = {},
) -> StepResult:
    runner.step_outputs.pop("faasdrift", None)
    result = runner.run_step(steps()[2], inputs=inputs, job_env=job_env, workspace=workspace)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def write_desired(workspace: Path, *functions: dict[str, object]) -> None:
    (workspace / "desired.yaml").write_text(yaml.safe_dump(desired(*functions)), encoding="utf-8")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    folder.mkdir()
    return folder


def test_check_reports_drift_sets_every_output_and_the_summary(
    installed: ActionRunner, workspace: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello", timeout=9), function("orders"))
    )
    write_desired(
        workspace,
        {"name": "hello", "timeout": 5},
        {"name": "orders", "timeout": 5},
        {"name": "gone", "timeout": 5},
    )
    inputs = {"paths": "desired.yaml", "sarif": "drift.sarif", "reports": "junit=drift.xml"}

    result = run_action(installed, workspace, inputs, live_env(emulator))

    assert result.code == 1, result.stderr
    outputs = installed.outputs()
    assert {name: outputs[name] for name in ("exit-code", "drifted", "missing", "in-sync")} == {
        "exit-code": "1",
        "drifted": "1",
        "missing": "1",
        "in-sync": "1",
    }
    assert outputs["not-checked"] == "0"
    assert outputs["version"] == faasdrift.__version__
    report = json.loads(Path(outputs["json-report"]).read_text(encoding="utf-8"))
    assert report["tool"]["version"] == faasdrift.__version__
    assert report["exit_code"] == 1
    assert outputs["sarif-file"] == "drift.sarif"
    sarif = json.loads((workspace / "drift.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["tool"]["driver"]["version"] == faasdrift.__version__
    assert (workspace / "drift.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert "prod-api/hello" in result.summary
    assert "::error file=desired.yaml," in result.stdout  # the default format: annotations


def test_check_in_sync_exits_0_and_counts_every_function_in_sync(
    installed: ActionRunner, workspace: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    write_desired(workspace, {"name": "hello", "timeout": 5})

    result = run_action(
        installed, workspace, {"paths": "desired.yaml", "summary": "false"}, live_env(emulator)
    )

    assert result.code == 0, result.stderr
    outputs = installed.outputs()
    assert (outputs["exit-code"], outputs["in-sync"], outputs["drifted"]) == ("0", "1", "0")
    assert result.summary == ""  # summary: false
    assert "sarif-file" not in outputs


def test_fail_on_none_and_args_reach_faasdrift(
    installed: ActionRunner, workspace: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello", timeout=9), function("stray"))
    )
    write_desired(workspace, {"name": "hello", "timeout": 5})
    inputs = {"paths": "desired.yaml", "fail-on": "none", "args": "--unmanaged --format text"}

    result = run_action(installed, workspace, inputs, live_env(emulator))

    assert result.code == 0, result.stderr
    outputs = installed.outputs()
    assert (outputs["drifted"], outputs["unmanaged"]) == ("1", "1")
    assert "- prod-api/stray  (project 1, region 1)  unmanaged" in result.stdout  # --format text


def test_a_refused_key_is_exit_3_with_the_outputs_that_say_so(
    installed: ActionRunner, workspace: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    write_desired(workspace, {"name": "hello", "timeout": 5})
    env = live_env(emulator, api_key="4242$another-key-entirely-0123")

    result = run_action(installed, workspace, {"paths": "desired.yaml"}, env)

    assert result.code == 3
    outputs = installed.outputs()
    assert outputs["exit-code"] == "3"
    assert "401" in result.stderr
    assert "another-key-entirely" not in result.stdout + result.stderr + result.summary


def test_validate_needs_no_key_and_no_network(installed: ActionRunner, workspace: Path) -> None:
    (workspace / "desired.yaml").write_text(
        "defaults: {project_id: 1, region_id: 1, namespace: prod-api}\n"
        "functions:\n  - {name: hello, runtime: '${RUNTIME}'}\n",
        encoding="utf-8",
    )

    result = run_action(installed, workspace, {"command": "validate", "paths": "desired.yaml"})

    assert result.code == 0, result.stderr
    assert result.stdout == "desired.yaml: ok, 1 function\n"
    assert installed.outputs() == {"exit-code": "0", "version": faasdrift.__version__}


def test_validate_of_a_bad_file_is_exit_2_with_its_position(
    installed: ActionRunner, workspace: Path
) -> None:
    (workspace / "desired.yaml").write_text(
        "defaults: {project_id: 1, region_id: 1, namespace: prod-api}\n"
        "functions:\n  - {name: hello, timeout: 500}\n",
        encoding="utf-8",
    )

    result = run_action(installed, workspace, {"command": "validate", "paths": "desired.yaml"})

    assert result.code == 2
    assert result.stderr.startswith("desired.yaml:3:28: functions[0].timeout: 500 is greater")
    assert installed.outputs()["exit-code"] == "2"


SECRET_LOOKING = "s3cr3t-input-value-that-must-not-be-echoed"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"command": SECRET_LOOKING}, "input 'command' must be one of check, gate, validate"),
        ({"summary": SECRET_LOOKING}, "input 'summary' must be true or false"),
        ({"paths": ""}, "input 'paths' names no desired file or folder"),
        ({"args": f"'{SECRET_LOOKING}"}, "input 'args' cannot be split into words"),
        ({"base-ref": SECRET_LOOKING}, "input 'base-ref' is for command gate only"),
        (
            {"command": "validate", "sarif": SECRET_LOOKING},
            "input 'sarif' is for commands check and gate; validate has none",
        ),
    ],
)
def test_a_bad_input_is_exit_2_naming_the_input_never_its_value(
    installed: ActionRunner, workspace: Path, inputs: dict[str, str], message: str
) -> None:
    result = run_action(installed, workspace, {"paths": "desired.yaml", **inputs})

    assert result.code == 2
    assert result.stderr.startswith(f"faasdrift: error: {message}")
    assert SECRET_LOOKING not in result.stdout + result.stderr
    assert installed.outputs()["exit-code"] == "2"
    assert SECRET_LOOKING not in json.dumps(installed.outputs())


def test_gate_at_a_base_ref_counts_the_hand_changes_a_deploy_would_overwrite(
    installed: ActionRunner, workspace: Path, start_emulator: EmulatorFactory
) -> None:
    git(workspace, "init", "-q", "-b", "main")
    write(workspace, "deploy/app.yaml", GATE_APP)
    commit(workspace, "deployed")
    git(workspace, "checkout", "-q", "-b", "feature")
    write(workspace, "deploy/app.yaml", GATE_APP.replace("timeout: 5", "timeout: 7", 1))
    commit(workspace, "hello takes 7 s")
    live = namespace("prod-api", function("hello", timeout=5), function("orders", timeout=30))
    env = live_env(start_emulator(live))  # orders: raised by hand from 5 to 30
    inputs = {"command": "gate", "paths": "deploy/", "base-ref": "main", "sarif": "gate.sarif"}

    result = run_action(installed, workspace, inputs, env)

    assert result.code == 1, result.stderr
    outputs = installed.outputs()
    assert (outputs["exit-code"], outputs["overwrites"], outputs["not-checked"]) == ("1", "1", "0")
    report = json.loads(Path(outputs["json-report"]).read_text(encoding="utf-8"))
    assert report["kind"] == "gate"
    assert report["tool"]["version"] == outputs["version"] == faasdrift.__version__
    assert outputs["sarif-file"] == "gate.sarif"
    assert (workspace / "gate.sarif").is_file()
    assert "prod-api/orders" in result.summary
    assert "drifted" not in outputs  # check's counts are not the gate's


def test_gate_without_a_base_is_exit_2_and_says_what_it_needs(
    installed: ActionRunner, workspace: Path
) -> None:
    write(workspace, "deploy/app.yaml", GATE_APP)

    result = run_action(
        installed, workspace, {"command": "gate", "paths": "deploy/"}, {"GCORE_API_KEY": API_KEY}
    )

    assert result.code == 2
    assert "--base PATH or --base-ref REF" in result.stderr
    assert installed.outputs() == {"exit-code": "2", "version": faasdrift.__version__}


def test_check_with_a_baseline_counts_only_the_new_findings(
    installed: ActionRunner, workspace: Path, start_emulator: EmulatorFactory
) -> None:
    live = namespace("prod-api", function("hello", timeout=9), function("orders", timeout=30))
    env = live_env(start_emulator(live))
    write_desired(workspace, {"name": "hello", "timeout": 5}, {"name": "orders", "timeout": 30})
    night_one = {"paths": "desired.yaml", "reports": "json=last.json", "fail-on": "none"}
    assert run_action(installed, workspace, night_one, env).code == 0
    assert "new" not in installed.outputs()  # no baseline, no memory
    # The file now wants orders at 5 s: its live 30 s is a finding last night did not have.
    write_desired(workspace, {"name": "hello", "timeout": 5}, {"name": "orders", "timeout": 5})

    result = run_action(
        installed, workspace, {"paths": "desired.yaml", "baseline": "last.json"}, env
    )

    assert result.code == 1, result.stderr
    outputs = installed.outputs()
    assert (outputs["exit-code"], outputs["drifted"], outputs["new"]) == ("1", "2", "1")
    report = json.loads(Path(outputs["json-report"]).read_text(encoding="utf-8"))
    assert report["totals"]["findings"]["new"] == 1
    assert report["totals"]["findings"]["known"] == 1
