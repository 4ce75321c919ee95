"""The leak matrix: a canary in every kind of field, through every format, verbosity and channel.

Every value a ``${VAR}`` takes is a secret. Each canary below holds a marker (``LK01``…) and the
characters each format escapes differently (JSON ``\\"``, XML ``&amp;``, URLs ``%2C``, GitHub
``%3A``, ``repr``'s ``\\n``): a secret that were redacted only after encoding would survive in
one of those forms, and its marker with it. So the marker alone is looked for, in stdout, stderr,
every ``--report`` file and the step summary, of ``check`` in every format at ``-v`` 0, 1 and 2,
and of ``gate`` likewise (a base file with secrets of its own, and a base read at a git ref), and
of ``validate`` and ``snapshot`` (its file too). The API key is one more canary, echoed back
by the server in its error bodies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from faasdrift.emulator import Emulator, Faults
from faasdrift.report.formats import REPORTER_BY_NAME
from tests.acceptance.conftest import (
    DEFAULTS,
    EmulatorFactory,
    function,
    live_env,
    namespace,
    run_faasdrift,
)
from tests.unit.desired.test_at_ref import commit, git

HOSTILE = ",&<>\"%:'\\ ü"
# One canary per field kind that takes values from the environment (a function's settings).
SETTINGS = {
    "description": f"LK01-{HOSTILE}\nsecond line LK01\x1b[31m",
    "runtime": f"LK02-{HOSTILE}",
    "flavor": f"LK03-{HOSTILE}",
    "main_method": f"LK04-{HOSTILE}",
    "envs.PLAIN": f"LK05-{HOSTILE}",
    "envs.DB_TOKEN": f"LK06-{HOSTILE}",
    "code_file": "LK07-a,b&c%d e.py",  # a path: the file exists, its name is the secret
}
# Fields taken as written: a reference is refused, and the value never shown.
LITERALS = {
    "name": "LK11,name",
    "namespace": "LK12&ns",
    "ignore reason": f"LK13-{HOSTILE}",
    "ignore path": "LK14.path",
    "sensitive": "LK15_NAME",
    "defaults.namespace": "LK16-ns",
}
MISSING_CODE_FILE = "-----BEGIN KEY-----\nLK21b3BlbnNzaC1rZXktdjE\n-----END KEY-----"
KEY = "31337$LK31-key-canary-5e1f2d9a"  # echoed back by the server, past its messages' cut
# Only the gate's base file takes it: a value of the last deploy, released or replaced since.
BASE_ONLY = f"LK08-{HOSTILE}\nsecond line LK08"
VARIABLES = {
    **{f"V_{n}": value for n, value in enumerate(SETTINGS.values())},
    **{f"L_{n}": value for n, value in enumerate(LITERALS.values())},
    "SSH_KEY": MISSING_CODE_FILE,
    "V_BASE": BASE_ONLY,
}
MARKERS = ("LK01", "LK02", "LK03", "LK04", "LK05", "LK06", "LK07", "LK08", "LK1", "LK21", "LK31")
VERBOSITY = ((), ("-v",), ("-vv",))


def variable(value: str) -> str:
    return "${" + next(name for name, held in VARIABLES.items() if held == value) + "}"


def settings_file() -> dict[str, Any]:
    functions = [
        {"name": "f-description", "description": variable(SETTINGS["description"])},
        {"name": "f-runtime", "runtime": variable(SETTINGS["runtime"])},
        {"name": "f-flavor", "flavor": variable(SETTINGS["flavor"])},
        {"name": "f-main", "main_method": variable(SETTINGS["main_method"])},
        {"name": "f-envs", "envs": {
            "PLAIN": variable(SETTINGS["envs.PLAIN"]),
            "DB_TOKEN": variable(SETTINGS["envs.DB_TOKEN"]),
        }},
        {"name": "f-code", "code_file": variable(SETTINGS["code_file"])},
        # The same secret in live data, where the desired file has none: shown as ***.
        {"name": "f-echo", "description": "declared"},
    ]  # fmt: skip
    return {"defaults": DEFAULTS, "functions": functions}


def base_file() -> dict[str, Any]:
    """The gate's base: the same settings, but a description from the last deploy's own secret
    (replaced now), one more released, and one on a function the new files no longer declare."""
    document = settings_file()
    functions = document["functions"]
    functions[0] = {"name": "f-description", "description": "${V_BASE}"}
    functions[2] = {**functions[2], "description": "${V_BASE}"}
    functions.append({"name": "f-deleted", "description": "${V_BASE}"})
    return document


def literals_file() -> dict[str, Any]:
    rule = {
        "path": variable(LITERALS["ignore path"]),
        "reason": variable(LITERALS["ignore reason"]),
    }
    functions = [
        {"name": variable(LITERALS["name"])},
        {"name": "ns-ref", "namespace": variable(LITERALS["namespace"])},
        {"name": "rule-ref", "ignore": [rule]},
        {"name": "sensitive-ref", "sensitive": [variable(LITERALS["sensitive"])]},
    ]
    defaults = {**DEFAULTS, "namespace": variable(LITERALS["defaults.namespace"])}
    return {"defaults": defaults, "functions": functions}


def live_state() -> dict[str, Any]:
    names = ["f-description", "f-runtime", "f-flavor", "f-main", "f-envs", "f-code", "f-deleted"]
    live = [function(name, envs={"PLAIN": "old", "DB_TOKEN": "old"}) for name in names]
    live.append(function("f-echo", description=SETTINGS["description"]))
    return namespace("prod-api", *live)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "settings.yaml").write_text(json.dumps(settings_file()))
    (folder / "literals.yaml").write_text(json.dumps(literals_file()))
    (folder / "base.yaml").write_text(json.dumps(base_file()))
    code = {"defaults": DEFAULTS, "functions": [{"name": "code-ref", "code_file": "${SSH_KEY}"}]}
    (folder / "code.yaml").write_text(json.dumps(code))
    (folder / SETTINGS["code_file"]).write_text("def main():\n    return 'new'\n")
    return folder


def outputs(repo: Path, run_output: str) -> list[str]:
    """What a run printed, and every file it wrote (all of them go to ``out/``)."""
    files = sorted((repo.parent / "out").glob("*"))
    assert all(path.suffix != ".tmp" for path in files)
    return [run_output, *(path.read_text(errors="replace") for path in files)]


def assert_no_canary(texts: list[str]) -> None:
    for text in texts:
        leaked = [marker for marker in MARKERS if marker in text]
        assert leaked == [], text


def check_everywhere(
    repo: Path,
    emulator: Emulator,
    output_format: str,
    *extra: str,
    command: tuple[str, ...] = ("check", "settings.yaml"),
) -> str:
    out = repo.parent / "out"
    out.mkdir(exist_ok=True)
    reports = [f"--report={name}={out / f'report.{name}'}" for name in REPORTER_BY_NAME]
    summary = out / "summary.md"
    env = {
        **live_env(emulator),
        **VARIABLES,
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    args = (*command, "--format", output_format, "--step-summary", *reports)
    run = run_faasdrift(*args, *extra, env=env, cwd=repo)
    assert_no_canary(outputs(repo, run.output))
    return run.output


@pytest.mark.parametrize("verbosity", VERBOSITY, ids=["-v0", "-v1", "-v2"])
@pytest.mark.parametrize("output_format", list(REPORTER_BY_NAME))
def test_no_setting_leaks_in_any_format_or_verbosity(
    repo: Path, start_emulator: EmulatorFactory, output_format: str, verbosity: tuple[str, ...]
) -> None:
    emulator = start_emulator(live_state())
    text = check_everywhere(repo, emulator, output_format, *verbosity)
    if output_format == "text":  # the drift is there, each interpolated value hidden
        for path in ("description", "runtime", "flavor", "main_method", "envs.PLAIN"):
            assert f"{path}: (sensitive, changed)" in text
        assert '~ description: "***" -> "declared"' in text  # f-echo: the live side


@pytest.mark.parametrize("verbosity", VERBOSITY, ids=["-v0", "-v1", "-v2"])
@pytest.mark.parametrize("output_format", list(REPORTER_BY_NAME))
def test_no_setting_leaks_from_the_gate_in_any_format_or_verbosity(
    repo: Path, start_emulator: EmulatorFactory, output_format: str, verbosity: tuple[str, ...]
) -> None:
    emulator = start_emulator(live_state())
    gate = ("gate", "settings.yaml", "--base", "base.yaml")
    text = check_everywhere(repo, emulator, output_format, *verbosity, command=gate)
    if output_format == "text":  # every class met a secret, and showed none
        for line in (
            "! overwrite  runtime: (sensitive, changed by hand)",
            "! conflict   description: (sensitive, changed by hand and in the new files)",
            "= released   description: (sensitive, no longer declared)",
            "- delete     description: (sensitive, changed by hand)",
        ):
            assert line in text


def test_the_gate_registers_the_values_of_a_base_read_at_a_ref(
    repo: Path, start_emulator: EmulatorFactory
) -> None:
    git(repo, "init", "-q", "-b", "main")
    (repo / "settings.yaml").write_text(json.dumps(base_file()))
    commit(repo)
    (repo / "settings.yaml").write_text(json.dumps(settings_file()))
    emulator = start_emulator(live_state())
    gate = ("gate", "settings.yaml", "--base-ref", "main")
    text = check_everywhere(repo, emulator, "text", "-vv", command=gate)
    assert "= released   description: (sensitive, no longer declared)" in text


@pytest.mark.parametrize("output_format", list(REPORTER_BY_NAME))
def test_the_key_echoed_by_the_server_leaks_nowhere(
    repo: Path, start_emulator: EmulatorFactory, output_format: str
) -> None:
    emulator = start_emulator(live_state(), faults=Faults(echo_key_at=180))
    env_key = {"GCORE_API_KEY": KEY}
    out = repo.parent / "out"
    out.mkdir(exist_ok=True)
    reports = [f"--report={name}={out / f'report.{name}'}" for name in REPORTER_BY_NAME]
    args = ("check", "settings.yaml", "--format", output_format, "-vv", *reports)
    for mode in ("bulk", "per-function"):
        run = run_faasdrift(
            *args, "--fetch", mode, "--max-retries", "0",
            env={**live_env(emulator), **VARIABLES, **env_key}, cwd=repo,
        )  # fmt: skip
        assert run.code == 3, run.output
        assert_no_canary(outputs(repo, run.output))


def test_fields_taken_as_written_refuse_a_reference_and_never_show_a_value(repo: Path) -> None:
    for command in ("check", "validate"):
        run = run_faasdrift(command, "literals.yaml", env=VARIABLES, cwd=repo)
        assert run.code == 2, run.output
        assert_no_canary([run.output])
        assert run.output.count("is not expanded here") == len(LITERALS)
        unread = run_faasdrift(command, "code.yaml", env=VARIABLES, cwd=repo)
        assert unread.code == 2, unread.output
        assert "functions[0].code_file: cannot read '${SSH_KEY}': does not exist" in unread.stderr
        assert_no_canary([unread.output])


def test_validate_and_snapshot_register_every_value_too(
    repo: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = start_emulator(live_state())
    run = run_faasdrift("validate", "settings.yaml", env=VARIABLES, cwd=repo)
    assert run.code == 0, run.output
    snapshot = repo.parent / "out" / "live.json"
    snapshot.parent.mkdir(exist_ok=True)
    env = {**live_env(emulator), **VARIABLES}
    taken = run_faasdrift("snapshot", "settings.yaml", "-o", snapshot, env=env, cwd=repo)
    assert taken.code == 0, taken.output
    assert_no_canary([run.output, *outputs(repo, taken.output)])
    replay = run_faasdrift("check", "settings.yaml", "--live", snapshot, env=VARIABLES, cwd=repo)
    assert replay.code == 1, replay.output  # the same drift as live, no secret in the file
    assert_no_canary([replay.output])
