"""Load a YAML file safely, keeping where every key and value stands.

PyYAML's constructors throw the marks away, so we compose the node tree and build plain Python
data ourselves, recording positions per path on the way. Doing it ourselves also lets us refuse
what PyYAML silently accepts: duplicate keys (it keeps the last one) and non-standard tags. The
file may come from a pull request: it is read size-capped and checked against ``yaml_limits``
before a single node is built.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faasdrift.desired.files import ReadError, offset_position, read_utf8
from faasdrift.desired.yaml_limits import (
    MAX_FILE_BYTES,
    MAX_NUMBER_CHARS,
    LimitError,
    check_limits,
    number_too_long,
)
from faasdrift.errors import DesiredFileError
from faasdrift.model import Position, Problem

# libyaml is ~12x faster and its nodes keep marks too; fall back to pure Python without it.
LOADER: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

YamlPath = tuple[Union[str, int], ...]  # noqa: UP007 - evaluated at runtime, and we support 3.10

_CORE = "tag:yaml.org,2002:"
# What plain data needs; !!binary, !!set, !!omap and every !!python/... tag are refused.
_ALLOWED_TAGS = frozenset(
    _CORE + name for name in ("null", "bool", "int", "float", "str", "timestamp", "map", "seq")
)
_NUMBER_TAGS = frozenset({_CORE + "int", _CORE + "float"})
_MAX_SHOWN = 60  # characters of a scalar or key quoted in a message
# Only the pure-Python scanner lets "\ud800" through; no encoder can write it out again.
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Marks:
    """Where one node stands. ``key`` is the mapping key (or the sequence item itself)."""

    key: Position
    value: Position
    text: str | None  # the scalar as written (``yes``, not True); None for mappings and lists


@dataclass(frozen=True)
class YamlDocument:
    """Plain data of a YAML file whose top level is a mapping, with marks for every path."""

    data: dict[str, Any]
    marks: Mapping[YamlPath, Marks]
    problems: tuple[Problem, ...] = ()  # not fatal to reading the data: duplicate keys

    def _nearest(self, path: YamlPath) -> Marks:
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks[path]

    def value_position(self, path: YamlPath) -> Position:
        """Where the value at ``path`` (or its closest recorded ancestor) starts."""
        return self._nearest(path).value

    def key_position(self, path: YamlPath) -> Position:
        """Where the key naming ``path`` (or its closest recorded ancestor) starts."""
        return self._nearest(path).key

    def text(self, path: YamlPath) -> str | None:
        """The scalar at ``path`` as written in the file, if there is one."""
        marks = self.marks.get(path)
        return marks.text if marks else None


def format_path(path: YamlPath) -> str:
    """``("functions", 1, "envs", "X")`` -> ``functions[1].envs.X``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def load_yaml_file(path: Path, *, source: str) -> YamlDocument:
    """Read and parse ``path``; every reason it can't be used is one ``DesiredFileError``."""
    try:
        text = read_utf8(path, max_bytes=MAX_FILE_BYTES, strip_bom=True)
    except ReadError as error:
        raise DesiredFileError([Problem(source, error.position, "", error.reason)]) from None
    return parse_yaml(text, source=source)


def parse_yaml(text: str, *, source: str) -> YamlDocument:
    """Parse one YAML document whose top level is a mapping, within ``yaml_limits``."""
    try:
        root = _single_root(_compose(text))
        builder = _Builder(source)
        data = builder.build(root, (), _position(root))
    except _FatalError as error:
        raise DesiredFileError([Problem(source, error.position, "", error.reason)]) from None
    return YamlDocument(data, builder.marks, tuple(builder.problems))


class _FatalError(ReadError):
    """The YAML cannot be turned into data: nothing after this point can be trusted."""


