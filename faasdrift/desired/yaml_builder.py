"""What each event of the desired file's one pass (``yaml_events``) builds: the data, and the
nodes that say where each part of it stands (``yaml_document.Node``), checked as they come for
what the one pass does not decide (``Unusual``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from faasdrift.desired import yaml_tags
from faasdrift.desired.yaml_document import Node, copy_data, pack, unpack
from faasdrift.desired.yaml_limits import MAX_DEPTH, MAX_NUMBER_CHARS, LimitCounter
from faasdrift.desired.yaml_tags import SCALAR_TAGS, STR, SURROGATE, TagResolver, Unusual
from faasdrift.desired.yaml_values import ScalarValues
from faasdrift.model import Position


@dataclass(frozen=True)
class Built:
    data: dict[str, Any]
    root: Node
    duplicates: tuple[tuple[str, Position, tuple[str | int, ...], int], ...]  # key, where, path
    plain: bool
    references: bool  # some string value holds a ``${``


@dataclass(slots=True)
class _Open:
    """A mapping or sequence whose end event has not come yet."""

    value: Any  # the dict or list being filled
    children: Any  # its nodes: a dict or a list
    position: int
    anchor: str | None
    skipped: bool  # it is the value of a duplicate key (or inside one): built, never kept
    mapping: bool
    key: str | None = None  # a mapping's key whose value comes next
    key_position: int = 0
    key_skipped: bool = False
    duplicates_before: int = 0


class Builder:
    """Builds data and nodes from the events it is given, one by one, counting each first."""

    def __init__(self, loader: yaml.SafeLoader | yaml.CSafeLoader, counter: LimitCounter) -> None:
        self.counter = counter
        self._tag = TagResolver(loader)
        self._plain_tags = self._tag.plain_tags
        self._values = ScalarValues()
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Any, Node]] = {}
        self.tainted: set[str] = set()  # anchors holding a duplicate key: an alias would repeat it
        self.duplicates: list[tuple[str, Position, tuple[str | int, ...], int]] = []
        self.root: tuple[dict[str, Any], Node] | None = None
        self.documents = 0
        self.references = False

    def result(self) -> Built:
        if self.root is None:
            raise Unusual("no document, or one that is not a mapping")
        data, root = self.root
        return Built(data, root, tuple(self.duplicates), self._values.plain, self.references)

    def take(self, event: Event) -> None:
        """Count and build any event but a scalar (``scalar`` takes those)."""
        self.counter.take(event)
        if type(event) is MappingStartEvent:
            self._start(event, {})
        elif type(event) is SequenceStartEvent:
            self._start(event, [])
        elif type(event) is MappingEndEvent or type(event) is SequenceEndEvent:
            self._end()
        elif type(event) is AliasEvent:
            self._alias(event)
        elif type(event) is DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise Unusual("more than one document")

    def scalar(self, event: ScalarEvent) -> None:
        """Count and place one scalar: nine events in ten, so the common case is written out
        here in full (``LimitCounter`` says when counting is ``values += 1``; positions are
        packed as ``pack`` packs them)."""
        value, anchor, stack, counter = event.value, event.anchor, self.stack, self.counter
        if (
            anchor is None
            and len(value) <= MAX_NUMBER_CHARS
            and counter.values < counter.next_stop
            and len(stack) <= MAX_DEPTH
        ):
            counter.values += 1
        else:
            counter.scalar(event)
        tag, tags = event.tag, self._plain_tags
        if tag is None and tags is not None and event.implicit[0]:
            tag = tags.get(value)  # a plain scalar met before
        if tag is None or tag == "!":
            tag = self._tag.scalar(event)
        if tag not in SCALAR_TAGS or (not value.isascii() and SURROGATE.search(value)):
            raise Unusual("a tag that is refused (or not one for a scalar), or a lone surrogate")
        if not stack:
            raise Unusual("a top level that is a single value")
        top, mark = stack[-1], event.start_mark
        where = (mark.line + 1) << 32 | (mark.column + 1)  # type: ignore[union-attr]
        if top.mapping and top.key is None:
            self._key(top, value, where, anchor)
        else:
            self._value(top, event, tag, where)

    def _value(self, top: _Open, event: ScalarEvent, tag: str, where: int) -> None:
        value = event.value
        if tag == STR:
            data: Any = value
            if "${" in value:
                self.references = True
        else:
            data = self._values.read(tag, value, event)
        if event.anchor is not None:
            self._anchor(event.anchor, data, (where, where, value, None), tainted=False)
        if not top.mapping:  # as _place places it, written out: nine values in ten are scalars
            top.value.append(data)
            top.children.append((where, where, value, None))
        elif top.key_skipped:
            top.key, top.key_skipped = None, False
        else:
            top.value[top.key] = data
            top.children[top.key] = (top.key_position, where, value, None)
            top.key = None

    def _key(self, top: _Open, key: str, where: int, anchor: str | None) -> None:
        if anchor is not None:
            raise Unusual("an anchored key")
        top.key, top.key_position = key, where
        first = top.children.get(key)  # a key's node is there once its value is
        if first is None:
            return
        if top.skipped:
            raise Unusual("a duplicate key inside a value that is not read")
        top.key_skipped = True
        path = (*self._path(), key)
        where_now = unpack(where)
        self.duplicates.append((key, where_now, path, first[0] >> 32))

    def _path(self) -> tuple[str | int, ...]:
        path: list[str | int] = []
        for collection in self.stack:
            path.append(collection.key if collection.key is not None else len(collection.value))
        return tuple(path[:-1]) if path else ()

    def _start(self, event: MappingStartEvent | SequenceStartEvent, value: Any) -> None:
        mapping = type(value) is dict
        tag = self._tag.collection(event, mapping=mapping)
        if tag != (yaml_tags.MAP if mapping else yaml_tags.SEQ):
            raise Unusual("a collection tag that is refused")
        top = self.stack[-1] if self.stack else None
        if top is not None and top.mapping and top.key is None:
            raise Unusual("a key that is a list or a mapping")
        if top is None and not mapping:
            raise Unusual("a top level that is not a mapping")
        skipped = top is not None and (top.skipped or top.key_skipped)
        children: Any = {} if mapping else []
        opened = _Open(value, children, _start_of(event), event.anchor, skipped, mapping)
        opened.duplicates_before = len(self.duplicates)
        self.stack.append(opened)

    def _end(self) -> None:
        closed = self.stack.pop()
        node: Node = (closed.position, closed.position, None, closed.children)
        if closed.anchor is not None:
            tainted = len(self.duplicates) != closed.duplicates_before
            self._anchor(closed.anchor, closed.value, node, tainted=tainted)
        if not self.stack:
            self.root = (closed.value, node)
            return
        self._place(closed.value, node)

    def _alias(self, event: AliasEvent) -> None:
        name = str(event.anchor)
        top = self.stack[-1] if self.stack else None
        if name not in self.anchors or name in self.tainted or top is None:
            raise Unusual("an alias to nowhere, to a value holding a duplicate key, or as a key")
        if top.mapping and top.key is None:
            raise Unusual("an alias as a key")
        data, node = self.anchors[name]
        self._place(copy_data(data), node)

    def _anchor(self, name: str, data: Any, node: Node, *, tainted: bool) -> None:
        if name in self.anchors:
            raise Unusual("an anchor defined twice")
        self.anchors[name] = (data, node)
        if tainted:
            self.tainted.add(name)

    def _place(self, data: Any, node: Node) -> None:
        """Put a finished value into the collection it belongs to."""
        top = self.stack[-1]
        if not top.mapping:
            top.value.append(data)
            top.children.append(node if node[0] == node[1] else (node[1], *node[1:]))
        elif top.key_skipped:
            top.key, top.key_skipped = None, False  # a duplicate key's value: the first stands
        else:
            top.value[top.key] = data
            top.children[top.key] = (top.key_position, *node[1:])
            top.key = None


def _start_of(event: Event) -> int:
    """Where ``event`` starts, packed; every event from a parser has its marks."""
    mark: Any = event.start_mark
    return pack(mark.line, mark.column)
