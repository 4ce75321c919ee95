"""Load a YAML file safely, keeping where every key and value stands.

PyYAML's constructors throw the marks away, so we compose the node tree and build plain Python
data ourselves, recording positions per path on the way. Doing it ourselves also lets us refuse
what PyYAML silently accepts: duplicate keys (it keeps the last one) and non-standard tags.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faasdrift.errors import DesiredFileError, Position, Problem

# libyaml is ~12x faster and its nodes keep marks too; fall back to pure Python without it.
LOADER: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

YamlPath = tuple[Union[str, int], ...]  # noqa: UP007 - evaluated at runtime, and we support 3.10

_CORE = "tag:yaml.org,2002:"
# What plain data needs; !!binary, !!set, !!omap and every !!python/... tag are refused.
_ALLOWED_TAGS = frozenset(
    _CORE + name for name in ("null", "bool", "int", "float", "str", "timestamp", "map", "seq")
)
_MAX_DEPTH = 64  # the desired file needs 4 levels; Python's stack needs a limit
_MAX_NODES = 1_000_000  # stops alias bombs ("billion laughs") from exhausting memory


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


class ReadError(Exception):
    """A file could not be read as UTF-8 text; ``position`` is set for an invalid byte."""

    def __init__(self, reason: str, position: Position | None = None) -> None:
        super().__init__(reason)
        self.reason, self.position = reason, position


def format_path(path: YamlPath) -> str:
    """``("functions", 1, "envs", "X")`` -> ``functions[1].envs.X``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def read_utf8(path: Path, *, strip_bom: bool = False) -> str:
    """The file's text, decoded strictly; line endings are kept as they are."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ReadError(_os_reason(error)) from None
    try:
        return raw.decode("utf-8-sig" if strip_bom else "utf-8")
    except UnicodeDecodeError as error:
        position = _offset_position(raw[: error.start].decode(errors="replace"))
        raise ReadError(f"not UTF-8: invalid byte 0x{raw[error.start]:02x}", position) from None


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "does not exist"
    if isinstance(error, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or str(error)


def _offset_position(before: str) -> Position:
    """The position just after ``before``, the text that precedes it."""
    return Position(before.count("\n") + 1, len(before) - before.rfind("\n"))


def load_yaml_file(path: Path, *, source: str) -> YamlDocument:
    """Read and parse ``path``; every reason it can't be used is one ``DesiredFileError``."""
    try:
        text = read_utf8(path, strip_bom=True)
    except ReadError as error:
        raise DesiredFileError([Problem(source, error.position, "", error.reason)]) from None
    return parse_yaml(text, source=source)


def parse_yaml(text: str, *, source: str) -> YamlDocument:
    """Parse one YAML document whose top level is a mapping."""
    try:
        root = _single_root(_compose(text))
        builder = _Builder(source)
        data = builder.build(root, (), _position(root), 0)
    except _FatalError as error:
        raise DesiredFileError([Problem(source, error.position, "", error.reason)]) from None
    return YamlDocument(data, builder.marks, tuple(builder.problems))


class _FatalError(ReadError):
    """The YAML cannot be turned into data: nothing after this point can be trusted."""


def _compose(text: str) -> list[Node]:
    try:
        return list(yaml.compose_all(text, Loader=LOADER))
    except yaml.MarkedYAMLError as error:
        mark, start = error.problem_mark or error.context_mark, error.context_mark
        context = f" ({error.context} on line {start.line + 1})" if error.context and start else ""
        where = _mark_position(mark) if mark else None
        raise _FatalError(f"invalid YAML: {error.problem}{context}", where) from None
    except yaml.reader.ReaderError as error:
        where = _offset_position(text[: error.position])
        raise _FatalError(f"invalid YAML: {error.reason} #x{error.character:04x}", where) from None


def _single_root(nodes: list[Node]) -> MappingNode:
    if not nodes or (len(nodes) == 1 and _is_empty(nodes[0])):
        raise _FatalError("the file is empty; expected a mapping with a 'functions' list")
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


class _Builder:
    """Turns a node tree into dicts, lists and scalars, recording marks and duplicate keys."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.marks: dict[YamlPath, Marks] = {}
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()
        self._budget = _MAX_NODES
        self._open: set[int] = set()  # ids of the lists and mappings being built right now

    def build(self, node: Node, path: YamlPath, key: Position, depth: int) -> Any:
        self._check(node, depth)
        text = node.value if isinstance(node, ScalarNode) else None
        self.marks[path] = Marks(key, _position(node), text)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in self._open:  # an alias inside the very list or mapping it names
            raise _FatalError("an alias refers to a value that contains it", _position(node))
        self._open.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path, depth)
            items = enumerate(node.value)
            return [self.build(item, (*path, i), _position(item), depth + 1) for i, item in items]
        finally:
            self._open.discard(id(node))

    def _check(self, node: Node, depth: int) -> None:
        self._budget -= 1
        if self._budget < 0:
            raise _FatalError("too many values once aliases are expanded", _position(node))
        if depth > _MAX_DEPTH:
            raise _FatalError(f"nested deeper than {_MAX_DEPTH} levels", _position(node))
        if node.tag == _CORE + "merge":
            message = "merge keys ('<<') are not supported; write the keys out"
            raise _FatalError(message, _position(node))
        if node.tag not in _ALLOWED_TAGS:
            message = f"tag '{_short_tag(node.tag)}' is not allowed; only plain YAML data is read"
            raise _FatalError(message, _position(node))

    def _mapping(self, node: MappingNode, path: YamlPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key, where = self._key(key_node, depth), _position(key_node)
            if key in first_lines:
                message = f"duplicate key '{key}' (first defined on line {first_lines[key]})"
                problem = Problem(self.source, where, format_path((*path, key)), message)
                self.problems.append(problem)
                continue
            first_lines[key] = where.line
            result[key] = self.build(value_node, (*path, key), where, depth + 1)
        return result

    def _key(self, node: Node, depth: int) -> str:
        # Keys are taken as written, so an env var named NO or ON stays a string, not a boolean.
        self._check(node, depth + 1)
        if not isinstance(node, ScalarNode):
            message = "only plain keys are supported, not lists or mappings"
            raise _FatalError(message, _position(node))
        return str(node.value)

    def _scalar(self, node: ScalarNode) -> Any:
        try:
            return self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError):  # e.g. 2023-02-30 looks like a date but is none
            message = f"{node.value} is not a valid {_short_tag(node.tag)}; quote it if it is text"
            raise _FatalError(message, _position(node)) from None
