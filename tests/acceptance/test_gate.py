"""`faasdrift gate` end to end: the real process against the emulator over real sockets.

One estate holds every case of the table at once: a timeout raised by hand (overwrite), an env
var changed by hand and in the new file (conflict), an autoscaling key adopted into the new file,
a planned flavor change, a field no longer declared, a function deleted by hand, one made by
hand that the new file takes over, one to create, one to delete.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faasdrift.emulator import Faults
from faasdrift.judge.three_way import TAKE_OVER
from faasdrift.report.formats import REPORTER_BY_NAME
from tests.acceptance.conftest import (
    EmulatorFactory,
    WriteYaml,
    function,
    live_env,
    namespace,
    run_faasdrift,
)
from tests.unit.report.schemas import assert_valid_junit, valid_gate_report, valid_sarif

BASE = """\
defaults: {project_id: 1, region_id: 1, namespace: prod-api}
functions:
  - name: hello
    timeout: 5
    envs: {LOG_LEVEL: info}
    autoscaling: {min_instances: 1, max_instances: 2}
    description: managed
  - name: orders
    flavor: 80mCPU-128MB
  - name: gone
    timeout: 5
  - name: legacy
    timeout: 5
"""

NEW = """\
defaults: {project_id: 1, region_id: 1, namespace: prod-api}
functions:
  - name: hello
    timeout: 5
    envs: {LOG_LEVEL: warning}
    autoscaling: {min_instances: 1, max_instances: 5}
  - name: orders
    flavor: 160mCPU-256MB
  - name: gone
    timeout: 5
  - name: tmp-debug
    timeout: 5
  - name: resize
    timeout: 5
"""


def estate() -> dict[str, object]:
    return namespace(
        "prod-api",
        function(
            "hello",
            timeout=30,
            envs={"LOG_LEVEL": "debug"},
            autoscaling={"min_instances": 1, "max_instances": 5},
            description="edited by hand",
        ),
        function("orders", flavor="80mCPU-128MB"),
        function("legacy", timeout=9),
        function("tmp-debug", timeout=60),
    )


@pytest.fixture
def gate_files(write_yaml: WriteYaml) -> tuple[Path, Path]:
    return write_yaml("base.yaml", BASE), write_yaml("new.yaml", NEW)


EXPECTED_TEXT = """\
! prod-api/hello  (project 1, region 1)  conflict
    ! conflict   envs.LOG_LEVEL: base "info", live "debug", new "warning"
    ! overwrite  timeout: base 5, live 30, new 5
    = adopted    autoscaling.max_instances: base 2, live 5, new 5
    = released   description: base "managed", live "edited by hand", new (not declared)
! prod-api/gone  (project 1, region 1)  overwrite: deleted by hand: the deploy would recreate it
! prod-api/tmp-debug  (project 1, region 1)  conflict: {take_over}
    ! conflict   timeout: base (not declared), live 60, new 5
~ prod-api/orders  (project 1, region 1)  deploy
    ~ deploy     flavor: base "80mCPU-128MB", live "80mCPU-128MB", new "160mCPU-256MB"
+ prod-api/resize  (project 1, region 1)  create
- prod-api/legacy  (project 1, region 1)  delete
    - delete     timeout: base 5, live 9, new (not declared)

