"""`faasdrift check` against the emulator: verdicts, report lines and exit codes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from faasdrift.emulator import Faults
from tests.acceptance.conftest import (
    API_KEY,
    FAASDRIFT,
    EmulatorFactory,
    WriteYaml,
    desired,
    function,
    live_env,
    namespace,
    run_faasdrift,
)


def test_in_sync_exits_0_and_lists_nothing_but_the_summary(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml(
        "desired.yaml", desired({"name": "hello", "timeout": 5, "envs": {"LOG_LEVEL": "info"}})
    )

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert run.code == 0, run.output
    assert run.stdout == "1 function: 1 in sync, 0 drifted, 0 missing, 0 not checked.\n"
    assert run.stderr == ""


def test_verbose_lists_in_sync_functions(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))

    run = run_faasdrift("check", "-v", path, env=live_env(emulator))

    assert run.code == 0
    assert "= prod-api/hello  (project 1, region 1)  in sync" in run.stdout


def test_each_kind_of_drift_exits_1_with_terraform_style_lines(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    live = function(
        "hello",
        timeout=10,
        envs={"LOG_LEVEL": "debug", "OLD_FLAG": "1"},
        autoscaling={"min_instances": 1, "max_instances": 5},
        code_text="def main():\n    return 'Hello'\n",
    )
    emulator = start_emulator(namespace("prod-api", live))
    path = write_yaml(
        "desired.yaml",
        desired(
            {
                "name": "hello",
                "timeout": 5,
                "envs": {"LOG_LEVEL": "info", "FEATURE_X": "on"},
                "autoscaling": {"min_instances": 1, "max_instances": 2},
                "code_text": "def main():\n    return 'Hello World'\n",
            }
        ),
    )

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert run.code == 1, run.output
    lines = run.stdout.splitlines()
    assert lines[0] == f"~ prod-api/hello  (project 1, region 1)  {path}:7"
    assert "    ~ timeout: 10 -> 5" in lines
    assert '    ~ envs.LOG_LEVEL: "debug" -> "info"' in lines
    assert '    + envs.FEATURE_X: "on"  (declared, not live)' in lines
    assert '    - envs.OLD_FLAG: "1"  (live, not declared)' in lines
    assert "    ~ autoscaling.max_instances: 5 -> 2" in lines
    assert "    ~ code_text:" in lines
    assert "        -    return 'Hello'" in lines
    assert "        +    return 'Hello World'" in lines
    assert lines[-1] == "1 function: 0 in sync, 1 drifted, 0 missing, 0 not checked."


def test_only_declared_fields_are_compared(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello", flavor="other", envs={"X": "y"}))
    )
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert run.code == 0, run.output


def test_trailing_newline_from_a_yaml_block_is_not_drift_unless_strict(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello", code_text="print(1)")))
    path = write_yaml(
        "desired.yaml",
        "defaults: {project_id: 1, region_id: 1, namespace: prod-api}\n"
        "functions:\n  - name: hello\n    code_text: |\n      print(1)\n",
    )

    assert run_faasdrift("check", path, env=live_env(emulator)).code == 0
    strict = run_faasdrift("check", "--strict", path, env=live_env(emulator))
    assert strict.code == 1
    assert "\\ No newline at end of file" in strict.stdout


def test_missing_function_is_drift(start_emulator: EmulatorFactory, write_yaml: WriteYaml) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}, {"name": "resize"}))

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert run.code == 1
    assert (
        "! prod-api/resize  (project 1, region 1)  missing: no such function in Gcore" in run.stdout
    )
    assert run.stdout.endswith("2 functions: 1 in sync, 0 drifted, 1 missing, 0 not checked.\n")


def test_server_error_on_one_function_exits_3_and_still_reports_the_others(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello", timeout=9), function("broken"), function("fine")),
        faults=Faults(function_errors={"broken": 500}),
    )
    path = write_yaml(
        "desired.yaml",
        desired(
            {"name": "hello", "timeout": 5}, {"name": "broken", "timeout": 5}, {"name": "fine"}
        ),
    )

    run = run_faasdrift(
        "check", "--fetch", "per-function", "--max-retries", "0", path, env=live_env(emulator)
    )

    assert run.code == 3, run.output
    assert "~ prod-api/hello" in run.stdout
    assert "    ~ timeout: 9 -> 5" in run.stdout
    assert (
        "? prod-api/broken  (project 1, region 1)  not checked: HTTP 500 from Gcore" in run.stdout
    )
    assert "request id" in run.stdout
    assert run.stdout.endswith("3 functions: 1 in sync, 1 drifted, 0 missing, 1 not checked.\n")


def test_malformed_body_makes_that_function_not_checked(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello")), faults=Faults(malformed=frozenset({"hello"}))
    )
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))

    run = run_faasdrift("check", "--fetch", "per-function", path, env=live_env(emulator))

    assert run.code == 3
    assert "? prod-api/hello" in run.stdout
    assert "not JSON" in run.stdout


@pytest.mark.parametrize(
    "key", ["4242$wrong-secret-value", "4242$acceptance-secret-key-but-longer"]
)
def test_wrong_key_exits_3_and_never_shows_the_key(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, key: str
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello"}, {"name": "other"}))

    run = run_faasdrift("check", path, env=live_env(emulator, api_key=key))

    assert run.code == 3
    assert "Gcore rejected the API key: HTTP 401" in run.stderr
    assert "request id" in run.stderr
    assert key not in run.output
    assert key.partition("$")[2] not in run.output
    assert run.stdout == ""
    # The run stops at the first refusal instead of hammering the API with a bad key.
    assert len(emulator.requests) == 1


def test_unreachable_base_url_exits_3(write_yaml: WriteYaml, unused_port: int) -> None:
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))
    env = {"GCORE_API_KEY": API_KEY, "GCORE_BASE_URL": f"http://127.0.0.1:{unused_port}"}

    run = run_faasdrift("check", "--connect-timeout", "2", "--max-retry-wait", "0", path, env=env)

    assert run.code == 3
    assert (
        "? prod-api/hello  (project 1, region 1)  not checked: could not list namespace prod-api:"
        f" cannot connect to 127.0.0.1:{unused_port}: " in run.stdout
    )
    assert "; gave up after 3 retries" in run.stdout


def test_a_full_check_sends_only_get_requests_with_the_api_key_scheme(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello"), function("a-b-c")))
    path = write_yaml(
        "desired.yaml",
        desired({"name": "hello", "timeout": 1}, {"name": "a-b-c"}, {"name": "gone"}),
    )

    run = run_faasdrift("check", "--fetch", "per-function", path, env=live_env(emulator))

    assert run.code == 1
    assert {request.method for request in emulator.requests} == {"GET"}
    assert all(request.has_auth for request in emulator.requests)
    # Concurrent GETs arrive in any order; "gone" makes faasdrift ask whether its namespace exists.
    assert sorted(request.path for request in emulator.requests) == [
        "/cloud/v1/faas/namespaces/1/1/prod-api",
        "/cloud/v1/faas/namespaces/1/1/prod-api/functions/a-b-c",
        "/cloud/v1/faas/namespaces/1/1/prod-api/functions/gone",
        "/cloud/v1/faas/namespaces/1/1/prod-api/functions/hello",
    ]


def test_ctrl_c_exits_130_promptly_without_a_half_written_report(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")), faults=Faults(latency=30.0))
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))
    env = {**os.environ, **live_env(emulator)}
    process = subprocess.Popen(
        [*FAASDRIFT, "check", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 10
    while not emulator.requests and time.monotonic() < deadline:
        time.sleep(0.02)  # wait until the request is in flight
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=5)

    assert process.returncode == 130
    assert stdout == ""
    # click starts a fresh line after the terminal's ^C; then our one line.
    assert stderr.strip() == "faasdrift: interrupted"


def test_make_demo_script_shows_real_drift() -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("GCORE_API_KEY", None)
    completed = subprocess.run(
        ["bash", "examples/demo.sh"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "~ prod-api/hello  (project 1, region 1)" in completed.stdout
    assert (
        "! media/thumbnail  (project 1, region 1)  missing: no such function in Gcore"
        in completed.stdout
    )
    assert (
        "~ prod-api/billing-webhook  (project 1, region 1)  examples/desired.yaml:36\n"
        "    ~ disabled: true -> false\n"
    ) in completed.stdout
    assert "5 functions: 1 in sync, 3 drifted, 1 missing, 0 not checked." in completed.stdout
    assert "Traceback" not in completed.stdout + completed.stderr
    first = completed.stdout.splitlines()[0]
    assert re.fullmatch(
        r"\$ GCORE_API_KEY='1234\$key-for-the-emulator' GCORE_BASE_URL=http://127\.0\.0\.1:\d+ "
        r"faasdrift check examples/desired\.yaml",
        first,
    ), first
    assert completed.stdout.endswith(
        "faasdrift exited 1: drift found, which is what this demo shows (0 means in sync)\n"
    )
