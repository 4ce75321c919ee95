"""The nightly audit end to end: three nights of `check --baseline` against the emulator.

Every night is a new emulator process state on the SAME port (a baseline of another API is
refused), the clock pinned by FAASDRIFT_NOW, and each night's JSON report is the next night's
baseline, as the README's workflows keep it.

Night 1 finds alpha (timeout) and beta (description) drifted, delta and echo too. Night 2:
alpha unchanged, beta's live value changed again, gamma drifts (new), delta fixed, echo
answers 502. Night 3: nothing changes in live and echo answers again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from faasdrift.emulator import Emulator, Faults, load_state
from tests.acceptance.conftest import (
    API_KEY,
    Run,
    WriteYaml,
    desired,
    function,
    namespace,
    run_faasdrift,
)

DECLARED = desired(
    {"name": "alpha", "timeout": 5},
    {"name": "beta", "description": "Orders"},
    {"name": "gamma", "timeout": 5},
    {"name": "delta", "timeout": 5},
    {"name": "echo", "timeout": 5},
)
NIGHT_1 = {
    "alpha": {"timeout": 10},
    "beta": {"description": "hotfix 1"},
    "gamma": {},
    "delta": {"timeout": 30},
    "echo": {"timeout": 20},
}
NIGHT_2 = {**NIGHT_1, "beta": {"description": "hotfix 2"}, "gamma": {"timeout": 9}, "delta": {}}


class Nights:
    """Starts each night's emulator on one port; stops the last one at the end."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.port = 0
        self.running: Emulator | None = None

    def serve(self, live: dict[str, dict[str, Any]], faults: Faults | None = None) -> str:
        self.stop()
        functions = [function(name, **fields) for name, fields in live.items()]
        state = self.tmp_path / "state.json"
        state.write_text(json.dumps({"namespaces": [namespace("prod-api", *functions)]}))
        emulator = Emulator(load_state(state), api_key=API_KEY, faults=faults, port=self.port)
        self.running = emulator.start()
        self.port = emulator.port
        return emulator.url

    def stop(self) -> None:
        if self.running is not None:
            self.running.stop()
            self.running = None


@pytest.fixture
def nights(tmp_path: Path) -> Iterator[Nights]:
    started = Nights(tmp_path)
    yield started
    started.stop()


def night(url: str, day: str, *args: str | Path) -> Run:
    env = {"GCORE_API_KEY": API_KEY, "GCORE_BASE_URL": url, "FAASDRIFT_NOW": f"{day}T05:17:00Z"}
    # One GET a function, so an emulator fault on one function makes it "not checked".
    return run_faasdrift("check", "--fetch", "per-function", "--max-retries", "0", *args, env=env)


def by_path(report: Path) -> dict[tuple[str, str], dict[str, Any]]:
    document = json.loads(report.read_text())
    return {
        (entry["name"], change["path"]): change
        for entry in document["functions"]
        for change in entry["changes"]
    }


def _audit(write_yaml: WriteYaml, tmp_path: Path) -> tuple[Path, Path, tuple[str | Path, ...]]:
    """The desired file, the rolling report, and the options that read and replace it."""
    last = tmp_path / "last.json"
    return (
        write_yaml("desired.yaml", DECLARED),
        last,
        ("--baseline", last, "--report", f"json={last}"),
    )


