"""Which values faasdrift must never print: sensitive env vars and the API key.

Env values are still compared (a rotated secret is drift); the drift engine only flags changes
whose env name looks sensitive, and reporters hide the values of flagged changes. The name test is a
heuristic, so callers can add names explicitly (a later per-function ``sensitive:`` list).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

SENSITIVE_ENV_PATTERN = re.compile(
    r"(?i)(secret|token|password|passwd|pwd|api_?key|private|credential|auth)"
)

# Text put where a secret was; short so a redacted message still reads as one line.
REDACTED = "***"

# PBKDF2 rounds of a salted digest of a secret: ~4 ms a value slows guessing a weak secret from a
# file that holds its digest and its salt, and keeps a file of thousands of them quick to write.
SALTED_DIGEST_ITERATIONS = 20_000

# A fragment shorter than this is too likely to be ordinary text to replace everywhere.
MIN_SECRET_LENGTH = 4
_MIN_FRAGMENT = MIN_SECRET_LENGTH

T = TypeVar("T")

# What faasdrift writes of its own that a short secret could spell by chance: hex digests and
# salts, UTC days and moments. ``Secrets.redact`` leaves the ones a caller vouches for.
_OWN_TOKEN = re.compile(
    r"(?<![0-9a-f])[0-9a-f]{32,64}(?![0-9a-f])|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:T[0-9:.]+Z)?"
)


def is_sensitive_env(name: str, extra_names: Collection[str] = ()) -> bool:
    """Whether the env var ``name`` holds a secret, by its name or because it is listed."""
    return name in extra_names or SENSITIVE_ENV_PATTERN.search(name) is not None


# Gcore shows a permanent token as <id>$<secret> and, lately, as <id>_<secret> (29841_c767...).
_TOKEN = re.compile(r"(?P<id>[^$_]*)[$_](?P<secret>.+)", re.DOTALL)

# A Gcore permanent API token: its numeric id, ``$`` or ``_``, and the secret Gcore generates
# (16 visible ASCII characters is far below any it issues). Another shape is refused before use
# (``live.credentials``): a placeholder key ("test") would turn ordinary words into ``***``.
MIN_TOKEN_SECRET_LENGTH = 16
GCORE_TOKEN = re.compile(rf"[0-9]+[$_][\x21-\x7e]{{{MIN_TOKEN_SECRET_LENGTH},}}")


def api_key_fragments(api_key: str) -> tuple[str, ...]:
    """The parts of a Gcore key worth redacting: the whole key and the secret after its id.

    Keys look like ``<digits>$<secret>`` or ``<digits>_<secret>``; a server message may echo the
    secret alone, while the numeric id is not secret (Gcore itself prints it: "Bad permanent
    token: <id>"), so wherever the id could be shown, only the id is.
    """
    fragments = [api_key]
    token = _TOKEN.fullmatch(api_key)
    if token is not None and len(token["secret"]) >= _MIN_FRAGMENT:
        fragments.append(token["secret"])
    return tuple(fragment for fragment in fragments if fragment)


def salted_digest(data: bytes, salt: bytes) -> bytes:
    """A slow, salted digest of ``data`` (PBKDF2-HMAC-SHA-256): what a file may hold of a secret
    (snapshots and report fingerprints), never the secret nor a fast or unsalted hash of it."""
    return hashlib.pbkdf2_hmac("sha256", data, salt, SALTED_DIGEST_ITERATIONS)


def redact(text: str, fragments: Collection[str]) -> str:
    """``text`` with every occurrence of a secret fragment replaced, longest first."""
    for fragment in sorted(fragments, key=len, reverse=True):
        text = text.replace(fragment, REDACTED)
    return text


class Secrets(Collection[str]):
    """Every text faasdrift must never print, as far as the run knows so far: the API key's
    fragments and each value a ``${VAR}`` took from the environment.

    One registry per run, shared by everything that produces output: the client redacts server
    text with it before cutting it short, the console and the reports redact data with it
    *before* anything is encoded (JSON, XML, URLs, GitHub commands, ``repr``), so no escaping can
    change the bytes a secret is recognised by. It is a ``Collection`` of the fragments, so it
    goes wherever ``redact`` takes fragments.
    """

    def __init__(self) -> None:
        self._fragments: set[str] = set()
        self._longest_first: tuple[str, ...] = ()
        self._document_fragments: tuple[str, ...] = ()

    def add_api_key(self, api_key: str) -> None:
        """Never print ``api_key`` (nor its secret after the id, ``$`` or ``_``) from now on."""
        fragments = api_key_fragments(api_key.strip())
        self._add(fragments)
        unmistakable = {f for f in fragments if len(f) >= MIN_TOKEN_SECRET_LENGTH}
        merged = unmistakable | set(self._document_fragments)
        self._document_fragments = tuple(sorted(merged, key=len, reverse=True))

    def add_value(self, value: str) -> None:
        """Never print ``value`` (one taken from the environment) from now on.

        Each of its lines counts on its own too: a multi-line secret (a PEM key) printed line by
        line, as diffs and GitHub's masks do, must not show its lines. Values and lines shorter
        than ``MIN_SECRET_LENGTH`` are left: replacing every "on" or "1" would garble a report,
        and their changes are hidden anyway (they are marked sensitive).
        """
        pieces = [value, *value.splitlines()]
        self._add(piece for piece in pieces if len(piece.strip()) >= MIN_SECRET_LENGTH)

    def _add(self, fragments: Iterable[str]) -> None:
        new = {fragment for fragment in fragments if fragment} - self._fragments
        if new:
            self._fragments |= new
            self._longest_first = tuple(sorted(self._fragments, key=len, reverse=True))

    def __contains__(self, item: object) -> bool:
        return item in self._fragments

    def __iter__(self) -> Iterator[str]:
        return iter(self._longest_first)

    def __len__(self) -> int:
        return len(self._fragments)

    def redact(self, text: str, keep: Collection[str] = ()) -> str:
        """``text`` with every secret replaced by ``***``, except inside the tokens ``keep``
        names: faasdrift's own digests and dates (``_OWN_TOKEN``), which hold nothing of any
        secret, but which a secret of four hex digits or a year could spell a piece of."""
        return _keeping(text, keep, self._longest_first)

    def redact_document(self, text: str, keep: Collection[str] = ()) -> str:
        """The last line of defence on a document made from redacted data (a report, a desired
        file): only the API key's fragments of 16 characters or more, which no format's own text
        holds. A value from the environment may be any word ("null", "testsuites"): replaced in
        the rendered text it would break the syntax, and as data it is already replaced."""
        return _keeping(text, keep, self._document_fragments)

    def redact_data(self, value: T) -> T:
        """``value`` with every string in it redacted, however deep: frozen dataclasses, mappings
        (keys too), lists, tuples and sets are rebuilt; anything else is returned as it is.

        This is what "redact before encoding" means in practice: a run, a problem or a log
        record is redacted as data, and only then turned into text by whatever format prints it.
        """
        if not self._fragments:
            return value
        redacted: T = _Redactor(self).walk(value)
        return redacted


def _keeping(text: str, keep: Collection[str], fragments: Sequence[str]) -> str:
    """``text`` with ``fragments`` (longest first) replaced, but not inside a token ``keep``
    names (``_OWN_TOKEN``)."""
    if not keep or not any(fragment in text for fragment in fragments):
        return _replaced(text, fragments)
    pieces, start = [], 0
    for match in _OWN_TOKEN.finditer(text):
        if match.group() in keep:
            pieces += [_replaced(text[start : match.start()], fragments), match.group()]
            start = match.end()
    return "".join([*pieces, _replaced(text[start:], fragments)])


def _replaced(text: str, fragments: Sequence[str]) -> str:
    for fragment in fragments:
        if fragment in text:
            text = text.replace(fragment, REDACTED)
    return text


class _Redactor:
    """Rebuilds only what holds a secret: anything without one is returned as it is (a run of
    10,000 functions in sync is walked, never copied)."""

    def __init__(self, secrets: Secrets) -> None:
        self.secrets = secrets

    def walk(self, value: Any) -> Any:
        kind = _kind(type(value))
        if kind is _TEXT:
            return self.secrets.redact(value)
        if isinstance(kind, tuple):  # a dataclass: the names of its fields
            return self._dataclass(value, kind)
        if kind is _MAPPING:
            return self._mapping(value)
        if kind is _COLLECTION and value:
            items = [self.walk(item) for item in value]
            unchanged = all(new is old for new, old in zip(items, value, strict=True))
            return value if unchanged else type(value)(items)
        return value  # an atom, or what the redactor does not know

    def _mapping(self, value: Mapping[Any, Any]) -> dict[Any, Any]:
        pairs = [(self.walk(key), self.walk(item)) for key, item in value.items()]
        unchanged = isinstance(value, dict) and all(
            new_key is key and new is item
            for (new_key, new), (key, item) in zip(pairs, value.items(), strict=True)
        )
        return value if unchanged else dict(pairs)  # type: ignore[return-value]

    def _dataclass(self, value: Any, names: tuple[str, ...]) -> Any:
        changes = {}
        for name in names:
            old = getattr(value, name)
            new = self.walk(old)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value


_TEXT, _ATOM, _MAPPING, _COLLECTION, _OTHER = "text", "atom", "mapping", "collection", "other"


_KINDS: dict[type, str | tuple[str, ...]] = {}


def _kind(cls: type) -> str | tuple[str, ...]:
    """How the redactor walks a value of class ``cls``; for a dataclass, the fields its
    ``__init__`` takes. Decided once per class: a run of 10,000 functions holds ~150,000 values."""
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = _kind_of(cls)
    return kind


def _kind_of(cls: type) -> str | tuple[str, ...]:
    if issubclass(cls, str):
        return _TEXT
    if issubclass(cls, _ATOMS):
        return _ATOM
    if dataclasses.is_dataclass(cls):
        return tuple(field.name for field in dataclasses.fields(cls) if field.init)
    if issubclass(cls, Mapping):
        return _MAPPING
    if issubclass(cls, list | tuple | set | frozenset):
        return _COLLECTION
    return _OTHER


# Values that hold no text: returned as they are (an Enum's value is a fixed name, not data).
_ATOMS = (bool, int, float, type(None), bytes, Enum, date, Path)
