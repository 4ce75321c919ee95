"""CI outputs through the real process against the emulator: every format, --report files,
--fail-on, --quiet, the step summary, ${VAR} interpolation, and secrets kept out of all of it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from faasdrift.report.formats import REPORTER_BY_NAME
from tests.acceptance.conftest import (
    EmulatorFactory,
    WriteYaml,
    function,
    live_env,
    namespace,
    run_faasdrift,
)
from tests.unit.report.schemas import assert_valid_junit, valid_json_report, valid_sarif

DESIRED_SECRET = "desired-hunter2-from-ci-secret"
LIVE_SECRET = "live-hunter3-rotated-by-hand"
DSN_DESIRED = "postgres://app:pw-desired-dsn@db/app"
DSN_LIVE = "postgres://app:pw-live-dsn@db/app"
SALT_DESIRED, SALT_LIVE = "salt-desired-value", "salt-live-value"
SECRETS = (DESIRED_SECRET, LIVE_SECRET, DSN_DESIRED, DSN_LIVE, SALT_DESIRED, SALT_LIVE)

DRIFTED_YAML = """\
defaults: {project_id: 1, region_id: 1, namespace: prod-api}
functions:
  - name: hello
    timeout: 5
    envs: {LOG_LEVEL: info}
  - name: gone
    timeout: 5
"""

SECRET_YAML = """\
defaults: {project_id: 1, region_id: 1, namespace: prod-api}
functions:
  - name: billing
    envs:
      DB_PASSWORD: ${DB_PASSWORD}
      DATABASE_URL: "${DATABASE_URL}"
      SALT: salt-desired-value
      LOG_LEVEL: info
    sensitive: [SALT]