def _compose(text: str) -> list[Node]:
    try:
        check_limits(text, LOADER)  # first: composing an alias bomb would already be too late
        return list(yaml.compose_all(text, Loader=LOADER))
    except LimitError as error:
        raise _FatalError(error.reason, error.position) from None
    except yaml.MarkedYAMLError as error:
        mark, start = error.problem_mark or error.context_mark, error.context_mark
        context = f" ({error.context} on line {start.line + 1})" if error.context and start else ""
        hint = _tab_hint(text, mark)
        where = _mark_position(mark) if mark else None
        raise _FatalError(f"invalid YAML: {error.problem}{context}{hint}", where) from None
    except yaml.reader.ReaderError as error:
        where = offset_position(text[: error.position])
        raise _FatalError(f"invalid YAML: {error.reason} #x{error.character:04x}", where) from None


def _tab_hint(text: str, mark: yaml.Mark | None) -> str:
    if mark is None or text[mark.index : mark.index + 1] != "\t":
        return ""
    return "; YAML cannot indent with tabs, use spaces"


def _single_root(nodes: list[Node]) -> MappingNode:
    if not nodes or (len(nodes) == 1 and _is_empty(nodes[0])):
        message = "the file is empty; expected a mapping with a 'functions' list"
        raise _FatalError(message, Position(1, 1))
    if len(nodes) > 1:
        raise _FatalError("more than one YAML document; put everything in one", _position(nodes[1]))
    if not isinstance(nodes[0], MappingNode):
        kind = "a list" if isinstance(nodes[0], SequenceNode) else "a single value"
        message = f"the top level must be a mapping (key: value), not {kind}"
        raise _FatalError(message, Position(1, 1))
    return nodes[0]


def _is_empty(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _CORE + "null" and node.value == ""


def _mark_position(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)  # marks count from 0, editors from 1


def _position(node: Node) -> Position:
    return _mark_position(node.start_mark)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


def _shown(text: str, *, quote: bool = False) -> str:
    """``text`` as a message shows it: short, and escaped if it would break the line."""
    short = text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
    if not short.isprintable():
        return repr(short)
    return f"'{short}'" if quote else short


class _Builder:
    """Turns a node tree into dicts, lists and scalars, recording marks and duplicate keys.

    ``check_limits`` has already bounded the depth and the size once aliases are expanded, and
    refused aliases to the value they are in, so the recursion here is bounded and terminates.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.marks: dict[YamlPath, Marks] = {}
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def build(self, node: Node, path: YamlPath, key: Position) -> Any:
        _check_node(node)
        text = node.value if isinstance(node, ScalarNode) else None
        self.marks[path] = Marks(key, _position(node), text)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        return [self.build(item, (*path, i), _position(item)) for i, item in enumerate(node.value)]

    def _mapping(self, node: MappingNode, path: YamlPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key, where = _key(key_node), _position(key_node)
            if key in first_lines:
                first = first_lines[key]
                message = f"duplicate key {_shown(key, quote=True)} (first defined on line {first})"
                problem = Problem(self.source, where, format_path((*path, key)), message)
                self.problems.append(problem)
                continue
            first_lines[key] = where.line
            result[key] = self.build(value_node, (*path, key), where)
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:  # !!int "…" too
            raise _FatalError(number_too_long(len(node.value)), _position(node))
        try:
            return self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):  # 2023-02-30 looks like a date
            text = _shown(node.value)
            message = f"{text} is not a valid {_short_tag(node.tag)}; quote it if it is text"
            raise _FatalError(message, _position(node)) from None


def _check_node(node: Node) -> None:
    if node.tag == _CORE + "merge":
        message = "merge keys ('<<') are not supported; write the keys out"
        raise _FatalError(message, _position(node))
    if node.tag not in _ALLOWED_TAGS:
        message = f"tag {_shown(_short_tag(node.tag), quote=True)} is not allowed"
        raise _FatalError(message + "; only plain YAML data is read", _position(node))
    if isinstance(node, ScalarNode) and _SURROGATE.search(node.value):
        message = "a \\u escape names a lone surrogate, which is not a character"
        raise _FatalError(message, _position(node))


def _key(node: Node) -> str:
    # Keys are taken as written, so an env var named NO or ON stays a string, not a boolean.
    _check_node(node)
    if not isinstance(node, ScalarNode):
        message = "only plain keys are supported, not lists or mappings"
        raise _FatalError(message, _position(node))
    return str(node.value)
