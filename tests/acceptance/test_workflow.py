"""import, validate, schema, snapshot and check --live: the real process against the emulator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from faasdrift.emulator import Emulator, Faults, load_state
from tests.acceptance.conftest import (
    API_KEY,
    EmulatorFactory,
    function,
    live_env,
    namespace,
    run_faasdrift,
)

AWKWARD = {
    "unicode": "print('Grüße 🌍 €')\n",
    "tabs": "def main():\n\treturn 1\n",
    "trailing-spaces": "x = 1   \ny = 2\n",
    "no-final-newline": "def main():\n    return 1",
    "document-markers": "---\nx = 1\n...\n--- # not YAML\n",
    "several-newlines": "x = 1\n\n\n",
    "leading-indent": "    x = 1\n",
    "crlf": "x = 1\r\ny = 2\r\n",
    "template": "const s = `${HOME} $${x}`;\n",
}
SECRET = "hunter2-live-secret"


def awkward_namespace() -> dict[str, object]:
    functions = [function(name, code_text=code) for name, code in AWKWARD.items()]
    functions.append(
        function(
            "looks-typed",
            description="true",
            envs={
                "COUNT": "10",
                "FLAG": "yes",
                "NONE": "null",
                "TEMPLATE": "${X}",
                "DB_PASSWORD": SECRET,
            },
            dependencies="requests==2.31.0\n\n",
        )
    )
    return namespace("prod", *functions)


def import_args(emulator: Emulator, *extra: str | Path) -> list[str | Path]:
    return ["import", "--project-id", "1", "--region-id", "1", "--namespace", "prod", *extra]


def test_import_then_check_is_in_sync(start_emulator: EmulatorFactory, tmp_path: Path) -> None:
    emulator = start_emulator(awkward_namespace())
    desired = tmp_path / "desired.yaml"
    imported = run_faasdrift(*import_args(emulator, "-o", desired), env=live_env(emulator))
    assert imported.code == 0, imported.output
    assert "imported 10 functions" in imported.stderr
    text = desired.read_text(encoding="utf-8")
    assert SECRET not in text
    assert SECRET not in imported.output
    assert "DB_PASSWORD: ${DB_PASSWORD}  # secret" in text
    env = {**live_env(emulator), "DB_PASSWORD": SECRET}
    checked = run_faasdrift("check", "--strict", desired, env=env)
    assert checked.code == 0, checked.output
    assert "10 in sync, 0 drifted" in checked.stdout


def test_imported_secret_must_be_set(start_emulator: EmulatorFactory, tmp_path: Path) -> None:
    emulator = start_emulator(awkward_namespace())
    desired = tmp_path / "desired.yaml"
    assert run_faasdrift(*import_args(emulator, "-o", desired), env=live_env(emulator)).code == 0
    checked = run_faasdrift("check", desired, env=live_env(emulator))
    assert checked.code == 2
    assert "environment variable DB_PASSWORD is not set" in checked.stderr
    wrong = run_faasdrift("check", desired, env={**live_env(emulator), "DB_PASSWORD": "rotated"})
    assert wrong.code == 1
    assert "rotated" not in wrong.output
    assert SECRET not in wrong.output


def test_import_with_code_dir_round_trips(start_emulator: EmulatorFactory, tmp_path: Path) -> None:
    emulator = start_emulator(awkward_namespace())
    desired = tmp_path / "infra" / "desired.yaml"
    code_dir = tmp_path / "infra" / "code"
    args = import_args(emulator, "-o", desired, "--code-dir", code_dir)
    assert run_faasdrift(*args, env=live_env(emulator)).code == 0
    assert (code_dir / "prod" / "crlf.py").read_bytes() == AWKWARD["crlf"].encode()
    assert (code_dir / "prod" / "unicode.py").read_text(encoding="utf-8") == AWKWARD["unicode"]
    assert "code_file: code/prod/tabs.py" in desired.read_text(encoding="utf-8")
    env = {**live_env(emulator), "DB_PASSWORD": SECRET}
    checked = run_faasdrift("check", "--strict", desired, env=env)
    assert checked.code == 0, checked.output


def test_import_to_stdout_and_globs(start_emulator: EmulatorFactory) -> None:
    emulator = start_emulator(awkward_namespace())
    result = run_faasdrift(*import_args(emulator, "--name", "t*"), env=live_env(emulator))
    assert result.code == 0, result.output
    names = [entry["name"] for entry in yaml.safe_load(result.stdout)["functions"]]
    assert names == ["tabs", "template", "trailing-spaces"]


def test_import_takes_ids_from_the_sdk_variables(start_emulator: EmulatorFactory) -> None:
    emulator = start_emulator(awkward_namespace())
    env = {**live_env(emulator), "GCORE_CLOUD_PROJECT_ID": "1", "GCORE_CLOUD_REGION_ID": "1"}
    result = run_faasdrift("import", "--namespace", "prod", "--name", "tabs", env=env)
    assert result.code == 0, result.output
    assert "name: tabs" in result.stdout


def test_import_refuses_to_overwrite(start_emulator: EmulatorFactory, tmp_path: Path) -> None:
    emulator = start_emulator(awkward_namespace())
    desired = tmp_path / "desired.yaml"
    desired.write_text("keep me", encoding="utf-8")
    result = run_faasdrift(*import_args(emulator, "-o", desired), env=live_env(emulator))
    assert result.code == 2
    assert f"{desired} exists; pass --force to overwrite it" in result.stderr
    assert desired.read_text(encoding="utf-8") == "keep me"
    forced = run_faasdrift(*import_args(emulator, "-o", desired, "--force"), env=live_env(emulator))
    assert forced.code == 0


def test_import_refuses_code_dir_outside(start_emulator: EmulatorFactory, tmp_path: Path) -> None:
    emulator = start_emulator(awkward_namespace())
    args = import_args(emulator, "-o", tmp_path / "a" / "d.yaml", "--code-dir", tmp_path / "b")
    result = run_faasdrift(*args, env=live_env(emulator))
    assert result.code == 2
    assert "must be inside the folder of" in result.stderr


def test_import_of_an_unknown_namespace_is_a_usage_error(start_emulator: EmulatorFactory) -> None:
    emulator = start_emulator(awkward_namespace())
    args = ["import", "--project-id", "1", "--region-id", "1", "--namespace", "nope"]
    result = run_faasdrift(*args, env=live_env(emulator))
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == (
        "faasdrift: error: --namespace nope: namespace 'nope' does not exist in project 1,"
        " region 1\n"
    )


def test_import_behind_a_wrong_base_url_is_incomplete(start_emulator: EmulatorFactory) -> None:
    emulator = start_emulator(awkward_namespace(), faults=Faults(route_404_html=True))
    args = ["import", "--project-id", "1", "--region-id", "1", "--namespace", "prod"]
    env = {**live_env(emulator), "GCORE_BASE_URL": f"{emulator.url}/gateway"}
    result = run_faasdrift(*args, env=env)
    assert (result.code, result.stdout) == (3, "")
    assert result.stderr.startswith(
        "faasdrift: error: could not list namespace prod: HTTP 404 from Gcore, not Gcore's"
        " NotFoundError (is the base URL or region wrong?): Not Found (request id "
    )


def test_import_needs_a_key(tmp_path: Path) -> None:
    result = run_faasdrift("import", "--project-id", "1", "--region-id", "1", "--namespace", "p")
    assert result.code == 2
    assert "no API key" in result.stderr


def drifted_account() -> dict[str, object]:
    return namespace(
        "prod",
        function("same", envs={"API_TOKEN": "t0ken"}),
        function("changed", timeout=9),
        function("broken"),
    )


def write_drift_desired(tmp_path: Path) -> Path:
    desired = {
        "defaults": {"project_id": 1, "region_id": 1, "namespace": "prod"},
        "functions": [
            {"name": "same", "timeout": 5, "envs": {"API_TOKEN": "t0ken"}},
            {"name": "changed", "timeout": 5},
            {"name": "gone", "timeout": 5},
            {"name": "broken", "timeout": 5},
        ],
    }
    path = tmp_path / "desired.yaml"
    path.write_text(yaml.safe_dump(desired), encoding="utf-8")
    return path


def test_offline_check_equals_live_check(start_emulator: EmulatorFactory, tmp_path: Path) -> None:
    emulator = start_emulator(drifted_account())
    desired = write_drift_desired(tmp_path)
    snapshot = tmp_path / "live.json"
    taken = run_faasdrift("snapshot", desired, "-o", snapshot, env=live_env(emulator))
    assert taken.code == 0, taken.output
    assert "t0ken" not in snapshot.read_text(encoding="utf-8")
    live = run_faasdrift("check", desired, "--format", "json", env=live_env(emulator))
    emulator.stop()
    offline = run_faasdrift("check", desired, "--live", snapshot, "--format", "json")
    assert (offline.code, live.code) == (1, 1), offline.output
    assert _verdicts(offline.stdout) == _verdicts(live.stdout)


def _verdicts(report: str) -> list[tuple[str, str, list[str]]]:
    functions = json.loads(report)["functions"]
    return [
        (item["name"], item["status"], [change["path"] for change in item.get("changes", [])])
        for item in functions
    ]


def test_snapshot_records_not_checked(start_emulator: EmulatorFactory, tmp_path: Path) -> None:
    faults = Faults(function_errors={"broken": 500})
    emulator = start_emulator(drifted_account(), faults=faults)
    desired = write_drift_desired(tmp_path)
    snapshot = tmp_path / "live.json"
    options = ("--fetch", "per-function", "--max-retries", "0")
    taken = run_faasdrift("snapshot", desired, "-o", snapshot, *options, env=live_env(emulator))
    assert taken.code == 3, taken.output
    assert "2 found, 1 missing, 1 not checked" in taken.stderr
    live = run_faasdrift("check", desired, *options, env=live_env(emulator))
    offline = run_faasdrift("check", desired, "--live", snapshot)
    assert offline.code == live.code == 3
    # the reason recorded at snapshot time; only the request id differs between two requests
    assert _without_request_ids(offline.stdout) == _without_request_ids(live.stdout)
    assert "not checked: HTTP 500 from Gcore" in offline.stdout


def _without_request_ids(text: str) -> str:
    return re.sub(r"\(request id [^)]*\)", "(request id)", text)


def test_check_live_refuses_a_bad_snapshot(tmp_path: Path) -> None:
    desired = write_drift_desired(tmp_path)
    bad = tmp_path / "live.json"
    bad.write_text('{"format": "faasdrift-snapshot", "format_version": 99}', encoding="utf-8")
    result = run_faasdrift("check", desired, "--live", bad)
    assert result.code == 2
    assert "snapshot format version 99 is not supported" in result.stderr
    bad.write_text("[]", encoding="utf-8")
    assert "not a faasdrift snapshot" in run_faasdrift("check", desired, "--live", bad).stderr


def test_emulator_serves_a_snapshot(start_emulator: EmulatorFactory, tmp_path: Path) -> None:
    emulator = start_emulator(drifted_account())
    desired = write_drift_desired(tmp_path)
    snapshot = tmp_path / "live.json"
    assert run_faasdrift("snapshot", desired, "-o", snapshot, env=live_env(emulator)).code == 0
    live = run_faasdrift("check", desired, "--format", "json", env=live_env(emulator))
    replay = Emulator(load_state(snapshot), api_key=API_KEY)
    replay.start()
    try:
        replayed = run_faasdrift("check", desired, "--format", "json", env=live_env(replay))
    finally:
        replay.stop()
    # API_TOKEN is served as *** (the snapshot never held it): drift there, the rest identical
    assert _verdicts(replayed.stdout)[1:] == _verdicts(live.stdout)[1:]
    assert _verdicts(replayed.stdout)[0] == ("same", "drifted", ["envs.API_TOKEN"])


def test_validate_matches_check_messages(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "defaults: {project_id: 1, region_id: 1, namespace: pr}\n"
        "functions:\n- name: fa\n  envs: {TOKEN: '${TOKEN}'}\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("functions:\n- name: fx\n  timeout: '5'\n", encoding="utf-8")
    result = run_faasdrift("validate", good, bad)
    assert result.code == 2
    assert result.stdout == f"{good}: ok, 1 function\n"
    checked = run_faasdrift("check", bad)
    # The same problems; only the summary says what follows from them for each command.
    assert result.stderr.splitlines()[:-1] == checked.stderr.splitlines()[:-1]
    assert result.stderr.splitlines()[-1] == "faasdrift: 4 problems found; 1 of 2 files not valid"
    assert checked.stderr.splitlines()[-1] == "faasdrift: 4 problems found; nothing was checked"
    assert "functions[0].timeout: '5' is a string, not an integer" in result.stderr
    ok = run_faasdrift("validate", "-q", good)
    assert (ok.code, ok.stdout, ok.stderr) == (0, "", "")
    strict = run_faasdrift("validate", "--require-env", good)
    assert strict.code == 2
    assert "TOKEN is not set" in strict.stderr


def test_schema_validates_an_imported_file(start_emulator: EmulatorFactory) -> None:
    emulator = start_emulator(awkward_namespace())
    schema = run_faasdrift("schema")
    assert schema.code == 0
    imported = run_faasdrift(*import_args(emulator), env=live_env(emulator))
    validator = Draft202012Validator(json.loads(schema.stdout))
    assert list(validator.iter_errors(yaml.safe_load(imported.stdout))) == []
    example = Path(__file__).parents[2] / "examples" / "desired.yaml"
    assert list(validator.iter_errors(yaml.safe_load(example.read_text(encoding="utf-8")))) == []


def test_pre_commit_hook_runs_validate(tmp_path: Path) -> None:
    hooks_file = Path(__file__).parents[2] / ".pre-commit-hooks.yaml"
    (hook,) = yaml.safe_load(hooks_file.read_text(encoding="utf-8"))
    assert hook["id"] == "faasdrift-validate"
    for name in ("desired.yaml", "infra/desired-prod.yml"):
        assert re.search(hook["files"], name), name
    assert not re.search(hook["files"], ".github/workflows/ci.yml")
    example = Path(__file__).parents[2] / "examples" / "desired.yaml"
    program, *args = hook["entry"].split()
    assert program == "faasdrift"
    result = run_faasdrift(*args, example)
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


def test_offline_unmanaged_needs_a_complete_listing(
    start_emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emulator = start_emulator(drifted_account())
    desired = tmp_path / "desired.yaml"
    desired.write_text(
        "defaults: {project_id: 1, region_id: 1, namespace: prod}\nfunctions:\n- name: same\n",
        encoding="utf-8",
    )
    full, partial = tmp_path / "full.json", tmp_path / "partial.json"
    env = live_env(emulator)
    assert run_faasdrift("snapshot", desired, "-o", full, "--unmanaged", env=env).code == 0
    assert run_faasdrift("snapshot", desired, "-o", partial, env=env).code == 0
    live = run_faasdrift("check", desired, "--unmanaged", env=env)
    offline = run_faasdrift("check", desired, "--unmanaged", "--live", full)
    assert (offline.code, offline.stdout) == (live.code, live.stdout)
    assert "2 unmanaged" in offline.stdout
    unknown = run_faasdrift("check", desired, "--unmanaged", "--live", partial)
    assert unknown.code == 3
    assert "the snapshot holds no complete list of prod" in unknown.stderr
