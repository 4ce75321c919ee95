"""`check --baseline` with every kind of file a restored cache or artifact can leave there.

A baseline is read before any request: each refusal below is exit 2 with one clear line and
no traceback, and the emulator sees no request. An older report (before fingerprints) is read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from faasdrift.report.baseline_file import MAX_BASELINE_BYTES
from tests.acceptance.conftest import (
    EmulatorFactory,
    WriteYaml,
    desired,
    function,
    live_env,
    namespace,
    run_faasdrift,
)

NOW = {"FAASDRIFT_NOW": "2026-11-21T05:17:00Z"}
# Keys a report gained with fingerprints: without them it is a report of an older faasdrift.
NEWER_KEYS = {"salt", "base_url", "baseline", "resolved", "kept", "history", "findings"}
NEWER_CHANGE_KEYS = {"fingerprint", "baseline", "first_seen", "value_since", "overdue"}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _bad_baselines(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    directory = tmp_path / "dir.json"
    directory.mkdir()
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_BASELINE_BYTES + 1)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    deep = _write(tmp_path, "deep.json", "[" * 100 + "]" * 100)
    tool = {"name": "faasdrift", "version": "9.0.0"}
    return {
        "directory": (directory, "File '"),
        "dangling symlink": (dangling, "a symlink to a file that does not exist"),
        "too big": (big, "is larger than 256 MiB, the limit"),
        "fifo": (fifo, "is not a regular file"),
        "too deep": (deep, "is nested deeper than 64 levels"),
        "not json": (_write(tmp_path, "bad.json", '{"a":'), "is not JSON"),
        "a list": (_write(tmp_path, "list.json", "[]"), "is not a faasdrift JSON report"),
        "another tool": (
            _write(tmp_path, "other.json", json.dumps({"tool": {"name": "kubescape"}})),
            "is not a faasdrift JSON report",
        ),
        "newer version": (
            _write(tmp_path, "v9.json", json.dumps({"format_version": "9", "tool": tool})),
            "is a report of format_version '9', which this faasdrift does not read (1)",
        ),
        "gate report": (
            _write(
                tmp_path,
                "gate.json",
                json.dumps({"format_version": "1", "kind": "gate", "tool": tool}),
            ),
            "is the report of a faasdrift gate, not of a check",
        ),
        "snapshot": (
            _write(
                tmp_path,
                "snap.json",
                json.dumps({"format": "faasdrift-snapshot", "format_version": 1}),
            ),
            "is a faasdrift snapshot, not a report",
        ),
    }


CASES = [
    "directory",
    "dangling symlink",
    "too big",
    "fifo",
    "too deep",
    "not json",
    "a list",
    "another tool",
    "newer version",
    "gate report",
    "snapshot",
]


@pytest.mark.parametrize("case", CASES)
def test_a_bad_baseline_exits_2_before_any_request(
    case: str, start_emulator: EmulatorFactory, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))
    baseline, message = _bad_baselines(tmp_path)[case]

    run = run_faasdrift("check", path, "--baseline", baseline, env=live_env(emulator))

    assert run.code == 2, run.output
    assert run.stdout == ""
    assert message in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) <= 2, run.stderr  # one line (+ click's hint)
    assert emulator.requests == []


def test_a_baseline_of_another_api_exits_2(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    first = start_emulator(namespace("prod-api", function("hello", timeout=9)))
    other = start_emulator(namespace("prod-api", function("hello", timeout=9)))
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))
    report = tmp_path / "last.json"
    run_faasdrift("check", path, "--report", f"json={report}", env=live_env(first))

    run = run_faasdrift("check", path, "--baseline", report, env=live_env(other))

    assert run.code == 2, run.output
    assert f"is a report of {first.url}, but this run asks {other.url}" in run.stderr
    assert other.requests == []


def test_fail_on_age_without_a_baseline_is_a_usage_error(write_yaml: WriteYaml) -> None:
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))

    run = run_faasdrift("check", path, "--fail-on-age", "14")

    assert run.code == 2
    assert "--fail-on-age needs --baseline: an age is counted from a baseline" in run.stderr


def _older(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` as a faasdrift before fingerprints wrote it."""
    older = {key: value for key, value in document.items() if key not in NEWER_KEYS}
    older["totals"] = {k: v for k, v in document["totals"].items() if k not in NEWER_KEYS}
    for entry in older["functions"]:
        entry.pop("fingerprint", None)
        entry.pop("baseline", None)
        for change in entry["changes"]:
            for key in NEWER_CHANGE_KEYS:
                change.pop(key, None)
    return older


def _drifting_night(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, tmp_path: Path
) -> tuple[dict[str, str], Path, Path]:
    """hello drifting on 2026-11-20: the live env, the desired file, and that night's report."""
    emulator = start_emulator(namespace("prod-api", function("hello", timeout=9)))
    path = write_yaml("desired.yaml", desired({"name": "hello", "timeout": 5}))
    report = tmp_path / "last.json"
    env = {**live_env(emulator), "FAASDRIFT_NOW": "2026-11-20T05:17:00Z"}
    run_faasdrift("check", path, "--report", f"json={report}", env=env)
    return live_env(emulator), path, report


def test_a_report_older_than_fingerprints_is_read_and_matched_by_place(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    env, path, report = _drifting_night(start_emulator, write_yaml, tmp_path)
    older = tmp_path / "older.json"
    older.write_text(json.dumps(_older(json.loads(report.read_text()))))
    tonight = tmp_path / "tonight.json"

    run = run_faasdrift(
        "check",
        path,
        "--baseline",
        older,
        "--report",
        f"json={tonight}",
        env={**env, **NOW},
    )

    assert run.code == 0, run.output  # the same place drifting: known, not new
    change = json.loads(tonight.read_text())["functions"][0]["changes"][0]
    assert (change["baseline"], change["first_seen"]) == ("known", "2026-11-20")
    assert "since 2026-11-20 (1 day)" in run.stdout


def test_a_symlink_to_a_report_is_read_but_never_written_through(
    start_emulator: EmulatorFactory, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    env, path, report = _drifting_night(start_emulator, write_yaml, tmp_path)
    link = tmp_path / "link.json"
    link.symlink_to(report)
    before = report.read_bytes()

    read = run_faasdrift("check", path, "--baseline", link, env=env)
    assert read.code == 0, read.output

    write = run_faasdrift("check", path, "--baseline", link, "--report", f"json={link}", env=env)
    assert write.code == 2, write.output
    assert "symlink" in write.stderr
    assert report.read_bytes() == before
