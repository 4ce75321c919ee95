"""The snapshot file's structure, checked before use, and its conversion to an emulator state.

Function objects are kept as the API returned them, so only their ``name`` is checked here; an
offline check validates the compared fields exactly as a live check validates a response.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from faasdrift.errors import UsageError
from faasdrift.schemas import FUNCTION_SCHEMA, load_schema
from faasdrift.secrets import REDACTED

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

FORMAT = "faasdrift-snapshot"
FORMAT_VERSION = 1
DIGEST_KEY = "pbkdf2_sha256"  # a secret saved as {DIGEST_KEY: hex}, never as its value

_NAME = {"type": "string", "minLength": 1}
_NAMESPACE = {
    "type": "object",
    "required": ["project_id", "region_id", "name", "complete", "functions"],
    "properties": {
        "project_id": {"type": "integer", "minimum": 1},
        "region_id": {"type": "integer", "minimum": 1},
        "name": _NAME,
        "complete": {"type": "boolean"},
        "functions": {
            "type": "array",
            "items": {"type": "object", "required": ["name"], "properties": {"name": _NAME}},
        },
        "missing": {"type": "array", "items": _NAME, "default": []},
        # Added within version 1: why the functions are missing (the namespace does not exist).
        "missing_reason": {"type": "string"},
        "not_checked": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {"name": _NAME, "reason": {"type": "string"}},
            },
        },
    },
}
SNAPSHOT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "format_version", "salt", "namespaces"],
    "properties": {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "salt": {"type": "string", "pattern": "^([0-9a-f]{2})+$"},
        "namespaces": {"type": "array", "items": _NAMESPACE},
    },
}


def is_snapshot(data: object) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT


def validate_snapshot(data: Any, *, source: str) -> dict[str, Any]:
    """``data`` with optional lists filled in; ``UsageError`` naming the first problem."""
    if is_snapshot(data) and data.get("format_version") != FORMAT_VERSION:
        version = data.get("format_version")
        raise UsageError(
            f"{source}: snapshot format version {version!r} is not supported "
            f"(this faasdrift reads version {FORMAT_VERSION})"
        )
    error = next(iter(sorted(_validator().iter_errors(data), key=lambda e: e.path)), None)
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "the file"
        raise UsageError(f"{source}: not a faasdrift snapshot: {where}: {error.message}")
    for space in data["namespaces"]:
        space.setdefault("missing", [])
        space.setdefault("not_checked", [])
    return dict(data)


@cache
def _validator() -> Draft202012Validator:
    # Imported here: a check that replays no snapshot never needs jsonschema (bench/).
    from jsonschema import Draft202012Validator  # noqa: PLC0415

    return Draft202012Validator(SNAPSHOT_SCHEMA)


def emulator_state(data: Mapping[str, Any]) -> dict[str, Any]:
    """A validated snapshot as the emulator's state: its functions served as recorded.

    Only fields the API documents are kept (the emulator refuses others), and a secret saved as
    a digest is served as ``***``: replaying a snapshot never reveals a secret, so a check of
    the replay reports those envs as drift.
    """
    known = set(load_schema(FUNCTION_SCHEMA)["properties"])
    namespaces = [
        {
            "project_id": space["project_id"],
            "region_id": space["region_id"],
            "name": space["name"],
            "functions": [_served(fn, known) for fn in space["functions"]],
        }
        for space in data["namespaces"]
    ]
    return {"namespaces": namespaces, "fill_informational": False}


def _served(function: Mapping[str, Any], known: set[str]) -> dict[str, Any]:
    served = {key: value for key, value in function.items() if key in known}
    for key, value in served.items():  # a field saved as a digest (its value came from ${VAR})
        if isinstance(value, dict) and key != "envs" and set(value) == {DIGEST_KEY}:
            served[key] = REDACTED
    envs = served.get("envs")
    if isinstance(envs, dict):
        served["envs"] = {
            name: value if isinstance(value, str) else REDACTED for name, value in envs.items()
        }
    return served
