"""Snapshots: the live state a check saw, saved as JSON for offline audits and local replay.

Format ``faasdrift-snapshot`` version 1 (README, "Offline audits")::

    {"format": "faasdrift-snapshot", "format_version": 1, "taken_at": "...Z",
     "base_url": "...", "desired": "desired.yaml",
     "namespaces": [{"project_id": 1, "region_id": 1, "name": "prod", "complete": false,
                     "functions": [{...as the API returned it...}],
                     "missing": ["name"], "not_checked": [{"name": "...", "reason": "..."}],
                     "missing_reason": "...", only when the namespace itself does not exist}]}

``complete`` says that ``functions`` holds every live function of the namespace (taken with
``--unmanaged``): then a name absent from it is missing. A snapshot never holds a secret: a
sensitive env value, and any field whose desired value came from ``${VAR}``, is saved as
``{"pbkdf2_sha256": HEX}``, a salted, slow digest (salt in ``salt``), and an offline check
compares the desired value's digest with it; the run's secrets are redacted from the rest.

A snapshot may come from a pull request too (``check --live``), so it is read as a desired file
is: a regular file only, size-capped, its JSON values counted and its nesting bounded before
anything is built.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faasdrift.errors import OutputFileError, UsageError
from faasdrift.model import FunctionId, LiveResult, LiveStatus, NamespaceKey
from faasdrift.outputs import json_text, write_atomically
from faasdrift.secrets import Secrets, is_sensitive_env, salted_digest
from faasdrift.snapshot.format import DIGEST_KEY, FORMAT, FORMAT_VERSION, validate_snapshot
from faasdrift.snapshot.json_file import read_json_file

# What `check --live` reads. A snapshot of 10,000 functions with 5 KB of code each is about 60 MB
# and 400,000 values; the caps leave room for that, and for the namespaces --unmanaged lists.
MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024
MAX_SNAPSHOT_VALUES = 2_000_000


class SnapshotError(UsageError):
    """A snapshot file is unreadable or not a faasdrift snapshot this version understands."""


@dataclass
class SnapshotNamespace:
    """What a snapshot knows of one namespace."""

    key: NamespaceKey
    complete: bool = False
    functions: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    not_checked: dict[str, str] = field(default_factory=dict)  # name -> reason
    missing_reason: str | None = None  # why its functions are missing: it does not exist

    def as_json(self) -> dict[str, Any]:
        project_id, region_id, name = self.key
        return {
            "project_id": project_id,
            "region_id": region_id,
            "name": name,
            "complete": self.complete,
            "functions": [self.functions[name] for name in sorted(self.functions)],
            "missing": sorted(self.missing),
            "not_checked": [
                {"name": name, "reason": self.not_checked[name]}
                for name in sorted(self.not_checked)
            ],
            **({"missing_reason": self.missing_reason} if self.missing_reason else {}),
        }


@dataclass
class Snapshot:
    salt: str
    namespaces: dict[NamespaceKey, SnapshotNamespace] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)  # taken_at, base_url, desired

    @classmethod
    def new(cls, **meta: Any) -> Snapshot:
        return cls(salt=secrets.token_hex(16), meta=meta)

    def namespace(self, key: NamespaceKey) -> SnapshotNamespace:
        return self.namespaces.setdefault(key, SnapshotNamespace(key))

    def record(
        self,
        result: LiveResult,
        sensitive: Collection[str] = (),
        secret_fields: Collection[str] = (),
    ) -> None:
        """Keep one function's live result; sensitive env values, and the fields named in
        ``secret_fields`` (dotted paths whose desired value came from ``${VAR}``), only as
        digests."""
        identity = result.identity
        space = self.namespace(identity.namespace_key)
        if result.status is LiveStatus.FOUND and result.data is not None:
            data = self.protected(result.data, sensitive)
            fields = {path for path in secret_fields if "." not in path and path != "envs"}
            space.functions[identity.name] = {
                name: self._digested(value) if name in fields else value
                for name, value in data.items()
            }
        elif result.status is LiveStatus.MISSING:
            space.missing.add(identity.name)
            space.missing_reason = result.reason or space.missing_reason
        else:
            space.not_checked[identity.name] = result.reason or "unknown error"

    def record_listing(self, key: NamespaceKey, items: Iterable[Mapping[str, Any]]) -> None:
        """Keep a namespace's complete listing; functions already recorded keep their GET data."""
        space = self.namespace(key)
        space.complete = True
        for item in items:
            space.functions.setdefault(str(item["name"]), self.protected(item, ()))

    def protected(self, data: Mapping[str, Any], sensitive: Collection[str]) -> dict[str, Any]:
        envs = data.get("envs")
        if not isinstance(envs, dict):
            return dict(data)
        hidden = {
            name: {DIGEST_KEY: self.digest(value)}
            if is_sensitive_env(name, sensitive) and isinstance(value, str)
            else value
            for name, value in envs.items()
        }
        return {**data, "envs": hidden}

    def _digested(self, value: Any) -> Any:
        return {DIGEST_KEY: self.digest(value)} if isinstance(value, str) else value

    def digest(self, value: str) -> str:
        return salted_digest(value.encode(), bytes.fromhex(self.salt)).hex()

    def as_json(self) -> dict[str, Any]:
        spaces = [self.namespaces[key].as_json() for key in sorted(self.namespaces)]
        head = {"format": FORMAT, "format_version": FORMAT_VERSION, **self.meta}
        return {**head, "salt": self.salt, "namespaces": spaces}

    def lookup(self, identity: FunctionId) -> LiveResult:
        """What the snapshot says of ``identity``, exactly as the live fetch said it."""
        space = self.namespaces.get(identity.namespace_key)
        if space is not None and identity.name in space.functions:
            data = space.functions[identity.name]
            return LiveResult(identity=identity, status=LiveStatus.FOUND, data=data)
        if space is not None and (identity.name in space.missing or space.complete):
            reason = space.missing_reason
            return LiveResult(identity=identity, status=LiveStatus.MISSING, reason=reason)
        if space is not None and identity.name in space.not_checked:
            reason = space.not_checked[identity.name]
            return LiveResult(identity=identity, status=LiveStatus.ERROR, reason=reason)
        reason = "not in the snapshot (take it again from this desired file)"
        return LiveResult(identity=identity, status=LiveStatus.ERROR, reason=reason)


