"""A parsed YAML file: its plain data, and where every key and value of it stands.

Positions are kept as the reader met them, one small tuple per node (``Node``), and turned into
a ``Position`` only when a message or a report asks for one: a file of 10,000 functions has
300,000 values, and almost none of them is ever pointed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from faasdrift.model import Position, Problem

YamlPath = tuple[Union[str, int], ...]  # noqa: UP007 - evaluated at runtime, and we support 3.10

# Where one node stands: (key, value, text, children). ``key`` and ``value`` are packed positions
# (``pack``): of the mapping key naming the node (for a list item or the root: the node itself),
# and of the node. ``text`` is the scalar as written (``yes``, not True), None for a collection.
# ``children``: a dict of the nodes of a mapping, a list of those of a sequence, or None.
Node = tuple[int, int, Union[str, None], Union[dict[str, Any], list[Any], None]]  # noqa: UP007

_COLUMN_BITS = 32
_COLUMN_MASK = (1 << _COLUMN_BITS) - 1


def pack(line: int, column: int) -> int:
    """A 0-based line and column, as the YAML parser counts them, in one int."""
    return (line + 1) << _COLUMN_BITS | (column + 1)


def unpack(packed: int) -> Position:
    """The 1-based ``Position`` editors show, of a packed position."""
    return Position(packed >> _COLUMN_BITS, packed & _COLUMN_MASK)


@dataclass(frozen=True)
class YamlDocument:
    """Plain data of a YAML file whose top level is a mapping, with where each node stands.

    ``plain``: the data holds only strings, booleans, null, integers of up to 53 bits, lists and
    mappings (no floats, no dates), so the compiled schema validator reads it as jsonschema does
    (``schemas.is_plain``); the reader knows this as it builds the data.
    """

    data: dict[str, Any]
    root: Node
    problems: tuple[Problem, ...] = ()  # not fatal to reading the data: duplicate keys
    plain: bool = False
    # False only when no string value holds ``${`` (the one-pass reader knows it for free): then
    # ``${VAR}`` interpolation has nothing to expand, refuse or record, and skips the walk.
    references: bool = True

    def node(self, path: YamlPath) -> Node | None:
        """The node at ``path`` exactly, if the file has one there."""
        node, depth = self._walk(path)
        return node if depth == len(path) else None

    def _walk(self, path: YamlPath) -> tuple[Node, int]:
        """The deepest node along ``path``, and how many of its parts lead to it."""
        node = self.root
        for depth, part in enumerate(path):
            children = node[3]
            child = None
            if isinstance(children, dict) and isinstance(part, str):
                child = children.get(part)
            elif isinstance(children, list) and isinstance(part, int) and 0 <= part < len(children):
                child = children[part]
            if child is None:
                return node, depth
            node = child
        return node, len(path)

    def value_position(self, path: YamlPath) -> Position:
        """Where the value at ``path`` (or its closest recorded ancestor) starts."""
        return unpack(self._walk(path)[0][1])

    def key_position(self, path: YamlPath) -> Position:
        """Where the key naming ``path`` (or its closest recorded ancestor) starts."""
        return unpack(self._walk(path)[0][0])

    def text(self, path: YamlPath) -> str | None:
        """The scalar at ``path`` as written in the file, if there is one."""
        node = self.node(path)
        return node[2] if node is not None else None


def format_path(path: YamlPath) -> str:
    """``("functions", 1, "envs", "X")`` -> ``functions[1].envs.X``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def copy_data(data: Any) -> Any:
    """A copy of plain data, as each alias to an anchored value is built (scalars are immutable,
    so they are shared)."""
    if type(data) is dict:
        return {key: copy_data(value) for key, value in data.items()}
    if type(data) is list:
        return [copy_data(value) for value in data]
    return data
