"""Load a YAML file safely, keeping where every key and value stands.

PyYAML's constructors throw the marks away, so we build plain Python data ourselves, keeping
each node's position on the way (``yaml_document``). Doing it ourselves also lets us refuse what
PyYAML silently accepts: duplicate keys (it keeps the last one) and non-standard tags. The file
may come from a pull request: it is read size-capped and checked against ``yaml_limits`` before a
single node is built.

Two readers, one result. ``yaml_events`` reads an ordinary file in one pass over the parser's
events. For anything it does not decide (a refused tag, an alias to nowhere, two documents...),
the exact reader here words the error, as it always has: limits first, then composing the node
tree, then building it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from faasdrift.desired import yaml_events
from faasdrift.desired.files import ReadError, offset_position, read_utf8
from faasdrift.desired.yaml_document import Node as Shadow
from faasdrift.desired.yaml_document import YamlDocument, YamlPath, format_path, pack
from faasdrift.desired.yaml_limits import (
    MAX_FILE_BYTES,
    MAX_NUMBER_CHARS,
    LimitError,
    check_limits,
    number_too_long,
)
from faasdrift.desired.yaml_tags import (
    ALLOWED_TAGS,
    CONSTRUCTOR_ERRORS,
    CORE,
    NUMBER_TAGS,
    SURROGATE,
    Unusual,
)
from faasdrift.errors import DesiredFileError
from faasdrift.model import Position, Problem

__all__ = ["LOADER", "YamlDocument", "YamlPath", "format_path", "load_yaml_file", "parse_yaml"]

# libyaml is ~12x faster and its nodes keep marks too; fall back to pure Python without it.
LOADER: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_MAX_SHOWN = 60  # characters of a scalar or key quoted in a message
_SAFE_INT = 2**53


def load_yaml_file(path: Path, *, source: str) -> YamlDocument:
    """Read and parse ``path``; every reason it can't be used is one ``DesiredFileError``."""
    try:
        text = read_utf8(path, max_bytes=MAX_FILE_BYTES, strip_bom=True)
    except ReadError as error:
        raise DesiredFileError([Problem(source, error.position, "", error.reason)]) from None
    return parse_yaml(text, source=source)


def parse_yaml(text: str, *, source: str, one_pass: bool = True) -> YamlDocument:
    """Parse one YAML document whose top level is a mapping, within ``yaml_limits``.

    ``one_pass=False`` uses only the exact reader (the tests compare the two).
    """
    try:
        with _fatal_errors(text):
            if not one_pass:
                check_limits(text, LOADER)  # first: composing an alias bomb would be too late
                return _exact(text, source)
            try:
                built = yaml_events.build(text, LOADER)
            except Unusual:  # the whole stream is within the limits: the exact reader says why
                return _exact(text, source)
    except _FatalError as error:
        raise DesiredFileError([Problem(source, error.position, "", error.reason)]) from None
    problems = tuple(
        Problem(source, where, format_path(path), _duplicate(key, first))
        for key, where, path, first in built.duplicates
    )
    return YamlDocument(built.data, built.root, problems, built.plain, built.references)


def _exact(text: str, source: str) -> YamlDocument:
    root = _single_root(list(yaml.compose_all(text, Loader=LOADER)))
    builder = _Builder(source)
    data = builder.build(root, pack(root.start_mark.line, root.start_mark.column))
    return YamlDocument(data, builder.root, tuple(builder.problems), builder.plain)


def _duplicate(key: str, first: int) -> str:
    return f"duplicate key {_shown(key, quote=True)} (first defined on line {first})"


class _FatalError(ReadError):
    """The YAML cannot be turned into data: nothing after this point can be trusted."""


@contextmanager
def _fatal_errors(text: str) -> Iterator[None]:
    """Every way the parser or ``yaml_limits`` refuses ``text``, as one ``_FatalError``."""
    try:
        yield
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
    return isinstance(node, ScalarNode) and node.tag == CORE + "null" and node.value == ""


