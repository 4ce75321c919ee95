"""Gcore's contract read right while the server is hostile: the real CLI, the emulator, sockets.

Issue 10's meanings (a namespace that does not exist, one this key may not read) and issue 11's
bounds (padded list pages within their budget, a server echoing the key into its error bodies)
at once: every verdict keeps its meaning, in name order, and no piece of the key is shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from faasdrift.emulator import Emulator, Faults, load_state
from faasdrift.report.formats import REPORTER_BY_NAME
from tests.acceptance.conftest import desired, function, namespace, run_faasdrift

KEY = "29841_c767d6a0b1f2e3d4-hostile"  # Gcore's newer token form, which the server echoes
SECRET = KEY.partition("_")[2]
MODES = [pytest.param("bulk", id="bulk"), pytest.param("per-function", id="per-function")]


def title(label: str, project: int = 1) -> str:
    return f"{label}  (project {project}, region 1)"


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    state = tmp_path / "state.json"
    namespaces = [
        namespace("prod-api", function("hello", timeout=10), function("orders")),
        namespace("billing", function("charge"), project_id=2),
    ]
    state.write_text(json.dumps({"namespaces": namespaces}))
    faults = Faults(
        forbidden_namespaces={"billing"},
        echo_key_at=150,  # every error body repeats the key, past the 200-character cut
        list_page_padding=200_000,  # pages the list budget must count, yet lets through
    )
    server = Emulator(load_state(state), api_key=KEY, faults=faults)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("mode", MODES)
def test_every_verdict_keeps_its_meaning_and_no_piece_of_the_key_shows(
    emulator: Emulator, tmp_path: Path, mode: str
) -> None:
    path = tmp_path / "desired.yaml"
    functions = [
        {"name": "hello", "timeout": 5},  # drift
        {"name": "orders"},  # in sync
        {"name": "gone"},  # no such function
        {"name": "charge", "namespace": "billing", "project_id": 2},  # forbidden: not checked
        {"name": "report", "namespace": "prod-apii"},  # its namespace does not exist
    ]
    path.write_text(json.dumps(desired(*functions)))
    out = tmp_path / "out"
    out.mkdir()
    reports = [f"--report={name}={out / f'report.{name}'}" for name in REPORTER_BY_NAME]
    env = {"GCORE_API_KEY": KEY, "GCORE_BASE_URL": emulator.url}

    run = run_faasdrift("check", path, "--fetch", mode, "-vv", *reports, env=env)

    assert run.code == 3, run.output  # incomplete (403) wins over the drift, which is all there
    lines = run.stdout.splitlines()
    assert lines[:2] == [f"~ {title('prod-api/hello')}  {path}:1", "    ~ timeout: 10 -> 5"]
    assert f"! {title('prod-api/gone')}  missing: no such function in Gcore" in lines
    assert (
        f"! {title('prod-apii/report')}  missing: namespace 'prod-apii' does not exist in"
        " project 1, region 1"
    ) in lines
    [forbidden] = [line for line in lines if "billing/charge" in line]
    assert "not checked:" in forbidden
    assert "HTTP 403 from Gcore (this API key may not read that project or namespace)" in forbidden
    assert lines[-1] == "5 functions: 1 in sync, 1 drifted, 2 missing, 1 not checked."
    lists = [request for request in emulator.requests if request.path.endswith("/functions")]
    assert all(request.params["order_by"] == "name.asc" for request in lists)
    if mode == "per-function":  # asked once, because the GET of report could not tell
        asked = [r.path for r in emulator.requests if r.path.endswith("/namespaces/1/1/prod-apii")]
        assert len(asked) == 1
    texts = [run.output, *(report.read_text() for report in sorted(out.iterdir()))]
    pieces = [SECRET[i : i + 5] for i in range(len(SECRET) - 4)]
    assert [piece for text in texts for piece in pieces if piece in text] == []
