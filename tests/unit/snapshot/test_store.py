"""Snapshots: what a lookup says of each function, secrets kept only as digests, format checks."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from faasdrift.errors import UsageError
from faasdrift.model import (
    DesiredFunction,
    DesiredState,
    FunctionId,
    LiveResult,
    LiveStatus,
    Position,
)
from faasdrift.secrets import Secrets
from faasdrift.snapshot.format import emulator_state, validate_snapshot
from faasdrift.snapshot.replay import SnapshotSource
from faasdrift.snapshot.store import (
    MAX_SNAPSHOT_BYTES,
    Snapshot,
    SnapshotError,
    load_snapshot,
    save_snapshot,
)

A = FunctionId(1, 1, "prod", "a")


def ident(name: str, namespace: str = "prod") -> FunctionId:
    return FunctionId(1, 1, namespace, name)


def saved(tmp_path: Path, snapshot: Snapshot) -> Snapshot:
    path = tmp_path / "live.json"
    save_snapshot(snapshot, path)
    return load_snapshot(path)


def test_lookup_gives_back_each_recorded_verdict(tmp_path: Path) -> None:
    snapshot = Snapshot.new(taken_at="now")
    snapshot.record(LiveResult(A, LiveStatus.FOUND, {"name": "a", "timeout": 5}))
    snapshot.record(LiveResult(ident("b"), LiveStatus.MISSING))
    snapshot.record(LiveResult(ident("c"), LiveStatus.ERROR, reason="HTTP 500"))
    loaded = saved(tmp_path, snapshot)
    assert loaded.lookup(A).data == {"name": "a", "timeout": 5}
    assert loaded.lookup(ident("b")).status is LiveStatus.MISSING
    assert loaded.lookup(ident("c")).reason == "HTTP 500"
    unknown = loaded.lookup(ident("d"))
    assert unknown.status is LiveStatus.ERROR
    assert "not in the snapshot" in (unknown.reason or "")


def test_a_complete_listing_makes_absent_names_missing(tmp_path: Path) -> None:
    snapshot = Snapshot.new()
    snapshot.record_listing((1, 1, "prod"), [{"name": "a"}])
    loaded = saved(tmp_path, snapshot)
    assert loaded.lookup(ident("zzz")).status is LiveStatus.MISSING
    assert loaded.lookup(ident("a", "other")).status is LiveStatus.ERROR


def test_why_a_namespace_is_missing_is_kept(tmp_path: Path) -> None:
    reason = "namespace 'gone' does not exist in project 1, region 1"
    snapshot = Snapshot.new()
    snapshot.record(LiveResult(ident("a", "gone"), LiveStatus.MISSING, reason=reason))
    snapshot.record(LiveResult(ident("b"), LiveStatus.MISSING))
    loaded = saved(tmp_path, snapshot)
    assert loaded.lookup(ident("a", "gone")) == LiveResult(
        ident("a", "gone"), LiveStatus.MISSING, reason=reason
    )
    assert loaded.lookup(ident("b")) == LiveResult(ident("b"), LiveStatus.MISSING)
    assert "missing_reason" not in snapshot.namespaces[(1, 1, "prod")].as_json()


def replayed(data: dict[str, object], fields: tuple[str, ...]) -> LiveResult:
    snapshot = Snapshot.new()
    snapshot.record(LiveResult(A, LiveStatus.FOUND, data))
    declared = DesiredFunction(A, dict.fromkeys(fields), Position(1, 1))
    source = SnapshotSource(snapshot, DesiredState("d.yaml", (declared,)))
    return asyncio.run(source.fetch_function(A, fields))


@pytest.mark.parametrize("field", ["envs", "keys", "disabled", "enable_api_key", "timeout"])
def test_a_field_the_snapshot_does_not_hold_is_not_read_as_null(field: str) -> None:
    result = replayed({"name": "a"}, (field,))
    assert (result.status, result.reason) == (
        LiveStatus.ERROR,
        f"the snapshot does not hold field {field} (take it again from this file)",
    )


@pytest.mark.parametrize("field", ["envs", "keys", "disabled", "enable_api_key"])
def test_a_null_the_snapshot_holds_is_a_null(field: str) -> None:
    result = replayed({"name": "a", field: None}, (field,))
    assert result.status is LiveStatus.FOUND
    assert result.data == {"name": "a", field: None}


def test_secrets_are_saved_as_digests_and_matched_offline(tmp_path: Path) -> None:
    snapshot = Snapshot.new()
    data = {"name": "a", "envs": {"API_TOKEN": "s3cret", "MINE": "listed", "LEVEL": "info"}}
    snapshot.record(LiveResult(A, LiveStatus.FOUND, data), sensitive={"MINE"})
    path = tmp_path / "live.json"
    save_snapshot(snapshot, path)
    text = path.read_text(encoding="utf-8")
    assert "s3cret" not in text
    assert "listed" not in text
    assert '"LEVEL": "info"' in text
    loaded = load_snapshot(path)
    for wanted, expected in (("s3cret", "s3cret"), ("rotated", "***")):
        envs = {"API_TOKEN": wanted, "MINE": "listed", "LEVEL": "info"}
        state = DesiredState("d.yaml", (DesiredFunction(A, {"envs": envs}, Position(1, 1)),))
        result = asyncio.run(SnapshotSource(loaded, state).fetch_function(A, ("envs",)))
        assert result.data is not None
        assert result.data["envs"] == {**envs, "API_TOKEN": expected}


def test_emulator_state_serves_documented_fields_only() -> None:
    snapshot = Snapshot.new()
    data = {"name": "a", "envs": {"API_TOKEN": "x"}, "unknown_field": 1, "timeout": 5}
    snapshot.record(LiveResult(A, LiveStatus.FOUND, data))
    state = emulator_state(validate_snapshot(snapshot.as_json(), source="s"))
    served = state["namespaces"][0]["functions"][0]
    assert served == {"name": "a", "envs": {"API_TOKEN": "***"}, "timeout": 5}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "faasdrift-snapshot", "format_version": 2}, "version 2 is not supported"),
        ([], "not a faasdrift snapshot: the file: [] is not of type 'object'"),
        (
            {"format": "faasdrift-snapshot", "format_version": 1, "salt": "00", "namespaces": [{}]},
            "not a faasdrift snapshot: namespaces.0: 'project_id' is a required property",
        ),
    ],
)
def test_invalid_snapshots_are_refused(data: object, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        validate_snapshot(data, source="live.json")
    assert message in str(caught.value)


def test_unreadable_snapshot(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read snapshot"):
        load_snapshot(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(UsageError, match="is not JSON"):
        load_snapshot(tmp_path / "bad.json")


def _write(folder: Path, text: str) -> Path:
    path = folder / "live.json"
    path.write_text(text)
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "live.fifo"
    os.mkfifo(path)
    return path


def _big(folder: Path) -> Path:
    path = folder / "big.json"
    with path.open("wb") as file:
        file.truncate(MAX_SNAPSHOT_BYTES + 1)  # sparse: nothing is really written
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: Path("/dev/zero"), "is not a regular file (a device, pipe or socket)"),
        (_fifo, "is not a regular file (a device, pipe or socket)"),
        (lambda tmp: tmp, "is a directory, not a file"),
        (lambda tmp: _write(tmp, "[" * 100_000 + "]" * 100_000), "nested deeper than 64 levels"),
        (lambda tmp: _write(tmp, "[" * 65 + "]" * 65), "nested deeper than 64 levels"),
        (lambda tmp: _write(tmp, "[" + "1," * 2_000_000 + "1]"), "more than 2,000,000 JSON values"),
        (lambda tmp: _write(tmp, '{"a": ' + "9" * 5000 + "}"), "holds a number too long to read"),
        (_big, "is larger than 128 MiB, the limit"),
    ],
)
def test_a_hostile_snapshot_is_refused_before_it_is_built(
    tmp_path: Path, make: Callable[[Path], Path], reason: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(SnapshotError) as caught:
        load_snapshot(path)
    assert reason in str(caught.value)
    assert caught.value.exit_code == 2


def test_a_field_that_came_from_the_environment_is_saved_as_a_digest(tmp_path: Path) -> None:
    snapshot = Snapshot.new(taken_at="now")
    live = {"name": "a", "description": "s3cret-desc", "timeout": 5, "envs": {"K": "v"}}
    snapshot.record(LiveResult(A, LiveStatus.FOUND, live), (), {"description", "envs.K"})
    path = tmp_path / "live.json"
    secrets = Secrets()
    secrets.add_value("timeout-secret")
    save_snapshot(snapshot, path, secrets)
    assert "s3cret-desc" not in path.read_text()
    desired = DesiredFunction(A, {"description": "s3cret-desc", "timeout": 5}, Position(1, 1))
    source = SnapshotSource(load_snapshot(path), DesiredState("d.yaml", (desired,)))
    replayed = asyncio.run(source.fetch_function(A, ["description", "timeout"]))
    assert replayed.data is not None
    assert replayed.data["description"] == "s3cret-desc"
    other = DesiredFunction(A, {"description": "another"}, Position(1, 1))
    differs = SnapshotSource(load_snapshot(path), DesiredState("d.yaml", (other,)))
    result = asyncio.run(differs.fetch_function(A, ["description"]))
    assert result.data is not None
    assert result.data["description"] == "***"


def test_a_snapshot_is_redacted_of_the_run_s_secrets_and_written_atomically(
    tmp_path: Path,
) -> None:
    snapshot = Snapshot.new(taken_at="now", desired="d.yaml")
    snapshot.record(LiveResult(A, LiveStatus.ERROR, reason="echoed 1$the-key-value back"))
    secrets = Secrets()
    secrets.add_api_key("1$the-key-value")
    path = tmp_path / "live.json"
    path.symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(SnapshotError, match="is a symbolic link"):
        save_snapshot(snapshot, path, secrets)
    path.unlink()
    save_snapshot(snapshot, path, secrets)
    assert "the-key-value" not in path.read_text()
    assert "echoed *** back" in path.read_text()


def test_a_lone_surrogate_from_the_api_is_saved_and_read_back(tmp_path: Path) -> None:
    snapshot = Snapshot.new(taken_at="now")
    snapshot.record(LiveResult(A, LiveStatus.FOUND, {"name": "a", "description": "\ud800"}))
    assert saved(tmp_path, snapshot).lookup(A).data == {"name": "a", "description": "\ud800"}