def test_three_nights_new_known_changed_resolved_and_kept(
    nights: Nights, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    path, last, audit = _audit(write_yaml, tmp_path)

    first = night(nights.serve(NIGHT_1), "2026-11-20", path, *audit)
    assert first.code == 1, first.output
    assert f"--baseline {last} does not exist yet: a first run, every finding is new" in (
        first.stderr
    )
    night_1 = by_path(last)
    assert {night_1[key]["baseline"] for key in night_1} == {"new"}

    url = nights.serve(NIGHT_2, Faults(function_errors={"echo": 502}))
    second = night(url, "2026-11-21", path, *audit)
    assert second.code == 3, second.output  # echo could not be checked
    night_2 = by_path(last)
    alpha, beta = night_2["alpha", "timeout"], night_2["beta", "description"]
    assert (alpha["baseline"], alpha["first_seen"]) == ("known", "2026-11-20")
    assert alpha["fingerprint"] == night_1["alpha", "timeout"]["fingerprint"]
    assert (beta["baseline"], beta["first_seen"], beta["value_since"]) == (
        "changed",
        "2026-11-20",
        "2026-11-21",
    )
    assert night_2["gamma", "timeout"]["baseline"] == "new"
    document = json.loads(last.read_text())
    assert [(item["name"], item["path"]) for item in document["resolved"]] == [("delta", "timeout")]
    assert [(item["name"], item["path"]) for item in document["kept"]] == [("echo", "timeout")]
    assert document["baseline"]["generated_at"] == "2026-11-20T05:17:00Z"
    summary = second.stdout.splitlines()[-1]
    assert summary == (
        "5 functions: 1 in sync, 3 drifted (1 new, 1 changed, 1 known), "
        "1 not checked (1 new), 1 resolved since 2026-11-20."
    ), summary

    third = night(nights.serve(NIGHT_2), "2026-11-22", path, *audit)
    assert third.code == 0, third.output  # nothing changed: everything known
    night_3 = by_path(last)
    assert {change["baseline"] for change in night_3.values()} == {"known"}
    assert night_3["echo", "timeout"]["first_seen"] == "2026-11-20"  # kept through night 2
    assert "since 2026-11-20 (2 days)" in third.stdout
    assert len(json.loads(last.read_text())["history"]) == 2


def test_an_unchecked_function_fails_with_drift_only_as_drift(
    nights: Nights, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    path, last, audit = _audit(write_yaml, tmp_path)
    night(nights.serve(NIGHT_1), "2026-11-20", path, *audit)

    url = nights.serve(NIGHT_2, Faults(function_errors={"echo": 502}))
    run = night(url, "2026-11-21", path, *audit, "--fail-on", "drift")

    assert run.code == 1, run.output  # beta changed, gamma new: drift that counts
    assert "echo" in {item["name"] for item in json.loads(last.read_text())["kept"]}


def test_known_drift_passes_until_it_is_older_than_fail_on_age(
    nights: Nights, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    path = write_yaml("desired.yaml", desired({"name": "alpha", "timeout": 5}))
    live = {"alpha": {"timeout": 10}}
    last = tmp_path / "last.json"
    write = ("--report", f"json={last}")
    assert night(nights.serve(live), "2026-11-20", path, "--baseline", last, *write).code == 1
    url = nights.serve(live)
    baseline = tmp_path / "night1.json"
    baseline.write_bytes(last.read_bytes())

    for day, age, code in (("2026-11-22", "2", 0), ("2026-11-23", "2", 1), ("2026-11-21", "0", 1)):
        run = night(url, day, path, "--baseline", baseline, "--fail-on-age", age)
        assert run.code == code, (day, age, run.output)
    overdue = night(url, "2026-11-23", path, "--baseline", baseline, "--fail-on-age", "2")
    assert "OVERDUE: since 2026-11-20 (3 days), older than --fail-on-age" in overdue.stdout
    within = night(url, "2026-11-23", path, "--baseline", baseline, "--fail-on-age", "3")
    assert within.code == 0, within.output
    assert "since 2026-11-20 (3 days)" in within.stdout


def test_without_baseline_known_drift_fails_as_before(
    nights: Nights, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    path = write_yaml("desired.yaml", desired({"name": "alpha", "timeout": 5}))
    url = nights.serve({"alpha": {"timeout": 10}})
    last = tmp_path / "last.json"
    night(url, "2026-11-20", path, "--report", f"json={last}")

    assert night(url, "2026-11-21", path).code == 1
    assert night(url, "2026-11-21", path, "--baseline", last).code == 0
