"""Write a desired document as YAML that reads back to exactly the same values.

PyYAML chooses how each string is written; we only ask for a literal block (``|``) for strings
that span lines, so code reads as code. PyYAML itself falls back to a double-quoted scalar where a
block cannot hold the text exactly (trailing spaces, tabs after a break, control characters), and
picks the chomping indicator (``|`` one final newline, ``|-`` none, ``|+`` several) from the text.
Strings that look like numbers or booleans are quoted by PyYAML's resolver check.

PyYAML cannot write comments, so a value that needs one is written as a unique marker first and
the marker replaced in the output: the marker is a plain scalar made of letters, digits and
dashes, so it stands as written at the end of its line.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

import yaml

# Long lines stay long: folding a quoted scalar is correct but hides the code's real lines.
_WIDTH = 1 << 16


class _DesiredDumper(yaml.SafeDumper):
    """A safe dumper that writes multi-line strings as literal blocks where it can."""


# YAML 1.1 line breaks besides \n: PyYAML writes them raw in plain, single-quoted and block
# scalars, where a reader folds them; only a double-quoted scalar escapes them.
_OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _OTHER_BREAKS.intersection(value):
        style = '"'
    elif "\n" in value:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_DesiredDumper.add_representer(str, _represent_str)


class CommentedValue:
    """A string value written with a comment after it on the same line (``value  # comment``)."""

    def __init__(self, value: str, comment: str) -> None:
        if "\n" in value or "\n" in comment:
            raise ValueError("a commented value and its comment are single lines")
        self.value = value
        self.comment = comment


def dump_yaml(document: Mapping[str, Any], *, header: str = "") -> str:
    """``document`` as block-style YAML, ``header`` lines first as ``#`` comments."""
    markers: dict[str, CommentedValue] = {}
    plain = _replace_commented(document, markers)
    text = yaml.dump(
        plain,
        Dumper=_DesiredDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_WIDTH,
    )
    for marker, commented in markers.items():
        if text.count(marker) != 1:  # cannot happen with 128 random bits, but never guess
            raise RuntimeError("comment marker not found exactly once in the YAML output")
        quoted = yaml.dump(commented.value, Dumper=_DesiredDumper, width=_WIDTH)
        scalar = quoted.removesuffix("\n...\n").rstrip("\n")
        text = text.replace(marker, f"{scalar}  # {commented.comment}")
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comments + text


def _replace_commented(value: Any, markers: dict[str, CommentedValue]) -> Any:
    if isinstance(value, CommentedValue):
        marker = f"faasdrift-comment-{secrets.token_hex(16)}"
        markers[marker] = value
        return marker
    if isinstance(value, Mapping):
        return {key: _replace_commented(item, markers) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_commented(item, markers) for item in value]
    return value
