"""Faults injected by the emulator over real sockets, against the real `faasdrift check` process.

For each fault: the exact per-function status, the exit code, no traceback (``run_faasdrift``
checks), and the emulator's request log: only GETs, and no more of them than the retry policy
allows. ``--max-retry-wait 0`` keeps the retries without their waits, so the suite stays quick;
the waits themselves are pinned down in tests/unit/test_retry.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faasdrift.emulator import Emulator, Faults
from faasdrift.emulator.faults import BodyFault
from faasdrift.live.concurrency import DEFAULT_CONCURRENCY
from tests.acceptance.conftest import (
    FAASDRIFT,
    EmulatorFactory,
    WriteYaml,
    function,
    live_env,
    namespace,
    run_faasdrift,
)

NAMES = ("hello", "orders", "resize")
LIST_PATH = "/cloud/v1/faas/namespaces/1/1/prod-api/functions"
NO_WAIT = ("--max-retry-wait", "0")
PER_FUNCTION = ("--fetch", "per-function")


def title(name: str) -> str:
    return f"prod-api/{name}  (project 1, region 1)"


@pytest.fixture
def desired_file(write_yaml: WriteYaml) -> Path:
    """Declares the three functions of ``prod-api`` exactly as the emulator serves them."""
    return write_yaml(
        "desired.yaml",
        {
            "version": 1,
            "defaults": {"project_id": 1, "region_id": 1, "namespace": "prod-api"},
            "functions": [
                {"name": name, "timeout": 5, "envs": {"LOG_LEVEL": "info"}} for name in NAMES
            ],
        },
    )


@pytest.fixture
def serve(start_emulator: EmulatorFactory) -> Callable[..., Emulator]:
    def start(**faults: Any) -> Emulator:
        return start_emulator(namespace("prod-api", *map(function, NAMES)), faults=Faults(**faults))

    return start


def check(emulator: Emulator, desired: Path, *options: str) -> tuple[int, list[str]]:
    run = run_faasdrift("check", *options, desired, env=live_env(emulator))
    assert {request.method for request in emulator.requests} <= {"GET"}
    assert run.stderr == ""
    return run.code, run.stdout.splitlines()


def paths(emulator: Emulator) -> list[str]:
    return [request.decoded_path for request in emulator.requests]


def gets(emulator: Emulator, name: str) -> int:
    return paths(emulator).count(f"{LIST_PATH}/{name}")


def lists(emulator: Emulator) -> int:
    return paths(emulator).count(LIST_PATH)


IN_SYNC = "3 functions: 3 in sync, 0 drifted, 0 missing, 0 not checked."


# --- 429 storms ---------------------------------------------------------------------------------


def test_a_429_storm_with_retry_after_is_waited_out(
    serve: Callable[..., Emulator], desired_file: Path
) -> None:
    emulator = serve(rate_limit_first=2, retry_after=0)

    code, lines = check(emulator, desired_file)

    assert code == 0
    assert lines == [f"{IN_SYNC} 2 retries."]
    assert lists(emulator) == 3  # the list, throttled twice, then answered; no GET at all


def test_a_429_storm_without_retry_after_backs_off_and_recovers(
    serve: Callable[..., Emulator], desired_file: Path
) -> None:
    emulator = serve(rate_limit_first=1)  # no Retry-After: the backoff of 0.5 s applies

    code, lines = check(emulator, desired_file, "--max-retries", "1")

    assert code == 0
    assert lines == [f"{IN_SYNC} 1 retry."]
    assert len(emulator.requests) == 2


@pytest.mark.parametrize(
    "faults",
    [{"retry_after_ms": 50}, {"retry_after": 1, "retry_after_date": True}],
    ids=["retry-after-ms", "http-date"],
)
def test_other_spellings_of_retry_after_are_honoured(
    serve: Callable[..., Emulator], desired_file: Path, faults: dict[str, Any]
) -> None:
    emulator = serve(rate_limit_first=1, **faults)

    code, lines = check(emulator, desired_file)

    assert code == 0
    assert lines == [f"{IN_SYNC} 1 retry."]


def test_a_429_storm_that_outlasts_the_retries_leaves_the_namespace_not_checked(
    serve: Callable[..., Emulator], desired_file: Path
) -> None:
    emulator = serve(rate_limit_first=1000)

    code, lines = check(emulator, desired_file, *NO_WAIT)

    assert code == 3
    reason = "not checked: could not list namespace prod-api: HTTP 429 after 3 retries: "
    for name, line in zip(NAMES, lines, strict=False):
        assert line.startswith(f"? {title(name)}  {reason}Request was throttled. (request id ")
    assert lines[-1] == "3 functions: 0 in sync, 0 drifted, 0 missing, 3 not checked. 3 retries."
    # One list and its 3 retries; no GET per function to an API that is throttling.
    assert len(emulator.requests) == lists(emulator) == 4


def test_a_429_storm_per_function(serve: Callable[..., Emulator], desired_file: Path) -> None:
    emulator = serve(rate_limit_first=1000)

    code, lines = check(emulator, desired_file, *PER_FUNCTION, *NO_WAIT, "--max-retries", "2")

    assert code == 3
    for name in NAMES:
        assert any(
            line.startswith(f"? {title(name)}  not checked: HTTP 429 after 2 retries: ")
            for line in lines
        )
        assert gets(emulator, name) == 3
    assert lines[-1].endswith("3 not checked. 6 retries.")
    assert len(emulator.requests) == 9


# --- server errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "phrase"),
    [(500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable")],
)
def test_server_errors_on_some_functions(
    serve: Callable[..., Emulator], desired_file: Path, status: int, phrase: str
) -> None:
    emulator = serve(function_errors={"orders": status})

    code, lines = check(emulator, desired_file, *PER_FUNCTION, *NO_WAIT, "--max-retries", "1")

    assert code == 3
    assert lines[0].startswith(
        f"? {title('orders')}  not checked: HTTP {status} after 1 retry: {phrase} (request id "
    )
    assert lines[-1] == "3 functions: 2 in sync, 0 drifted, 0 missing, 1 not checked. 1 retry."
    assert [gets(emulator, name) for name in NAMES] == [1, 2, 1]


def test_a_503_on_the_list_falls_back_to_gets(
    serve: Callable[..., Emulator], desired_file: Path
) -> None:
    emulator = serve(list_errors={"prod-api": 503})

    code, lines = check(emulator, desired_file, *NO_WAIT, "--max-retries", "2")

    assert code == 0
    assert lines == [f"{IN_SYNC} 2 retries."]
    assert lists(emulator) == 3
    assert all(gets(emulator, name) == 1 for name in NAMES)


def test_a_400_on_the_list_is_not_retried_and_falls_back(
    serve: Callable[..., Emulator], desired_file: Path
) -> None:
    emulator = serve(list_errors={"prod-api": 400})

    code, lines = check(emulator, desired_file)

    assert (code, lines) == (0, [IN_SYNC])
    assert lists(emulator) == 1
    assert len(emulator.requests) == 4


# --- broken transfers ---------------------------------------------------------------------------


def test_a_read_timeout(serve: Callable[..., Emulator], desired_file: Path) -> None:
    emulator = serve(hang={"hello"}, hang_seconds=30)

    code, lines = check(
        emulator,
        desired_file,
        *PER_FUNCTION,
        *NO_WAIT,
        "--read-timeout",
        "0.3",
        "--max-retries",
        "1",
    )

    assert code == 3
    assert lines[0] == (
        f"? {title('hello')}  not checked: timed out after 0.3 s (read); gave up after 1 retry"
    )
    assert lines[-1] == "3 functions: 2 in sync, 0 drifted, 0 missing, 1 not checked. 1 retry."
    assert gets(emulator, "hello") == 2


def test_a_list_that_times_out_is_not_worked_around(
    serve: Callable[..., Emulator], desired_file: Path
) -> None:
    emulator = serve(list_faults={"prod-api": BodyFault.HANG}, hang_seconds=30)

    code, lines = check(
        emulator, desired_file, *NO_WAIT, "--read-timeout", "0.3", "--max-retries", "1"
    )

    assert code == 3
    reason = (
        "could not list namespace prod-api: timed out after 0.3 s (read); gave up after 1 retry"
    )
    assert lines[:3] == [f"? {title(name)}  not checked: {reason}" for name in NAMES]
    assert len(emulator.requests) == 2


def test_a_connection_reset_mid_body(serve: Callable[..., Emulator], desired_file: Path) -> None:
    emulator = serve(reset={"orders"})

    code, lines = check(emulator, desired_file, *PER_FUNCTION, *NO_WAIT)

    assert code == 3
    host = emulator.url.removeprefix("http://")
    assert lines[0] == (
        f"? {title('orders')}  not checked: connection to {host} failed: Connection reset by peer;"
        " gave up after 3 retries"
    )
    assert gets(emulator, "orders") == 4
    assert lines[-1] == "3 functions: 2 in sync, 0 drifted, 0 missing, 1 not checked. 3 retries."


def test_a_list_reset_mid_body_is_retried(
    serve: Callable[..., Emulator], desired_file: Path
) -> None:
    emulator = serve(list_faults={"prod-api": BodyFault.RESET})

    code, lines = check(emulator, desired_file, *NO_WAIT, "--max-retries", "2")

    assert code == 3
    host = emulator.url.removeprefix("http://")
    reason = (
        f"could not list namespace prod-api: connection to {host} failed: Connection reset by peer;"
        " gave up after 2 retries"
    )
    assert lines[:3] == [f"? {title(name)}  not checked: {reason}" for name in NAMES]
    assert len(emulator.requests) == lists(emulator) == 3


# --- answers that are not what they claim -------------------------------------------------------


@pytest.mark.parametrize("fault", ["malformed", "html"])
def test_a_200_that_is_not_json_is_not_retried(
    serve: Callable[..., Emulator], desired_file: Path, fault: str
) -> None:
    emulator = serve(**{fault: {"resize"}})

    code, lines = check(emulator, desired_file, *PER_FUNCTION)

    assert code == 3
    assert lines == [
        f"? {title('resize')}  not checked: invalid response: body is not JSON (HTTP 200)",
        "",
        "3 functions: 2 in sync, 0 drifted, 0 missing, 1 not checked.",
    ]
    assert gets(emulator, "resize") == 1


@pytest.mark.parametrize("fault", [BodyFault.MALFORMED, BodyFault.HTML])
def test_a_list_that_is_not_json_falls_back_to_gets(
    serve: Callable[..., Emulator], desired_file: Path, fault: BodyFault
) -> None:
    emulator = serve(list_faults={"prod-api": fault})

    code, lines = check(emulator, desired_file)

    assert (code, lines) == (0, [IN_SYNC])
    assert lists(emulator) == 1
    assert all(gets(emulator, name) == 1 for name in NAMES)


def test_a_huge_answer_is_refused(serve: Callable[..., Emulator], desired_file: Path) -> None:
    emulator = serve(huge={"hello"}, huge_bytes=21 * 1024 * 1024)

    code, lines = check(emulator, desired_file, *PER_FUNCTION)

    assert code == 3
    assert lines[0] == (
        f"? {title('hello')}  not checked: invalid response: body larger than 20 MB, refused"
    )
    assert gets(emulator, "hello") == 1


def test_a_huge_list_falls_back_to_gets(serve: Callable[..., Emulator], desired_file: Path) -> None:
    emulator = serve(list_faults={"prod-api": BodyFault.HUGE}, huge_bytes=21 * 1024 * 1024)

    code, lines = check(emulator, desired_file)

    assert (code, lines) == (0, [IN_SYNC])
    assert len(emulator.requests) == 4


# --- lists that page wrongly --------------------------------------------------------------------


@pytest.fixture
def with_gone(write_yaml: WriteYaml) -> Path:
    """The three live functions and one that does not exist."""
    entries = [{"name": name, "timeout": 5} for name in (*NAMES, "gone")]
    return write_yaml(
        "with-gone.yaml",
        {
            "defaults": {"project_id": 1, "region_id": 1, "namespace": "prod-api"},
            "functions": entries,
        },
    )


def test_a_list_pages_to_its_count(serve: Callable[..., Emulator], with_gone: Path) -> None:
    emulator = serve(max_page_size=2)

    code, lines = check(emulator, with_gone)

    assert code == 1
    assert lines[0] == f"! {title('gone')}  missing: no such function in Gcore"
    # By name, explicitly: the API's default order (newest first) shifts as functions come and go.
    assert [request.params for request in emulator.requests] == [
        {"limit": "1000", "offset": "0", "order_by": "name.asc"},
        {"limit": "1000", "offset": "2", "order_by": "name.asc"},
    ]


def test_a_count_larger_than_the_pages_deliver(
    serve: Callable[..., Emulator], with_gone: Path
) -> None:
    emulator = serve(list_count_extra=5)

    code, lines = check(emulator, with_gone)

    assert code == 1
    assert lines[0] == f"! {title('gone')}  missing: no such function in Gcore"
    # Two pages (the second empty), then the absent name is asked for: only a 404 says missing.
    assert paths(emulator) == [LIST_PATH, LIST_PATH, f"{LIST_PATH}/gone"]


def test_a_page_that_repeats_items(serve: Callable[..., Emulator], with_gone: Path) -> None:
    emulator = serve(max_page_size=2, list_overlap=1)

    code, lines = check(emulator, with_gone)

    assert code == 1
    assert lines[0] == f"! {title('gone')}  missing: no such function in Gcore"
    # Pages at offsets 0 and 2 deliver hello, orders, orders, resize: a repeat, so the list is
    # not trusted for absent names, nor for the repeated one (which copy is true?); the others
    # on the pages are used as they are.
    gets = [f"{LIST_PATH}/gone", f"{LIST_PATH}/orders"]
    assert sorted(paths(emulator)) == [LIST_PATH, LIST_PATH, *gets]


def test_a_list_item_without_a_compared_field_is_asked_for_by_get(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    bare = {key: value for key, value in function("bare").items() if key != "dependencies"}
    emulator = start_emulator(namespace("prod-api", function("hello"), bare))
    entries = [{"name": name, "dependencies": ""} for name in ("hello", "bare")]
    defaults = {"project_id": 1, "region_id": 1, "namespace": "prod-api"}
    path = write_yaml("deps.yaml", {"defaults": defaults, "functions": entries})

    code, lines = check(emulator, path)

    assert code == 3
    assert lines[0] == f"? {title('bare')}  not checked: response has no 'dependencies' field"
    assert paths(emulator) == [LIST_PATH, f"{LIST_PATH}/bare"]  # "hello" came with the list


# --- authentication and Ctrl-C ------------------------------------------------------------------


def test_a_refused_key_stops_a_concurrent_run_at_once(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    spaces = [namespace(f"ns{n}", function("hello")) for n in range(30)]
    emulator = start_emulator(*spaces)
    entries = [{"name": "hello", "namespace": f"ns{n}"} for n in range(30)]
    path = write_yaml(
        "many.yaml", {"defaults": {"project_id": 1, "region_id": 1}, "functions": entries}
    )

    run = run_faasdrift(
        "check", path, env=live_env(emulator, api_key="4242$wrong-secret-0123456789")
    )

    assert run.code == 3
    assert run.stdout == ""
    assert "Gcore rejected the API key: HTTP 401" in run.stderr
    # What was in flight at most (the default concurrency); nothing started after.
    assert len(emulator.requests) <= DEFAULT_CONCURRENCY


def test_ctrl_c_with_many_requests_in_flight_exits_130_promptly(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    spaces = [namespace(f"ns{n}", function("hello")) for n in range(40)]
    emulator = start_emulator(*spaces, faults=Faults(latency=30.0))
    entries = [{"name": "hello", "namespace": f"ns{n}"} for n in range(40)]
    path = write_yaml(
        "many.yaml", {"defaults": {"project_id": 1, "region_id": 1}, "functions": entries}
    )
    process = subprocess.Popen(
        [*FAASDRIFT, "check", "--concurrency", "16", str(path)],
        env={**os.environ, **live_env(emulator)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 10
    while len(emulator.requests) < 16 and time.monotonic() < deadline:
        time.sleep(0.02)  # until every worker has a request in flight
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=5)

    assert len(emulator.requests) == 16
    assert process.returncode == 130
    assert stdout == ""
    assert stderr.strip() == "faasdrift: interrupted"
