"""Load the emulator's state file: the namespaces and functions the fake Gcore API serves.

The whole file is validated before the server starts (each function against the shipped function
schema, plus the file's own structure and uniqueness rules) so a typo fails fast with every problem
listed, instead of surfacing later as puzzling drift.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from faasdrift.emulator.validation import EmulatorStateError, problem, validate_state
from faasdrift.model import Position
from faasdrift.snapshot.format import emulator_state, is_snapshot, validate_snapshot

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _StateLoader(_SafeLoader):
    """A safe loader that keeps timestamps as text: the API sends ``created_at`` as a string."""


def _timestamp_as_text(loader: _StateLoader, node: yaml.Node) -> str:
    assert isinstance(node, yaml.ScalarNode)  # the timestamp resolver matches scalars only
    return loader.construct_scalar(node)


_StateLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)

# Base of the made-up creation dates; fixed so responses are identical from run to run.
_EPOCH = datetime(2024, 1, 15, 9, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class EmulatedFunction:
    """One function as the API returns it; ``body`` is ``data`` serialised once, served as is."""

    name: str
    created_at: str
    data: Mapping[str, Any]
    body: bytes


@dataclass(frozen=True)
class EmulatedNamespace:
    project_id: int
    region_id: int
    name: str
    data: Mapping[str, Any]
    body: bytes
    functions: Mapping[str, EmulatedFunction]
    # Namespace objects carry no creation date; lists still sort them by it, so all tie.
    created_at: str = ""


@dataclass(frozen=True)
class EmulatorState:
    """The validated content of a state file. Treat every mapping inside as read-only."""

    source: str
    namespaces: tuple[EmulatedNamespace, ...]

    def namespaces_in(self, project_id: int, region_id: int) -> list[EmulatedNamespace]:
        return [
            ns for ns in self.namespaces if (ns.project_id, ns.region_id) == (project_id, region_id)
        ]

    def namespace(self, project_id: int, region_id: int, name: str) -> EmulatedNamespace | None:
        return next(
            (ns for ns in self.namespaces_in(project_id, region_id) if ns.name == name), None
        )

    @property
    def function_count(self) -> int:
        return sum(len(ns.functions) for ns in self.namespaces)


def load_state(path: str | os.PathLike[str]) -> EmulatorState:
    """Read, validate and build the state file at ``path`` (JSON or YAML, chosen by content).

    Raises ``EmulatorStateError`` (a ``UsageError``, exit 2) listing every problem, one per line.
    """
    source = os.fspath(path)
    return parse_state(_read(source), source=source)


def parse_state(data: object, *, source: str = "<state>") -> EmulatorState:
    """Validate already-parsed state ``data`` (e.g. built by a benchmark) and build the state.

    A faasdrift snapshot (``faasdrift snapshot``) is served as the functions it recorded.
    """
    if is_snapshot(data):
        data = emulator_state(validate_snapshot(data, source=source))
    valid = validate_state(data, source)
    fill = bool(valid.get("fill_informational", True))
    namespaces = tuple(_namespace(raw, i, fill) for i, raw in enumerate(valid["namespaces"]))
    return EmulatorState(source=source, namespaces=namespaces)


def _read(source: str) -> object:
    try:
        # Bytes, not text mode: text mode would turn CRLF into LF inside code_text.
        text = Path(source).read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise EmulatorStateError([problem(source, f"cannot read: {error.strerror}")]) from error
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (bad byte at offset {error.start})"
        raise EmulatorStateError([problem(source, message)]) from error
    if text.lstrip().startswith(("{", "[")):
        return _parse_json(text, source)
    return _parse_yaml(text, source)


def _parse_json(text: str, source: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = Position(error.lineno, error.colno)
        raise EmulatorStateError([problem(source, f"invalid JSON: {error.msg}", where)]) from error


def _parse_yaml(text: str, source: str) -> object:
    try:
        return yaml.load(text, Loader=_StateLoader)  # a safe loader, see _StateLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = Position(mark.line + 1, mark.column + 1) if mark else None
        reason = getattr(error, "problem", None) or str(error)
        raise EmulatorStateError([problem(source, f"invalid YAML: {reason}", where)]) from error


def _namespace(raw: Mapping[str, Any], index: int, fill: bool) -> EmulatedNamespace:
    project_id, region_id, name = int(raw["project_id"]), int(raw["region_id"]), raw["name"]
    data = {"name": name, "description": raw.get("description", ""), "envs": raw.get("envs") or {}}
    functions: dict[str, EmulatedFunction] = {}
    for position, fn in enumerate(raw.get("functions", [])):
        defaults = (
            _informational(fn, (project_id, region_id, name), (index, position)) if fill else {}
        )
        functions[fn["name"]] = _function(fn, defaults)
    return EmulatedNamespace(project_id, region_id, name, data, _encode(data), functions)


def _function(raw: Mapping[str, Any], defaults: Mapping[str, Any]) -> EmulatedFunction:
    # The state's own fields first (in its order), then the informational ones it left out.
    data = {**raw, **{key: value for key, value in defaults.items() if key not in raw}}
    return EmulatedFunction(raw["name"], str(data.get("created_at", "")), data, _encode(data))


def _informational(
    raw: Mapping[str, Any], where: tuple[int, int, str], index: tuple[int, int]
) -> dict[str, Any]:
    """Plausible read-only fields, derived from identity and file position so runs repeat.

    ``created_at`` grows with the position in the file, so ``order_by=created_at.*`` is testable.
    """
    project_id, region_id, namespace = where
    path = "/".join(quote(part, safe="") for part in (namespace, raw["name"]))
    instances = (raw.get("autoscaling") or {}).get("min_instances", 1)
    created = _EPOCH + timedelta(days=index[0], minutes=index[1])
    return {
        "id": str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"faasdrift-emulator:{project_id}/{region_id}/{path}")
        ),
        "status": "Running",
        "build_status": "Ready",
        "build_message": "",
        "deploy_status": {"total": instances, "ready": instances},
        "endpoint": f"https://faas.example.com/{project_id}/{region_id}/{path}",
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _encode(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