Base: {base}
6 functions: 2 conflict, 1 overwrite, 0 not checked, 1 create, 1 delete, 1 deploy.
The deploy would overwrite or conflict with 4 hand changes.
"""


def test_every_class_of_the_table_in_one_gate(
    start_emulator: EmulatorFactory, gate_files: tuple[Path, Path]
) -> None:
    base, new = gate_files
    emulator = start_emulator(estate())
    run = run_faasdrift("gate", new, "--base", base, env=live_env(emulator))
    assert run.code == 1, run.output
    assert run.stdout == EXPECTED_TEXT.format(base=base, take_over=TAKE_OVER)
    assert run.stderr == ""
    assert {request.method for request in emulator.requests} == {"GET"}


def test_every_report_of_the_gate_is_valid_and_points_at_the_new_file(
    start_emulator: EmulatorFactory, gate_files: tuple[Path, Path], tmp_path: Path
) -> None:
    base, new = gate_files
    emulator = start_emulator(estate())
    reports = [f"--report={name}={tmp_path / f'gate.{name}'}" for name in REPORTER_BY_NAME]
    summary = tmp_path / "summary.md"
    env = {**live_env(emulator), "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    args = ("gate", new, "--base", base, "--format", "auto", "--step-summary", *reports)
    run = run_faasdrift(*args, env=env)
    assert run.code == 1, run.output
    annotation = next(line for line in run.stdout.splitlines() if "timeout overwrite" in line)
    assert annotation.startswith(f"::error file={new},line=4,col=14,")  # auto: github in Actions
    document = valid_gate_report((tmp_path / "gate.json").read_text())
    assert document["kind"] == "gate"
    assert document["base"] == {"source": str(base), "ref": None, "commit": None}
    hello = document["functions"][0]
    assert [(c["path"], c["class"], c["line"]) for c in hello["changes"]] == [
        ("envs.LOG_LEVEL", "conflict", 5),
        ("timeout", "overwrite", 4),
        ("autoscaling.max_instances", "adopted", 6),
        ("description", "released", 3),
    ]
    sarif = valid_sarif((tmp_path / "gate.sarif").read_text())
    rules = [result["ruleId"] for result in sarif["runs"][0]["results"]]
    assert rules == ["FD102", "FD101", "FD103", "FD102"]
    assert_valid_junit((tmp_path / "gate.junit").read_text())
    markdown = summary.read_text()
    assert markdown.startswith("## faasdrift gate: the deploy would lose hand changes\n")
    assert (tmp_path / "gate.markdown").read_text() == markdown


def test_a_safe_deploy_passes_and_quiet_says_nothing(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    base = write_yaml("base.yaml", BASE.split("  - name: orders", maxsplit=1)[0])
    adopting = NEW.split("  - name: orders", maxsplit=1)[0].replace("warning", "debug")
    new = write_yaml("new.yaml", adopting)  # takes the hand changes in, but the timeout
    env = live_env(start_emulator(estate()))
    assert run_faasdrift("gate", new, "--base", base, env=env).code == 1
    only_conflicts = run_faasdrift("gate", new, "--base", base, "--fail-on", "conflict", env=env)
    assert only_conflicts.code == 0, only_conflicts.output  # an overwrite does not count then
    hello = function("hello", timeout=5, envs={"LOG_LEVEL": "debug"}, description="managed")
    fixed = live_env(start_emulator(namespace("prod-api", hello, function("billing"))))
    billing = "  - name: billing\n    timeout: 5\n"
    base = write_yaml("base.yaml", base.read_text() + billing)
    new = write_yaml("new.yaml", new.read_text() + billing)
    quiet = run_faasdrift("gate", new, "--base", base, "-q", env=fixed)
    assert quiet.code == 0, quiet.output
    assert quiet.stdout == ""
    plain = run_faasdrift("gate", new, "--base", base, env=fixed)
    assert "! " not in plain.stdout
    assert plain.stdout.endswith("Safe to deploy: no hand change would be lost.\n")
    assert "billing" not in plain.stdout
    verbose = run_faasdrift("gate", new, "--base", base, "-v", env=fixed)
    assert "= prod-api/billing  (project 1, region 1)  unchanged\n" in verbose.stdout


def test_fail_on_chooses_what_fails_and_none_only_reports(
    start_emulator: EmulatorFactory, gate_files: tuple[Path, Path]
) -> None:
    base, new = gate_files
    env = live_env(start_emulator(estate()))
    report_only = run_faasdrift("gate", new, "--base", base, "--fail-on", "none", env=env)
    assert report_only.code == 0, report_only.output
    assert "The deploy would overwrite or conflict with 4 hand changes." in report_only.stdout
    bad = run_faasdrift("gate", new, "--base", base, "--fail-on", "drift", env=env)
    assert bad.code == 2
    assert "Invalid value for '--fail-on': unknown outcome 'drift'" in bad.stderr


def test_a_function_not_checked_makes_the_gate_incomplete_even_reporting_only(
    start_emulator: EmulatorFactory, gate_files: tuple[Path, Path]
) -> None:
    base, new = gate_files
    emulator = start_emulator(estate(), faults=Faults(function_errors={"orders": 500}))
    args = ("gate", new, "--base", base, "--fetch", "per-function", "--max-retries", "0")
    for fail_on in ("overwrite,conflict", "none"):
        run = run_faasdrift(*args, "--fail-on", fail_on, env=live_env(emulator))
        assert run.code == 3, run.output
        assert "? prod-api/orders  (project 1, region 1)  not checked: HTTP 500" in run.stdout
        assert "! overwrite  timeout: base 5, live 30, new 5" in run.stdout  # all still shown
        assert run.stdout.endswith("it cannot call this deploy safe.\n")


def test_an_ignore_rule_of_the_new_file_accepts_an_overwrite_with_its_reason(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    base = write_yaml("base.yaml", BASE.split("  - name: orders", maxsplit=1)[0])
    rule = "ignore:\n  - {path: timeout, reason: raised during the incident, until: 2999-12-31}\n"
    new_text = NEW.split("  - name: orders", maxsplit=1)[0].replace("warning", "debug")
    new = write_yaml("new.yaml", new_text.replace("functions:\n", rule + "functions:\n"))
    emulator = start_emulator(estate())
    run = run_faasdrift("gate", new, "--base", base, env=live_env(emulator))
    assert run.code == 0, run.output
    assert (
        "    # overwrite  timeout: base 5, live 30, new 5  ignored: raised during the incident"
        in run.stdout
    )
    assert "1 hand change ignored." in run.stdout


def test_bad_input_in_either_file_is_reported_together_before_any_request(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    base = write_yaml("base.yaml", BASE.replace("timeout: 5\n    envs", "timeout: 500\n    envs"))
    new = write_yaml("new.yaml", NEW.replace("flavor: 160", "flavr: 160"))
    emulator = start_emulator(estate())
    run = run_faasdrift("gate", new, "--base", base, env=live_env(emulator))
    assert run.code == 2
    assert (
        f"{base}:4:14: functions[0].timeout: 500 is greater than the maximum of 180" in run.stderr
    )
    assert f"{new}:8:5: functions[1]: unknown key 'flavr' (did you mean 'flavor'?)" in run.stderr
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "gate needs the files as last deployed: --base PATH or --base-ref REF"),
        (("--base", "nope.yaml"), "nope.yaml: does not exist"),
        (("--base", "base.yaml", "--only", "prod-api/helo"), "--only 'prod-api/helo' selects no"),
        (("--base", "base.yaml", "--report", "xml=out"), "unknown format 'xml'"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(
    start_emulator: EmulatorFactory,
    gate_files: tuple[Path, Path],
    args: tuple[str, ...],
    message: str,
) -> None:
    _, new = gate_files
    emulator = start_emulator(estate())
    run = run_faasdrift("gate", new.name, *args, env=live_env(emulator), cwd=new.parent)
    assert run.code == 2, run.output
    assert message in run.stderr
    assert emulator.requests == []


def test_the_gate_uses_checks_bulk_fetch_one_list_per_namespace(
    start_emulator: EmulatorFactory, gate_files: tuple[Path, Path]
) -> None:
    base, new = gate_files
    emulator = start_emulator(estate())
    run = run_faasdrift("gate", new, "--base", base, "--format", "json", env=live_env(emulator))
    assert run.code == 1, run.output
    lists = [
        request for request in emulator.requests if request.path.endswith("/prod-api/functions")
    ]
    gets = [request for request in emulator.requests if "/functions/" in request.path]
    assert (len(lists), gets) == (1, [])
    document = json.loads(run.stdout)
    assert document["totals"]["functions"] == 6
