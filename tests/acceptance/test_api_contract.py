"""Verdicts true to Gcore's published API contract, end to end: the real CLI, the emulator, sockets.

A configuration mistake (a wrong base URL, a route error, a namespace this key may not read) is
never drift and never in sync; an answer that contradicts itself or the question is never
believed; ``disabled`` and ``keys`` are compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from faasdrift.emulator import Emulator, Faults
from tests.acceptance.conftest import (
    API_KEY,
    EmulatorFactory,
    WriteYaml,
    desired,
    function,
    live_env,
    namespace,
    run_faasdrift,
)

MODES = [pytest.param((), id="bulk"), pytest.param(("--fetch", "per-function"), id="per-function")]
FUNCTIONS = "/cloud/v1/faas/namespaces/1/1/prod-api/functions"


def title(label: str, project: int = 1) -> str:
    return f"{label}  (project {project}, region 1)"


def paths(emulator: Emulator) -> list[str]:
    return sorted(request.decoded_path for request in emulator.requests)


# --- the base URL and route errors: never "missing" -------------------------------------------


@pytest.mark.parametrize("suffix", ["/cloud", "/cloud/", "/cloud/v1"])
def test_a_base_url_ending_in_cloud_is_refused_before_any_request(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, suffix: str
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello"}))
    base = f"{emulator.url}{suffix}"

    run = run_faasdrift("check", path, "--base-url", base, env={"GCORE_API_KEY": API_KEY})

    ends_in = suffix.rstrip("/")
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        f"faasdrift: error: invalid Gcore base URL {base!r}: it ends in {ends_in}, which faasdrift"
        f" adds itself (the Terraform provider's URL ends in /cloud, the Gcore SDKs' does not):"
        f" use {emulator.url}\n"
    )
    assert emulator.requests == []


def test_a_trailing_slash_is_the_same_base_url(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))

    run = run_faasdrift(
        "check", path, env={**live_env(emulator), "GCORE_BASE_URL": f"{emulator.url}/"}
    )

    assert (run.code, run.stderr) == (0, "")
    assert paths(emulator) == [FUNCTIONS]


@pytest.mark.parametrize("html", [False, True], ids=["route-error", "html-page"])
@pytest.mark.parametrize("mode", MODES)
def test_a_wrong_prefix_makes_every_function_not_checked_never_missing(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, mode: tuple[str, ...], html: bool
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello")), faults=Faults(route_404_html=html)
    )
    path = write_yaml("desired.yaml", desired({"name": "hello"}, {"name": "gone"}))
    env = {**live_env(emulator), "GCORE_BASE_URL": f"{emulator.url}/gateway"}

    run = run_faasdrift("check", *mode, path, env=env)

    assert run.code == 3, run.output
    lines = run.stdout.splitlines()
    shown = "Not Found" if html else "No route for /gateway/cloud/v1/faas/namespaces/1/1/prod-api"
    listed = "" if mode else "could not list namespace prod-api: "
    for line, name in zip(sorted(lines[:2]), ("gone", "hello"), strict=True):
        assert line.startswith(
            f"? {title(f'prod-api/{name}')}  not checked: {listed}HTTP 404 from Gcore, not Gcore's"
            f" NotFoundError (is the base URL or region wrong?): {shown}"
        )
    assert lines[-1] == "2 functions: 0 in sync, 0 drifted, 0 missing, 2 not checked."
    # Bulk mode does not retry the route error once per function; neither mode asks more.
    assert len(emulator.requests) == (2 if mode else 1)


@pytest.mark.parametrize("mode", MODES)
def test_a_namespace_that_does_not_exist_makes_its_functions_missing_with_that_reason(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, mode: tuple[str, ...]
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml(
        "desired.yaml",
        desired({"name": "hello"}, {"name": "gone"}, {"name": "orders", "namespace": "prod-apii"}),
    )
    report = path.parent / "report.json"

    run = run_faasdrift("check", *mode, path, "--report", f"json={report}", env=live_env(emulator))

    assert run.code == 1, run.output
    assert run.stdout.splitlines() == [
        f"! {title('prod-api/gone')}  missing: no such function in Gcore",
        f"! {title('prod-apii/orders')}  missing: namespace 'prod-apii' does not exist in project"
        " 1, region 1",
        "",
        "3 functions: 1 in sync, 0 drifted, 2 missing, 0 not checked.",
    ]
    reasons = {item["name"]: item["reason"] for item in json.loads(report.read_text())["functions"]}
    assert reasons == {
        "hello": None,
        "gone": None,
        "orders": "namespace 'prod-apii' does not exist in project 1, region 1",
    }


# --- 403: partial authority -------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_a_forbidden_namespace_is_not_checked_and_every_other_verdict_stands(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, mode: tuple[str, ...]
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello", timeout=10)),
        namespace("billing", function("charge"), project_id=2),
        faults=Faults(forbidden_namespaces={"billing"}),
    )
    path = write_yaml(
        "desired.yaml",
        desired(
            {"name": "hello", "timeout": 5},
            {"name": "charge", "namespace": "billing", "project_id": 2},
        ),
    )
    report = path.parent / "report.json"

    run = run_faasdrift("check", *mode, path, "--report", f"json={report}", env=live_env(emulator))

    assert run.code == 3, run.output  # the check is incomplete; the drift is still all there
    lines = run.stdout.splitlines()
    assert lines[:2] == [f"~ {title('prod-api/hello')}  {path}:7", "    ~ timeout: 10 -> 5"]
    listed = "" if mode else "could not list namespace billing: "
    assert lines[2].startswith(
        f"? {title('billing/charge', 2)}  not checked: {listed}HTTP 403 from Gcore (this API key"
        " may not read that project or namespace): You do not have access to namespace"
        " 'billing'. (request id "
    )
    assert lines[-1] == "2 functions: 0 in sync, 1 drifted, 0 missing, 1 not checked."
    totals = json.loads(report.read_text())["totals"]
    assert (totals["drifted"], totals["not_checked"]) == (1, 1)
    # Refused once: bulk mode does not ask again for each function behind the 403.
    refused = [request for request in emulator.requests if "/2/1/billing" in request.path]
    assert len(refused) == 1


def test_a_refused_key_without_message_shows_the_detail(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello")), faults=Faults(error_detail_only=True)
    )
    path = write_yaml("desired.yaml", desired({"name": "hello"}))

    run = run_faasdrift(
        "check", path, env=live_env(emulator, api_key="4242$wrong-secret-0123456789")
    )

    assert (run.code, run.stdout) == (3, "")
    assert run.stderr.startswith(
        "faasdrift: error: Gcore rejected the API key: HTTP 401: Bad permanent token: 4242"
        " (request id "  # from the X-Request-ID header, as the body has none
    )


def test_a_key_in_gcores_newer_form_is_never_shown(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello"}))
    key = "29841_c767d6a0wrongsecret"

    run = run_faasdrift("check", "-vv", path, env=live_env(emulator, api_key=key))

    assert run.code == 3
    assert "Bad permanent token: 29841" in run.stderr
    assert "c767" not in run.output


# --- answers that contradict themselves or the question ---------------------------------------


@pytest.mark.parametrize(
    ("live_timeout", "copy", "code"),
    [
        (5, {}, 0),  # an equal copy is still a second answer: asked again, in sync
        (5, {"timeout": 9}, 0),  # the copy would be false drift: the GET says 5
        (9, {"timeout": 5}, 1),  # the copy would be a false "in sync": the GET says 9
    ],
)
def test_a_list_that_repeats_a_name_is_not_believed_for_it(
    start_emulator: EmulatorFactory,
    write_yaml: WriteYaml,
    live_timeout: int,
    copy: dict[str, Any],
    code: int,
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello", timeout=live_timeout), function("orders")),
        faults=Faults(list_repeats={"hello": copy}),
    )
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}, {"name": "orders"}))

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert run.code == code, run.output
    assert paths(emulator) == [FUNCTIONS, f"{FUNCTIONS}/hello"]  # orders came with the list
    if code:
        assert run.stdout.splitlines()[:2] == [
            f"~ {title('prod-api/hello')}  {path}:7",
            "    ~ timeout: 9 -> 5",
        ]


def test_an_item_of_another_namespace_is_never_matched(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    foreign = {"name": "hello", "namespace": "staging", "timeout": 99}
    emulator = start_emulator(
        namespace("prod-api", function("hello"), function("tmp-debug")),
        faults=Faults(list_foreign={"prod-api": foreign}),
    )
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}, {"name": "gone"}))

    run = run_faasdrift("check", "--unmanaged", path, env=live_env(emulator))

    # gone is missing; hello is in sync, never 99; and "no other unmanaged function" cannot be
    # claimed from a list that holds an item from elsewhere: 3.
    assert run.code == 3, run.output
    assert run.stdout.splitlines() == [
        f"! {title('prod-api/gone')}  missing: no such function in Gcore",
        f"- {title('prod-api/tmp-debug')}  unmanaged",
        "",
        "3 functions: 1 in sync, 0 drifted, 1 missing, 0 not checked, 1 unmanaged.",
    ]
    # A list holding an item from elsewhere is no proof of absence: "gone" was asked for.
    assert paths(emulator) == [FUNCTIONS, f"{FUNCTIONS}/gone"]
    assert run.stderr == (
        "faasdrift: warning: unmanaged functions in 1/1/prod-api may be incomplete: its list"
        " contradicted itself\n"
    )


@pytest.mark.parametrize(
    ("faults", "reason"),
    [
        (
            Faults(answer_as={"hello": "orders"}),
            "invalid response: asked for function 'hello', the answer is for 'orders'",
        ),
        (
            Faults(duplicate_keys={"hello"}),
            "invalid response: a JSON object holds the key 'timeout' twice",
        ),
    ],
)
def test_a_get_that_contradicts_the_question_is_not_checked(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, faults: Faults, reason: str
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello"), function("orders")), faults=faults
    )
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}, {"name": "orders"}))

    run = run_faasdrift("check", "--fetch", "per-function", path, env=live_env(emulator))

    assert run.code == 3, run.output
    assert run.stdout.splitlines() == [
        f"? {title('prod-api/hello')}  not checked: {reason}",
        "",
        "2 functions: 1 in sync, 0 drifted, 0 missing, 1 not checked.",
    ]


# --- disabled and keys ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_disabled_and_keys_are_drift_when_they_differ(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, mode: tuple[str, ...]
) -> None:
    emulator = start_emulator(
        namespace(
            "prod-api",
            function("hello", disabled=True, keys=["beta", "alpha"]),
            function("orders", enable_api_key=None),  # no disabled, no keys: none of either
        )
    )
    path = write_yaml(
        "desired.yaml",
        desired(
            {"name": "hello", "timeout": 5, "disabled": False, "keys": ["alpha", "gamma"]},
            {"name": "orders", "disabled": False, "keys": [], "enable_api_key": False},
        ),
    )

    run = run_faasdrift("check", *mode, path, env=live_env(emulator))

    assert run.code == 1, run.output
    assert run.stdout.splitlines() == [
        f"~ {title('prod-api/hello')}  {path}:7",
        "    ~ disabled: true -> false",
        "    - keys.beta  (live, not declared)",
        "    + keys.gamma  (declared, not live)",
        "",
        "2 functions: 1 in sync, 1 drifted, 0 missing, 0 not checked.",
    ]


def test_keys_in_another_order_and_a_function_switched_on_are_in_sync(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello", disabled=True, keys=["beta", "alpha"]))
    )
    path = write_yaml(
        "desired.yaml", desired({"name": "hello", "disabled": True, "keys": ["alpha", "beta"]})
    )

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert (run.code, run.stderr) == (0, ""), run.output


def test_import_writes_disabled_and_keys_and_checks_in_sync(
    start_emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emulator = start_emulator(
        namespace(
            "prod-api",
            function("hello", disabled=True, keys=["beta", "alpha"]),
            function("orders", enable_api_key=None),
        )
    )
    output = tmp_path / "imported.yaml"
    args = ["--project-id", "1", "--region-id", "1", "--namespace", "prod-api", "-o", output]

    imported = run_faasdrift("import", *args, env=live_env(emulator))
    checked = run_faasdrift("check", "--strict", output, env=live_env(emulator))

    assert imported.code == 0, imported.output
    entries = {entry["name"]: entry for entry in yaml.safe_load(output.read_text())["functions"]}
    assert (entries["hello"]["disabled"], entries["hello"]["keys"]) == (True, ["alpha", "beta"])
    assert (entries["orders"]["disabled"], entries["orders"]["keys"]) == (False, [])
    assert (checked.code, checked.stderr) == (0, ""), checked.output


# --- offline checks, and what a desired file may declare -------------------------------------


def test_an_offline_check_needs_the_snapshot_to_hold_every_declared_field(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello"), function("orders")))
    taken_for = write_yaml(
        "narrow.yaml", desired({"name": "hello", "timeout": 5}, {"name": "orders"})
    )
    snapshot = taken_for.parent / "live.json"
    taken = run_faasdrift("snapshot", taken_for, "-o", snapshot, env=live_env(emulator))
    assert taken.code == 0, taken.output
    wider = write_yaml(
        "wider.yaml",
        desired({"name": "hello", "timeout": 5, "keys": []}, {"name": "orders", "timeout": 5}),
    )

    run = run_faasdrift("check", wider, "--live", snapshot)

    assert run.code == 3, run.output  # never in sync on a field the snapshot does not hold
    assert run.stdout.splitlines() == [
        f"? {title('prod-api/hello')}  not checked: the snapshot does not hold field keys (take it"
        " again from this file)",
        "",
        "2 functions: 1 in sync, 0 drifted, 0 missing, 1 not checked.",
    ]


def test_a_snapshot_of_a_get_holds_the_nulls_it_meant(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))  # no keys, no disabled
    path = write_yaml("desired.yaml", desired({"name": "hello", "keys": [], "disabled": False}))
    snapshot = path.parent / "live.json"
    taken = run_faasdrift("snapshot", path, "-o", snapshot, env=live_env(emulator))
    assert taken.code == 0, taken.output

    run = run_faasdrift("check", path, "--live", snapshot)

    saved = json.loads(snapshot.read_text())["namespaces"][0]["functions"][0]
    assert (saved["keys"], saved["disabled"]) == (None, None)  # asked by GET: absent is null
    assert (run.code, run.stderr) == (0, ""), run.output


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"name": "Hello_World"},
            "functions[0].name: 'Hello_World' is not a name Gcore accepts: 2 to 26 lowercase"
            " letters, digits and '-', starting with a letter and ending with a letter or a digit",
        ),
        (
            {"name": "hello", "autoscaling": {"min_instances": 0, "max_instances": 0}},
            "functions[0].autoscaling.max_instances: 0 is less than the minimum of 1",
        ),
        (
            {"name": "hello", "keys": ["a-key", "a-key"]},
            "functions[0].keys: lists 'a-key' more than once; each only once",
        ),
    ],
)
def test_a_desired_file_the_api_cannot_hold_is_refused_with_its_position(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, entry: dict[str, Any], message: str
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired(entry))

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert (run.code, run.stdout) == (2, "")
    first = run.stderr.splitlines()[0]
    assert first.startswith(f"{path}:")
    assert first.endswith(message)
    assert emulator.requests == []
