"""Fingerprints: one stable digest per finding, computed from the real values before redaction.

A fingerprint digests the finding's kind, its function's identity (project, region, namespace,
name), its path and the *live* value, as a canonical JSON text: the same live value at the same
place is the same finding on every run, whatever the order of the desired file or the format
of the report; a new live value there is a new finding (the desired side does not count: a fix
of the file that does not reach the live function is still the same drift). Numbers are
compared by value as ``compare`` does, so a live ``5.0`` is the ``5`` of the night before.

A sensitive value is digested with the salt instead, slowly (``secrets.salted_digest``): the
ones ``compare`` hides, and any value in which one of the run's secrets occurs (a live value
that holds a ``${VAR}`` value would otherwise be an unsalted digest of a text whose only unknown
part is that secret). The salt is random on a first run and carried forward from the
baseline, so keyed digests compare across runs while no report holds an unsalted one.

Pure: no I/O, no clock; the run's secrets come in as a predicate.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from faasdrift.model import (
    Change,
    ChangeKind,
    DriftResult,
    Finding,
    FindingKey,
    FindingKind,
    Fingerprint,
    FunctionResult,
    FunctionStatus,
)
from faasdrift.secrets import salted_digest

SCHEME = "faasdrift-finding/1"  # part of every digest: a new scheme must never match an old one
_FUNCTION_KINDS = {
    FunctionStatus.MISSING: FindingKind.MISSING,
    FunctionStatus.UNMANAGED: FindingKind.UNMANAGED,
    FunctionStatus.NOT_CHECKED: FindingKind.NOT_CHECKED,
}

HoldsSecret = Callable[[str], bool]  # whether a text holds one of the run's secrets


def fingerprint(key: FindingKey, live: Any = None, *, salt: bytes | None = None) -> Fingerprint:
    """The digest of a finding at ``key`` whose live value is ``live``; keyed by ``salt`` when
    it is given (a sensitive value)."""
    payload = canonical(_payload(key, live)).encode("utf-8", "surrogatepass")
    if salt is not None:
        return Fingerprint(salted_digest(payload, salt))
    return Fingerprint(hashlib.sha256(payload).digest())


def _payload(key: FindingKey, live: Any) -> list[Any]:
    identity = key.identity
    where = [identity.project_id, identity.region_id, identity.namespace, identity.name]
    return [SCHEME, key.kind.value, *where, key.path, live]


def canonical(value: Any) -> str:
    """``value`` as one JSON text: keys sorted, no spaces, integral floats as integers."""
    return json.dumps(_normal(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _normal(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(key): _normal(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_normal(item) for item in value]
    return value


def live_side(change: Change) -> list[Any]:
    """What a change says of the live side: absent (declared, not live) or its value."""
    return ["absent"] if change.kind is ChangeKind.ADDED else ["live", change.live]


def findings_of(
    result: DriftResult, salt: bytes, holds_secret: HoldsSecret, today: date
) -> tuple[list[Finding], dict[FindingKey, Fingerprint]]:
    """Every finding of ``result``, new and first seen ``today``, and the fingerprints of the
    differences ignore rules accepted (not findings, but SARIF marks them the same way)."""
    found: list[Finding] = []
    ignored: dict[FindingKey, Fingerprint] = {}
    for function in result.functions:
        found.extend(_function_findings(function, salt, holds_secret, today))
        for item in function.ignored:
            key = FindingKey(FindingKind.VALUE, function.identity, item.change.path)
            ignored[key] = _value_print(key, item.change, salt, holds_secret)[0]
    return found, ignored


def _function_findings(
    function: FunctionResult, salt: bytes, holds_secret: HoldsSecret, today: date
) -> Iterator[Finding]:
    kind = _FUNCTION_KINDS.get(function.status)
    if kind is not None:
        key = FindingKey(kind, function.identity)
        sensitive = _holds(holds_secret, key, None)
        print_ = fingerprint(key, salt=salt if sensitive else None)
        yield Finding(key, print_, today, today, sensitive=sensitive)
    for change in function.changes:
        key = FindingKey(FindingKind.VALUE, function.identity, change.path)
        print_, sensitive = _value_print(key, change, salt, holds_secret)
        yield Finding(key, print_, today, today, sensitive=sensitive, change_kind=change.kind)


def _value_print(
    key: FindingKey, change: Change, salt: bytes, holds_secret: HoldsSecret
) -> tuple[Fingerprint, bool]:
    live = live_side(change)
    sensitive = change.sensitive or _holds(holds_secret, key, live)
    return fingerprint(key, live, salt=salt if sensitive else None), sensitive


def _holds(holds_secret: HoldsSecret, key: FindingKey, live: Any) -> bool:
    """Whether any text of the finding (names, path, live strings) holds a secret of the run."""
    texts = [key.identity.namespace, key.identity.name, key.path, *_strings(live)]
    return any(holds_secret(text) for text in texts)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