def _mark_position(mark: yaml.Mark) -> Position:
    return Position(mark.line + 1, mark.column + 1)  # marks count from 0, editors from 1


def _position(node: Node) -> Position:
    return _mark_position(node.start_mark)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(CORE) if tag.startswith(CORE) else tag


def _shown(text: str, *, quote: bool = False) -> str:
    """``text`` as a message shows it: short, and escaped if it would break the line."""
    short = text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
    if not short.isprintable():
        return repr(short)
    return f"'{short}'" if quote else short


class _Builder:
    """Turns a node tree into dicts, lists and scalars, keeping positions and duplicate keys.

    ``check_limits`` has already bounded the depth and the size once aliases are expanded, and
    refused aliases to the value they are in, so the recursion here is bounded and terminates.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.root: Shadow = (0, 0, None, None)
        self.problems: list[Problem] = []
        self.plain = True
        self._constructor = SafeConstructor()

    def build(self, root: Node, key: int) -> Any:
        data, self.root = self._build(root, (), key)
        return data

    def _build(self, node: Node, path: YamlPath, key: int) -> tuple[Any, Shadow]:
        _check_node(node)
        where = pack(node.start_mark.line, node.start_mark.column)
        if isinstance(node, ScalarNode):
            return self._scalar(node), (key, where, node.value, None)
        if isinstance(node, MappingNode):
            data, children = self._mapping(node, path)
            return data, (key, where, None, children)
        items = [
            self._build(item, (*path, i), pack(item.start_mark.line, item.start_mark.column))
            for i, item in enumerate(node.value)
        ]
        return [data for data, _ in items], (key, where, None, [shadow for _, shadow in items])

    def _mapping(self, node: MappingNode, path: YamlPath) -> tuple[Any, dict[str, Shadow]]:
        result: dict[str, Any] = {}
        children: dict[str, Shadow] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key, where = _key(key_node), _position(key_node)
            if key in first_lines:
                message = _duplicate(key, first_lines[key])
                problem = Problem(self.source, where, format_path((*path, key)), message)
                self.problems.append(problem)
                continue
            first_lines[key] = where.line
            packed = pack(key_node.start_mark.line, key_node.start_mark.column)
            result[key], children[key] = self._build(value_node, (*path, key), packed)
        return result, children

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag in NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:  # !!int "…" too
            raise _FatalError(number_too_long(len(node.value)), _position(node))
        try:
            data = self._constructor.construct_object(node)
        except CONSTRUCTOR_ERRORS:  # 2023-02-30 looks like a date
            text = _shown(node.value, quote=not node.value)  # an empty value as a quoted one
            message = f"{text} is not a valid {_short_tag(node.tag)}; quote it if it is text"
            raise _FatalError(message, _position(node)) from None
        if isinstance(data, float | int) and not isinstance(data, bool):
            self.plain = self.plain and isinstance(data, int) and -_SAFE_INT < data < _SAFE_INT
        elif not isinstance(data, str | bool) and data is not None:
            self.plain = False  # a date or a time
        return data


def _check_node(node: Node) -> None:
    if node.tag == CORE + "merge":
        message = "merge keys ('<<') are not supported; write the keys out"
        raise _FatalError(message, _position(node))
    if node.tag not in ALLOWED_TAGS:
        message = f"tag {_shown(_short_tag(node.tag), quote=True)} is not allowed"
        raise _FatalError(message + "; only plain YAML data is read", _position(node))
    if isinstance(node, ScalarNode) and SURROGATE.search(node.value):
        message = "a \\u escape names a lone surrogate, which is not a character"
        raise _FatalError(message, _position(node))


def _key(node: Node) -> str:
    # Keys are taken as written, so an env var named NO or ON stays a string, not a boolean.
    _check_node(node)
    if not isinstance(node, ScalarNode):
        message = "only plain keys are supported, not lists or mappings"
        raise _FatalError(message, _position(node))
    return str(node.value)
