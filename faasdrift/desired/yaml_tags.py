"""Which YAML tags a desired file may use, and each event's tag, resolved as PyYAML's composer
would resolve it, for the readers in ``yaml_reader`` and ``yaml_events``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.events import CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

CORE = "tag:yaml.org,2002:"
# What plain data needs; !!binary, !!set, !!omap and every !!python/... tag are refused.
ALLOWED_TAGS = frozenset(
    CORE + name for name in ("null", "bool", "int", "float", "str", "timestamp", "map", "seq")
)
NUMBER_TAGS = frozenset({CORE + "int", CORE + "float"})
STR, MAP, SEQ = CORE + "str", CORE + "map", CORE + "seq"
SCALAR_TAGS = ALLOWED_TAGS - {MAP, SEQ}
# Only the pure-Python scanner lets "\ud800" through; no encoder can write it out again.
SURROGATE = re.compile("[\ud800-\udfff]")
# What PyYAML's constructors raise for a scalar its tag cannot read: 2023-02-30 (ValueError), and
# for an explicit tag on text it never matches, !!int '' (IndexError), !!bool maybe (KeyError),
# !!timestamp x (AttributeError). Each is the file's mistake, reported where the value stands.
CONSTRUCTOR_ERRORS = (yaml.YAMLError, ValueError, OverflowError, LookupError, AttributeError)
_CACHED_CHARS = 64  # longer plain scalars are resolved each time: they rarely repeat


class Unusual(Exception):
    """A file the one pass (``yaml_events``) does not decide; ``yaml_reader``'s exact reader
    says why."""


class TagResolver:
    """The tag of each event, as ``loader`` resolves it for the node it would compose."""

    def __init__(self, loader: yaml.SafeLoader | yaml.CSafeLoader) -> None:
        self._resolve: Callable[..., str] = loader.resolve
        # Without path resolvers (PyYAML's safe loaders have none) a plain scalar's tag depends
        # on its text alone, and a quoted one is a string: the same few keys and values repeat
        # thousands of times, so their tags are looked up once.
        self._tags: dict[str, str] | None = None if loader.yaml_path_resolvers else {}
        # What the one pass looks plain scalars up in before it calls ``scalar`` (None: no cache).
        self.plain_tags = self._tags

    def scalar(self, event: ScalarEvent) -> str:
        tag, tags = event.tag, self._tags
        if tag is not None and tag != "!":
            return tag
        if tags is None or tag == "!":
            return self._resolve(ScalarNode, event.value, event.implicit)
        if not event.implicit[0]:
            return STR
        value = event.value
        found = tags.get(value)
        if found is None:
            found = self._resolve(ScalarNode, value, event.implicit)
            if len(value) <= _CACHED_CHARS:
                tags[value] = found
        return found

    def collection(self, event: CollectionStartEvent, *, mapping: bool) -> str:
        tag: Any = event.tag
        if tag is None and self._tags is not None:  # without path resolvers: the default tag
            return MAP if mapping else SEQ
        if tag is None or tag == "!":
            kind = MappingNode if mapping else SequenceNode
            tag = self._resolve(kind, None, event.implicit)
        return str(tag)
