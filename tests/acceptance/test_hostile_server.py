"""A hostile or broken API server against the real process: bounded, on time, nothing leaked.

Each fault is one the emulator injects over a real socket (``Faults``): a decompression bomb,
a server that trickles, one that hangs past the run's deadline, a list that claims a million
functions in 9 MB pages, a server echoing the key it was sent, a lone surrogate in a value.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from faasdrift.emulator import BodyFault, Emulator, Faults
from tests.acceptance.conftest import (
    DEFAULTS,
    FAASDRIFT,
    EmulatorFactory,
    function,
    live_env,
    namespace,
    run_faasdrift,
)

PER_FUNCTION = ("--fetch", "per-function", "--max-retries", "0")


@pytest.fixture
def desired(tmp_path: Path) -> Path:
    path = tmp_path / "desired.yaml"
    path.write_text(json.dumps({"defaults": DEFAULTS, "functions": [{"name": "hello"}]}))
    return path


def served(start: EmulatorFactory, **faults: object) -> Emulator:
    return start(namespace("prod-api", function("hello")), faults=Faults(**faults))  # type: ignore[arg-type]


def test_a_decompression_bomb_is_refused_at_the_cap(
    desired: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = served(start_emulator, bomb={"hello"}, bomb_bytes=256 * 1024 * 1024)
    run = run_faasdrift("check", desired, *PER_FUNCTION, env=live_env(emulator))
    assert run.code == 3, run.output
    assert "not checked: invalid response: body larger than 20 MB, refused" in run.stdout


def test_a_string_that_never_ends_in_a_body_of_too_many_values_is_counted_in_one_pass(
    desired: Path, start_emulator: EmulatorFactory
) -> None:
    # The count once tried 2**n ways to read n letters of an unterminated string: this hung.
    body = b"[" + b"1," * 300_000 + b'"' + b"a" * 60
    emulator = served(start_emulator, bodies={"hello": body})
    run = run_faasdrift("check", desired, *PER_FUNCTION, env=live_env(emulator))
    assert run.code == 3, run.output
    assert "not checked: invalid response: more than 300,000 JSON values, refused" in run.stdout


def test_a_bomb_instead_of_a_list_falls_back_to_a_get(
    desired: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = served(start_emulator, list_faults={"prod-api": BodyFault.BOMB})
    run = run_faasdrift("check", desired, env=live_env(emulator))
    assert run.code == 0, run.output
    assert [request.path.rsplit("/", 1)[-1] for request in emulator.requests] == [
        "functions",
        "hello",
    ]


def test_a_server_trickling_its_answer_is_cut_off_at_the_whole_answer_deadline(
    desired: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = served(start_emulator, trickle={"hello"}, trickle_seconds=0.05)
    options = ("--connect-timeout", "0.5", "--read-timeout", "0.5")
    run = run_faasdrift("check", desired, *PER_FUNCTION, *options, env=live_env(emulator))
    assert run.code == 3, run.output
    assert "not checked: timed out after 1 s (the whole answer)" in run.stdout


def test_the_run_s_deadline_reports_the_rest_not_checked(
    desired: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = served(start_emulator, hang={"hello"}, hang_seconds=30)
    started = time.monotonic()
    run = run_faasdrift("check", desired, *PER_FUNCTION, "--deadline", "1", env=live_env(emulator))
    assert time.monotonic() - started < 20  # not a timing claim: only that it did not wait 30 s
    assert run.code == 3, run.output
    assert (
        "not checked: the run's deadline (--deadline 1 s) passed before it was checked"
        in run.stdout
    )
    assert run.stderr.splitlines()[-1] == (
        "faasdrift: warning: the run's deadline passed: 1 function not checked"
    )


def test_a_list_claiming_a_million_functions_is_given_up_after_its_first_page(
    desired: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = served(start_emulator, list_count_extra=10**6, list_page_padding=9_000_000)
    run = run_faasdrift("check", desired, env=live_env(emulator))
    assert run.code == 0, run.output  # the GET of the function decides
    assert len(emulator.requests) == 2
    unmanaged = run_faasdrift("check", desired, "--unmanaged", env=live_env(emulator))
    assert unmanaged.code == 3, unmanaged.output
    assert (
        "faasdrift: warning: unmanaged functions in 1/1/prod-api not checked: its list would "
        "bring about 8,583,657 MB (1,000,000 more functions at 9 MB a page), more than the 20 MB "
        "one namespace may; each function is fetched on its own"
    ) in unmanaged.stderr


def test_a_key_echoed_on_the_list_path_leaks_no_piece_of_it(
    desired: Path, start_emulator: EmulatorFactory
) -> None:
    key = "31337$ECHO-canary-0123456789abcdef"
    emulator = served(start_emulator, echo_key_at=175)  # it accepts only API_KEY
    run = run_faasdrift("check", desired, "-vv", env=live_env(emulator, api_key=key))
    assert run.code == 3, run.output
    secret = key.partition("$")[2]
    pieces = [secret[i : i + 5] for i in range(len(secret) - 4)]
    assert [piece for piece in pieces if piece in run.output] == []
    assert "(request id req-***)" in run.stderr


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_a_lone_surrogate_from_the_api_survives_every_json_output(
    tmp_path: Path, desired: Path, start_emulator: EmulatorFactory, output_format: str
) -> None:
    body = json.dumps(function("hello", description="bad \ud800 text")).encode()
    emulator = served(start_emulator, bodies={"hello": body})
    desired.write_text(
        json.dumps({"defaults": DEFAULTS, "functions": [{"name": "hello", "description": "x"}]})
    )
    report = tmp_path / "report.json"
    report.write_text("the previous report\n")
    run = run_faasdrift(
        "check", desired, *PER_FUNCTION, "--format", output_format,
        "--report", f"json={report}", env=live_env(emulator),
    )  # fmt: skip
    assert run.code == 1, run.output
    assert "\\ud800" in json.dumps(json.loads(run.stdout))
    change = json.loads(report.read_text())["functions"][0]["changes"][0]
    assert change["live"] == "bad \ud800 text"
    snapshot = tmp_path / "live.json"
    taken = run_faasdrift(
        "snapshot", desired, "-o", snapshot, *PER_FUNCTION, env=live_env(emulator)
    )
    assert taken.code == 0, taken.output
    replay = run_faasdrift("check", desired, "--live", snapshot, "--format", "json")
    assert replay.code == 1, replay.output


def test_sigterm_cancels_the_check_and_exits_143_with_one_line(
    tmp_path: Path, desired: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = served(start_emulator, hang={"hello"}, hang_seconds=30)
    report = tmp_path / "r.json"
    report.write_text("the previous report\n")
    env = {**os.environ, **live_env(emulator)}
    process = subprocess.Popen(
        [*FAASDRIFT, "check", str(desired), *PER_FUNCTION, "--report", f"json={report}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while not emulator.requests:  # the request is in flight: the server holds it
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 143
    assert (stdout, stderr) == ("", "faasdrift: terminated (SIGTERM)\n")
    assert report.read_text() == "the previous report\n"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_a_full_stdout_is_one_clear_line(desired: Path, start_emulator: EmulatorFactory) -> None:
    emulator = served(start_emulator)
    with Path("/dev/full").open("w") as full:
        completed = subprocess.run(
            [*FAASDRIFT, "check", str(desired)],
            env={**os.environ, **live_env(emulator)},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert completed.returncode == 2
    assert completed.stderr == (
        "faasdrift: error: cannot write the report to standard output: No space left on device\n"
    )


def test_an_import_that_loses_a_function_midway_says_so_in_one_line(
    tmp_path: Path, start_emulator: EmulatorFactory
) -> None:
    # Listed without dependencies, so each is completed by a GET; one GET finds it deleted.
    abbreviated = [function(f"f{n}") for n in range(20)]
    for item in abbreviated:
        item.pop("dependencies")
    emulator = start_emulator(
        namespace("prod-api", *abbreviated),
        faults=Faults(function_errors={"f3": 404}, latency=0.2),
    )
    out = tmp_path / "desired.yaml"
    args = ["import", "--project-id", "1", "--region-id", "1", "--namespace", "prod-api"]
    run = run_faasdrift(*args, "-o", out, "--concurrency", "4", env=live_env(emulator))
    assert run.code == 3, run.output
    assert run.stderr.splitlines() == [
        "faasdrift: error: cannot import prod-api/f3: deleted while it was imported"
    ]
    assert not out.exists()