def save_snapshot(snapshot: Snapshot, path: Path, secrets: Secrets | None = None) -> None:
    """Write ``snapshot`` to ``path`` atomically, redacted of ``secrets`` as data."""
    data = snapshot.as_json() if secrets is None else secrets.redact_data(snapshot.as_json())
    try:
        write_atomically(path, json_text(data, indent=1) + "\n", what="snapshot")
    except OutputFileError as error:
        raise SnapshotError(str(error)) from None


def load_snapshot(path: Path) -> Snapshot:
    """Read a snapshot written by ``save_snapshot``; ``SnapshotError`` if it is not one."""
    data = read_json_file(
        path,
        what="snapshot",
        max_bytes=MAX_SNAPSHOT_BYTES,
        max_values=MAX_SNAPSHOT_VALUES,
        error=SnapshotError,
    )
    return parse_snapshot(data, source=str(path))


def parse_snapshot(data: Any, *, source: str) -> Snapshot:
    valid = validate_snapshot(data, source=source)
    meta: dict[str, Any] = {
        key: valid[key] for key in ("taken_at", "base_url", "desired") if key in valid
    }
    snapshot = Snapshot(salt=valid["salt"], meta=meta)
    for raw in valid["namespaces"]:
        space = snapshot.namespace((raw["project_id"], raw["region_id"], raw["name"]))
        space.complete = raw["complete"]
        space.functions = {fn["name"]: fn for fn in raw["functions"]}
        space.missing = set(raw["missing"])
        space.not_checked = {item["name"]: item["reason"] for item in raw["not_checked"]}
        space.missing_reason = raw.get("missing_reason")
    return snapshot
