"""What a new user meets first: keys that cannot be Gcore keys, values from the environment
that are ordinary words, and the wording of counts (issue 15, "first-use frictions")."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.acceptance.conftest import (
    EmulatorFactory,
    WriteYaml,
    desired,
    function,
    live_env,
    namespace,
    run_faasdrift,
)


@pytest.mark.parametrize("key", ["x", "test", "1$abc", "secret-key-without-an-id"])
def test_a_key_that_cannot_be_a_gcore_key_is_refused_before_any_request(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, key: str
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))

    run = run_faasdrift("check", path, "--format", "junit", env=live_env(emulator, key))

    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "faasdrift: error: GCORE_API_KEY is not a Gcore API key: a Gcore permanent API token "
        "is its numeric id, '$' (or '_') and a secret of at least 16 characters, as the Gcore "
        "Customer Portal shows it once, when the token is created\n"
    )
    assert emulator.requests == []


def test_a_key_pasted_with_its_apikey_prefix_is_told_faasdrift_adds_it(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))
    env = live_env(emulator, "APIKey 4242$acceptance-secret-key")

    run = run_faasdrift("check", path, env=env)

    assert run.code == 2
    assert "faasdrift adds the 'APIKey ' prefix to each request itself" in run.stderr
    assert "acceptance-secret-key" not in run.output
    assert emulator.requests == []


# Values a ${VAR} may take that are also the syntax of a format: JSON literals and keys, XML
# element names, SARIF keys, GitHub command names. Each one is a secret (it came from the
# environment), and none may break a document it is redacted from.
WORDS = ("null", "true", "testsuites", "exit_code", "error", "results", "status")


def test_values_from_the_environment_never_break_a_reports_syntax(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello", envs={f"V{i}": "live" for i in range(7)}))
    )
    envs = {f"V{index}": f"${{WORD{index}}}" for index in range(len(WORDS))}
    path = write_yaml("desired.yaml", desired({"name": "hello", "envs": envs}))
    words = {f"WORD{index}": word for index, word in enumerate(WORDS)}
    reports = {name: tmp_path / f"report.{name}" for name in ("json", "junit", "sarif")}

    run = run_faasdrift(
        "check",
        path,
        "--format",
        "json",
        *(f"--report={name}={target}" for name, target in reports.items()),
        env={**live_env(emulator), **words},
    )

    assert run.code == 1
    report = json.loads(run.stdout)
    assert report["exit_code"] == 1
    assert report["functions"][0]["status"] == "drifted"
    assert json.loads(reports["json"].read_text()) == report | {
        "generated_at": json.loads(reports["json"].read_text())["generated_at"]
    }
    assert ET.fromstring(reports["junit"].read_text()).tag == "testsuites"
    sarif = json.loads(reports["sarif"].read_text())
    assert len(sarif["runs"][0]["results"]) == len(WORDS)
    changes = report["functions"][0]["changes"]
    assert [change["path"] for change in changes] == [f"envs.V{i}" for i in range(len(WORDS))]
    assert all(change["sensitive"] and "desired" not in change for change in changes)


def test_values_from_the_environment_never_break_github_commands(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello", timeout=9)))
    path = write_yaml("desired.yaml", desired({"name": "hello", "description": "${WORD}"}))
    env = {**live_env(emulator), "WORD": "error", "GITHUB_ACTIONS": "true"}

    run = run_faasdrift("check", path, "--format", "github", env=env)

    assert run.code == 1
    commands = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert any("error file=" in line and "title=" in line for line in commands), run.stdout
    assert "***" not in run.stdout.replace("(sensitive, changed)", "")


PLACEHOLDERS = """\
defaults: {project_id: 1, region_id: 1, namespace: prod-api}
functions:
  - name: hello
    runtime: ${RUNTIME}
    flavor: ${FLAVOR}
    main_method: ${MAIN}
    description: "v${VERSION}"
    timeout: ${TIMEOUT}
    disabled: ${DISABLED}
    enable_api_key: ${KEYS_ON}
    envs: {DB_PASSWORD: "${DB_PASSWORD}"}
    autoscaling: {min_instances: "${MIN}", max_instances: 2}
  - name: world
    code_file: ${HANDLER}
"""


def test_validate_takes_unset_variables_as_placeholders_in_every_field(
    write_yaml: WriteYaml,
) -> None:
    path = write_yaml("desired.yaml", PLACEHOLDERS)

    run = run_faasdrift("validate", path)

    assert run.code == 0, run.output
    assert run.stdout == f"{path}: ok, 2 functions\n"
    assert run.stderr == ""


def test_require_env_still_reports_each_unset_variable(write_yaml: WriteYaml) -> None:
    path = write_yaml("desired.yaml", PLACEHOLDERS)

    run = run_faasdrift("validate", "--require-env", path)

    assert run.code == 2
    lines = run.stderr.splitlines()
    assert len(lines) == 11
    assert all("is not set (give a default with" in line for line in lines[:-1])
    assert lines[-1] == "faasdrift: 10 problems found; 1 of 1 file not valid"


def test_a_placeholder_hides_no_problem_of_a_value_that_is_known(write_yaml: WriteYaml) -> None:
    text = PLACEHOLDERS.replace("max_instances: 2", "max_instances: 99")
    path = write_yaml("desired.yaml", text)
    good = write_yaml("good.yaml", PLACEHOLDERS)

    run = run_faasdrift("validate", path, good, env={"TIMEOUT": "five"})

    assert run.code == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        f"{path}:8:14: functions[0].timeout: '${{TIMEOUT}}' is a string, not an integer",
        f"{path}:12:59: functions[0].autoscaling.max_instances: 99 is greater than the maximum"
        " of 50",
        f"{good}:8:14: functions[0].timeout: '${{TIMEOUT}}' is a string, not an integer",
        "faasdrift: 3 problems found; 2 of 2 files not valid",
    ]


def test_check_never_takes_an_unset_variable_as_a_placeholder(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello", "runtime": "${RUNTIME}"}))

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert run.code == 2
    assert "environment variable RUNTIME is not set" in run.stderr
    assert run.stderr.endswith("faasdrift: 1 problem found; nothing was checked\n")
    assert emulator.requests == []