"""


@pytest.fixture
def drifted(start_emulator: EmulatorFactory, write_yaml: WriteYaml) -> tuple[Path, dict[str, str]]:
    live = function("hello", timeout=10, envs={"LOG_LEVEL": "debug"})
    emulator = start_emulator(namespace("prod-api", live))
    return write_yaml("desired.yaml", DRIFTED_YAML), live_env(emulator)


@pytest.mark.parametrize("format_name", sorted(REPORTER_BY_NAME))
def test_each_format_on_stdout(format_name: str, drifted: tuple[Path, dict[str, str]]) -> None:
    path, env = drifted
    run = run_faasdrift("check", "--format", format_name, path, env=env)
    assert run.code == 1, run.output
    assert run.stderr == ""
    CHECK_STDOUT[format_name](run.stdout, str(path))


def _json(stdout: str, source: str) -> None:
    document = valid_json_report(stdout)
    assert document["source"] == source
    assert document["exit_code"] == 1
    assert [f["status"] for f in document["functions"]] == ["drifted", "missing"]
    timeout = document["functions"][0]["changes"][1]
    assert (timeout["path"], timeout["desired"], timeout["live"], timeout["line"]) == (
        "timeout",
        5,
        10,
        4,
    )


def _junit(stdout: str, source: str) -> None:
    assert_valid_junit(stdout)
    suite = ET.fromstring(stdout).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "2", "0")


def _sarif(stdout: str, source: str) -> None:
    results = valid_sarif(stdout)["runs"][0]["results"]
    assert [result["ruleId"] for result in results] == ["FD001", "FD001", "FD004"]
    region = results[1]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 4, "startColumn": 14}


def _github(stdout: str, source: str) -> None:
    prefix = f"::error file={source},line=4,col=14,title=prod-api/hello%3A timeout drifted::"
    assert f"{prefix}timeout: 10 -> 5 (live -> desired)\n" in stdout
    assert stdout.startswith("::group::~ prod-api/hello")


def _markdown(stdout: str, source: str) -> None:
    assert stdout.startswith("## faasdrift: drift found\n")
    assert "| `prod-api/gone` | 1 | 1 | missing: no such function in Gcore |" in stdout


def _text(stdout: str, source: str) -> None:
    assert "    ~ timeout: 10 -> 5\n" in stdout


CHECK_STDOUT: dict[str, Callable[[str, str], None]] = {
    "json": _json,
    "junit": _junit,
    "sarif": _sarif,
    "github": _github,
    "markdown": _markdown,
    "text": _text,
}


def test_reports_are_written_and_fail_on_none_still_writes_them(
    drifted: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, env = drifted
    reports = [f"--report={name}={tmp_path / ('out.' + name)}" for name in REPORTER_BY_NAME]
    run = run_faasdrift("check", "--fail-on", "none", *reports, path, env=env)
    assert run.code == 0, run.output
    assert "2 functions: 0 in sync, 1 drifted, 1 missing" in run.stdout
    assert valid_json_report((tmp_path / "out.json").read_text())["exit_code"] == 0
    assert_valid_junit((tmp_path / "out.junit").read_text())
    valid_sarif((tmp_path / "out.sarif").read_text())
    for name in REPORTER_BY_NAME:
        assert (tmp_path / f"out.{name}").stat().st_size > 0


@pytest.mark.parametrize(
    ("fail_on", "code"), [("missing", 1), ("drift", 1), ("not_checked", 0), ("drift,missing", 1)]
)
def test_fail_on_picks_what_fails(
    drifted: tuple[Path, dict[str, str]], fail_on: str, code: int
) -> None:
    path, env = drifted
    assert run_faasdrift("check", "--fail-on", fail_on, path, env=env).code == code


def test_an_unwritable_report_fails_before_any_request(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", DRIFTED_YAML)
    target = tmp_path / "no-such-dir" / "drift.xml"
    run = run_faasdrift("check", "--report", f"junit={target}", path, env=live_env(emulator))
    assert run.code == 2
    assert run.stderr == (
        f"faasdrift: error: --report junit={target}: the directory {target.parent} does not exist\n"
    )
    assert run.stdout == ""
    assert emulator.requests == []


def test_quiet_is_silent_in_sync_and_speaks_on_drift(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello", timeout=10)))
    in_sync = write_yaml("in-sync.yaml", DRIFTED_YAML.replace("timeout: 5", "timeout: 10", 1))
    in_sync.write_text(in_sync.read_text().split("  - name: gone")[0].replace("debug", "info"))
    run = run_faasdrift("check", "-q", in_sync, env=live_env(emulator))
    assert (run.code, run.stdout, run.stderr) == (0, "", "")
    drift = write_yaml("drift.yaml", DRIFTED_YAML)
    assert (
        "~ timeout: 10 -> 5" in run_faasdrift("check", "-q", drift, env=live_env(emulator)).stdout
    )


def test_auto_and_the_step_summary_inside_github_actions(
    drifted: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, env = drifted
    summary = tmp_path / "step-summary.md"
    actions = {**env, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    run = run_faasdrift("check", "--format", "auto", "--step-summary", path, env=actions)
    assert run.code == 1
    assert run.stdout.startswith("::group::")
    assert summary.read_text().startswith("## faasdrift: drift found\n")


def test_no_secret_reaches_any_output(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    envs = {"DB_PASSWORD": LIVE_SECRET, "DATABASE_URL": DSN_LIVE, "SALT": SALT_LIVE}
    emulator = start_emulator(namespace("prod-api", function("billing", envs=envs)))
    path = write_yaml("desired.yaml", SECRET_YAML)
    summary = tmp_path / "summary.md"
    env = {
        **live_env(emulator),
        "DB_PASSWORD": DESIRED_SECRET,
        "DATABASE_URL": DSN_DESIRED,
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    reports = [f"--report={name}={tmp_path / name}" for name in REPORTER_BY_NAME]
    outputs: list[str] = []
    for format_name in [*REPORTER_BY_NAME, "auto"]:
        run = run_faasdrift(
            "check", "-v", "--format", format_name, "--step-summary", *reports, path, env=env
        )
        assert run.code == 1, run.output
        stdout = run.stdout
        if format_name in {"github", "auto"}:  # the runner consumes these lines; nobody sees them
            assert f"::add-mask::{LIVE_SECRET}\n" in stdout
            stdout = "".join(
                line for line in stdout.splitlines(True) if not line.startswith("::add-mask::")
            )
        outputs += [stdout, run.stderr]
        outputs += [(tmp_path / name).read_text() for name in REPORTER_BY_NAME]
    outputs.append(summary.read_text())
    assert "envs.DB_PASSWORD: (sensitive, changed)" in outputs[0]
    for secret in SECRETS:
        assert not [text for text in outputs if secret in text], secret


def test_interpolation_errors_name_the_variable_and_the_line(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("billing")))
    path = write_yaml("desired.yaml", SECRET_YAML)
    run = run_faasdrift("check", path, env={**live_env(emulator), "DB_PASSWORD": "x"})
    assert run.code == 2
    assert run.stderr == (
        f"{path}:6:21: functions[0].envs.DATABASE_URL: environment variable DATABASE_URL is not "
        "set (give a default with ${DATABASE_URL:-default})\n"
        "faasdrift: 1 problem found; nothing was checked\n"
    )
    assert emulator.requests == []


def test_escaped_references_and_defaults_compare_as_written(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    live = function("hello", description="costs ${PRICE}", flavor="80mCPU-128MB")
    emulator = start_emulator(namespace("prod-api", live))
    path = write_yaml(
        "desired.yaml",
        "defaults: {project_id: 1, region_id: 1, namespace: prod-api}\n"
        "functions:\n"
        "  - name: hello\n"
        '    description: "costs $${PRICE}"\n'
        '    flavor: "${FLAVOR:-80mCPU-128MB}"\n',
    )
    run = run_faasdrift("check", "--format", "json", path, env=live_env(emulator))
    assert run.code == 0, run.output
    assert json.loads(run.stdout)["functions"][0]["status"] == "in_sync"
