"""Issue 5, part B, end to end: ignore rules, unmanaged functions, scope filters, several files.

Each test runs the real CLI process against the emulator over real sockets. Ignore-rule dates are
far in the past or future (2000-01-01, 2999-12-31) because the process reads the real clock.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from faasdrift.emulator import Faults
from tests.acceptance.conftest import (
    EmulatorFactory,
    WriteYaml,
    desired,
    function,
    live_env,
    namespace,
    run_faasdrift,
)

SUMMARY_1 = "1 function: 1 in sync, 0 drifted, 0 missing, 0 not checked."


def rule(path: str, reason: str = "set by the deploy pipeline", **extra: Any) -> dict[str, Any]:
    return {"path": path, "reason": reason, **extra}


def stamped(**envs: str) -> dict[str, Any]:
    """A live hello whose env has deploy-time values beside LOG_LEVEL."""
    return function("hello", envs={"LOG_LEVEL": "info", **envs})


# --- ignore rules ------------------------------------------------------------------------------


def test_an_ignored_difference_is_not_drift_but_is_counted(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", stamped(BUILD_ID="42")))
    entry = {"name": "hello", "envs": {"LOG_LEVEL": "info"}, "ignore": [rule("envs.BUILD_ID")]}
    path = write_yaml("desired.yaml", desired(entry))

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert run.code == 0, run.output
    assert run.stdout == f"{SUMMARY_1} 1 difference ignored.\n"
    assert run.stderr == ""


def test_verbose_lists_ignored_differences_with_their_reason(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", stamped(BUILD_ID="42", DEPLOYED_AT="x")))
    entry = {"name": "hello", "envs": {"LOG_LEVEL": "info"}}
    path = write_yaml("desired.yaml", desired(entry, ignore=[rule("envs.*_ID"), rule("envs.*_AT")]))

    run = run_faasdrift("check", "-v", path, env=live_env(emulator))

    assert run.code == 0, run.output
    assert run.stdout.splitlines()[:3] == [
        "= prod-api/hello  (project 1, region 1)  in sync",
        "    # envs.BUILD_ID  (live, not declared)  ignored: set by the deploy pipeline",
        "    # envs.DEPLOYED_AT  (live, not declared)  ignored: set by the deploy pipeline",
    ]
    assert "2 differences ignored." in run.stdout


def test_the_json_report_lists_ignored_differences_per_function(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", stamped(BUILD_ID="42"), function("other")))
    until = {"until": "2999-12-31"}
    entry = {"name": "hello", "envs": {"LOG_LEVEL": "info"}, "ignore": [rule("envs", **until)]}
    path = write_yaml("desired.yaml", desired(entry, {"name": "other", "timeout": 99}))

    run = run_faasdrift("check", "--format", "json", path, env=live_env(emulator))

    assert run.code == 1, run.output
    report = json.loads(run.stdout)
    assert report["totals"]["ignored"] == 1
    hello = report["functions"][0]
    assert hello["status"] == "in_sync"
    assert hello["ignored"][0]["path"] == "envs.BUILD_ID"
    assert hello["ignored"][0]["rule"] == {
        "path": "envs",
        "reason": "set by the deploy pipeline",
        "until": "2999-12-31",
    }
    assert report["functions"][1]["status"] == "drifted"


def test_an_expired_rule_no_longer_applies_and_warns(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", stamped(BUILD_ID="42")))
    entry = {
        "name": "hello",
        "envs": {"LOG_LEVEL": "info"},
        "ignore": [rule("envs.BUILD_ID", until="2000-01-01")],
    }
    path = write_yaml("desired.yaml", desired(entry))

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert run.code == 1, run.output
    assert "    - envs.BUILD_ID  (live, not declared)" in run.stdout
    assert run.stderr == (
        f"faasdrift: warning: {path}:11:5: ignore rule 'envs.BUILD_ID' expired on 2000-01-01;"
        " it no longer applies\n"
    )


def test_strict_ignores_refuses_an_expired_rule_before_fetching(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", stamped(BUILD_ID="42")))
    entry = {"name": "hello", "ignore": [rule("envs.BUILD_ID", until="2000-01-01")]}
    path = write_yaml("desired.yaml", desired(entry))

    run = run_faasdrift("check", "--strict-ignores", path, env=live_env(emulator))

    assert run.code == 2, run.output
    assert run.stdout == ""
    assert f"{path}:9:5: ignore rule 'envs.BUILD_ID' expired on 2000-01-01" in run.stderr
    assert emulator.requests == []


def test_a_rule_that_matched_nothing_warns_and_fails_with_strict_ignores(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello"}, ignore=[rule("timeout")]))
    warning = f"faasdrift: warning: {path}:7:3: ignore rule 'timeout' matched no difference"

    lenient = run_faasdrift("check", path, env=live_env(emulator))
    strict = run_faasdrift("check", "--strict-ignores", path, env=live_env(emulator))

    assert lenient.code == 0, lenient.output
    assert lenient.stderr.startswith(warning)
    assert strict.code == 2, strict.output
    assert strict.stdout == f"{SUMMARY_1}\n"  # the report is still written
    assert strict.stderr.startswith(warning)


def test_a_rule_of_a_function_that_could_not_be_checked_is_not_called_stale(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator_faults = Faults(function_errors={"hello": 500})
    emulator = start_emulator(namespace("prod-api", function("hello")), faults=emulator_faults)
    path = write_yaml("desired.yaml", desired({"name": "hello", "ignore": [rule("timeout")]}))

    run = run_faasdrift(
        "check", "--fetch", "per-function", "--max-retries", "0", path, env=live_env(emulator)
    )

    assert run.code == 3, run.output
    assert "matched no difference" not in run.stderr


def test_an_invalid_rule_is_a_file_error_with_its_position(write_yaml: WriteYaml) -> None:
    path = write_yaml(
        "desired.yaml",
        desired({"name": "hello", "ignore": [rule("timout"), {"path": "envs", "until": 5}]}),
    )

    run = run_faasdrift("check", path)

    assert run.code == 2
    assert f"{path}:9:11: functions[0].ignore[0].path: 'timout' names no compared field" in (
        run.stderr
    )
    assert "functions[0].ignore[1]: missing required key 'reason'" in run.stderr


# --- unmanaged functions -----------------------------------------------------------------------


def test_unmanaged_functions_are_reported_and_count_as_drift(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello"), function("tmp-debug")),
        namespace("elsewhere", function("not-ours")),
    )
    path = write_yaml("desired.yaml", desired({"name": "hello"}))

    default = run_faasdrift("check", path, env=live_env(emulator))
    run = run_faasdrift("check", "--unmanaged", path, env=live_env(emulator))

    assert default.code == 0, default.output
    assert default.stdout == f"{SUMMARY_1}\n"
    assert run.code == 1, run.output
    assert run.stdout == (
        "+ prod-api/tmp-debug  (project 1, region 1)  unmanaged\n"
        "\n"
        "2 functions: 1 in sync, 0 drifted, 0 missing, 0 not checked, 1 unmanaged.\n"
    )


def test_unmanaged_in_per_function_mode_lists_each_namespace(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello"), function("tmp-debug")))
    path = write_yaml("desired.yaml", desired({"name": "hello"}))

    run = run_faasdrift(
        "check", "--unmanaged", "--fetch", "per-function", "--format", "json", path,
        env=live_env(emulator),
    )  # fmt: skip

    assert run.code == 1, run.output
    report = json.loads(run.stdout)
    assert [(f["name"], f["status"]) for f in report["functions"]] == [
        ("hello", "in_sync"),
        ("tmp-debug", "unmanaged"),
    ]
    assert report["unmanaged_checked"] is True
    assert len(emulator.requests) == 2  # one GET, one list


def test_a_failed_list_makes_unmanaged_unknown_not_absent(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    # A 502 on the list falls back to a GET per function: the functions are checked, but which
    # others live there is unknown.
    emulator = start_emulator(
        namespace("prod-api", function("hello"), function("tmp-debug")),
        faults=Faults(list_errors={"prod-api": 502}),
    )
    path = write_yaml("desired.yaml", desired({"name": "hello"}))

    run = run_faasdrift("check", "--unmanaged", path, env=live_env(emulator))

    assert run.code == 3, run.output
    assert "0 unmanaged" in run.stdout
    assert "faasdrift: warning: unmanaged functions in 1/1/prod-api not checked: " in run.stderr


def test_filters_apply_to_unmanaged_functions_too(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello"), function("tmp-debug")))
    path = write_yaml("desired.yaml", desired({"name": "hello"}))

    run = run_faasdrift(
        "check", "--unmanaged", "--exclude", "*/tmp-*", path, env=live_env(emulator)
    )

    assert run.code == 0, run.output
    assert "tmp-debug" not in run.stdout


# --- scope filters -----------------------------------------------------------------------------


def test_only_and_exclude_select_functions_before_fetching(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello"), function("orders")),
        namespace("media", function("resize")),
    )
    path = write_yaml(
        "desired.yaml",
        desired(
            {"name": "hello", "timeout": 99},
            {"name": "orders"},
            {"name": "resize", "namespace": "media"},
        ),
    )

    run = run_faasdrift(
        "check", "--only", "prod-api/*", "--exclude", "*/hello", "--fetch", "per-function",
        path, env=live_env(emulator),
    )  # fmt: skip

    assert run.code == 0, run.output  # hello drifts, but it is excluded
    assert run.stdout == "1 function: 1 in sync, 0 drifted, 0 missing, 0 not checked.\n"
    assert [request.path.rsplit("/", 1)[-1] for request in emulator.requests] == ["orders"]


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        (
            ["--only", "prod-apl/*"],
            "faasdrift: error: --only 'prod-apl/*' selects no declared function (did you mean"
            " 'prod-api/hello'?)\n",
        ),
        (
            ["--only", "prod-api/*", "--only", "prod-api/helo"],
            "faasdrift: error: --only 'prod-api/helo' selects no declared function (did you mean"
            " 'prod-api/hello'?)\n",
        ),
        (
            ["--exclude", "prod-api/*"],
            "faasdrift: error: --exclude 'prod-api/*' leaves nothing to check: it excludes every"
            " declared function\n",
        ),
    ],
)
def test_a_scope_that_checks_nothing_fails_before_any_request(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, scope: list[str], message: str
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello"}, {"name": "orders"}))
    report = path.parent / "report.json"

    run = run_faasdrift("check", *scope, path, "--report", f"json={report}", env=live_env(emulator))

    assert (run.code, run.stdout, run.stderr) == (2, "", message)
    assert emulator.requests == []
    assert not report.exists()
    # Even without a key: the mistake is in the command, not the credentials.
    keyless = run_faasdrift("check", *scope, path, env={"GCORE_BASE_URL": emulator.url})
    assert (keyless.code, keyless.stderr) == (2, message)


def test_a_scope_that_selects_something_still_runs(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello"), function("orders")))
    path = write_yaml("desired.yaml", desired({"name": "hello"}, {"name": "orders"}))

    run = run_faasdrift(
        "check", "--only", "prod-api/*", "--exclude", "*/orders", path, env=live_env(emulator)
    )

    assert (run.code, run.stderr) == (0, "")
    assert run.stdout == "1 function: 1 in sync, 0 drifted, 0 missing, 0 not checked.\n"


def test_a_file_that_declares_no_function_checks_nothing_and_says_so(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired())

    run = run_faasdrift("check", path, env=live_env(emulator))

    assert (run.code, run.stdout) == (2, "")
    assert (
        run.stderr == f"faasdrift: error: {path} declares no function: there is nothing to check\n"
    )
    assert emulator.requests == []
    assert run_faasdrift("validate", path).code == 0  # a valid file, just not one to check


# --- several files -----------------------------------------------------------------------------


def test_several_files_and_a_directory_are_checked_together(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello"), function("orders")),
        namespace("media", function("resize", timeout=10)),
    )
    first = write_yaml("api.yaml", desired({"name": "hello"}))
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "b.yml").write_text(
        json.dumps(desired({"name": "resize", "namespace": "media", "timeout": 5})),
        encoding="utf-8",
    )
    (folder / "a.yaml").write_text(json.dumps(desired({"name": "orders"})), encoding="utf-8")
    (folder / "notes.txt").write_text("not yaml", encoding="utf-8")

    run = run_faasdrift("check", "--format", "json", first, folder, env=live_env(emulator))

    assert run.code == 1, run.output
    report = json.loads(run.stdout)
    assert [(f["name"], f["source"]) for f in report["functions"]] == [
        ("hello", str(first)),
        ("orders", str(folder / "a.yaml")),
        ("resize", str(folder / "b.yml")),
    ]
    assert report["source"] == f"{first}, {folder / 'a.yaml'}, {folder / 'b.yml'}"


def test_github_annotations_point_at_the_file_of_each_function(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello"), function("orders")))
    first = write_yaml("a.yaml", desired({"name": "hello"}))
    second = write_yaml("b.yaml", desired({"name": "orders", "timeout": 99}))

    run = run_faasdrift("check", "--format", "github", first, second, env=live_env(emulator))

    assert run.code == 1, run.output
    assert f"::error file={second},line=8," in run.stdout


def test_a_function_declared_in_two_files_names_both_places(
    write_yaml: WriteYaml,
) -> None:
    first = write_yaml("a.yaml", desired({"name": "hello"}))
    second = write_yaml("b.yaml", desired({"name": "other"}, {"name": "hello"}))
    broken = write_yaml("c.yaml", desired({"name": "x", "timeout": "soon"}))

    run = run_faasdrift("check", first, second, broken)

    assert run.code == 2
    assert (
        f"{second}:8:3: duplicate function prod-api/hello (project 1, region 1);"
        f" also declared at {first}:7:3"
    ) in run.stderr
    assert f"{broken}:8:12" in run.stderr  # every file's problems, in one go


def test_an_empty_directory_is_an_error(tmp_path: Path) -> None:
    run = run_faasdrift("check", tmp_path)

    assert run.code == 2
    assert f"{tmp_path}: is a directory with no *.yaml or *.yml file in it" in run.stderr
