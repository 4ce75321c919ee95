"""Every value a ${VAR} takes from the environment is a secret: protected, its changes hidden."""

from __future__ import annotations

import textwrap
from pathlib import Path

from faasdrift.compare import compare_all
from faasdrift.desired.document import load_desired
from faasdrift.model import (
    LiveResult,
    LiveStatus,
)

ENV = {"CI_SECRET": "s3cret-in-description", "SHORT": "on"}


def write(folder: Path, body: str) -> Path:
    path = folder / "desired.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_every_value_taken_from_the_environment_is_told_to_protect(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        defaults: {project_id: 1, region_id: 1, namespace: prod}
        functions:
          - name: hello
            description: "by ${CI_SECRET}"
            runtime: "${UNSET:-python3.10.13}"
            envs: {FLAG: "${SHORT}"}
        """,
    )
    told: list[str] = []
    state = load_desired(path, environ=ENV, protect=told.append)
    assert sorted(told) == ["on", "s3cret-in-description"]  # a default is in the file: not told
    assert state.functions[0].sensitive_paths == frozenset({"description", "runtime", "envs.FLAG"})


def test_a_change_at_inside_or_around_an_interpolated_value_is_sensitive(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        defaults: {project_id: 1, region_id: 1, namespace: prod}
        functions:
          - name: hello
            description: "${CI_SECRET}"
            timeout: 5
            envs: {TOKENLESS: "${CI_SECRET}", LOG_LEVEL: info}
        """,
    )
    state = load_desired(path, environ=ENV)
    function = state.functions[0]
    # envs.TOKENLESS is inside the interpolated value's field; a whole-envs change around it.
    live = {"description": "old", "timeout": 9, "envs": {"TOKENLESS": "x", "LOG_LEVEL": "info"}}
    found = LiveResult(function.identity, LiveStatus.FOUND, data=live)
    changes = compare_all(state, {function.identity: found}).functions[0].changes
    assert {c.path: c.sensitive for c in changes} == {
        "timeout": False,
        "envs.TOKENLESS": True,
        "description": True,
    }
    whole = {**live, "envs": ["not", "a", "mapping"]}
    found = LiveResult(function.identity, LiveStatus.FOUND, data=whole)
    changes = compare_all(state, {function.identity: found}).functions[0].changes
    assert {c.path: c.sensitive for c in changes}["envs"] is True
