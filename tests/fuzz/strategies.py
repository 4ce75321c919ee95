"""Hypothesis strategies for hostile desired files, as the bytes a pull request could commit.

Five families, each drawn about equally often:
- random YAML: random data structures dumped in random styles, and plain random text and bytes;
- almost valid: a valid desired file with a few mutations (a wrong type, a huge number, random
  unicode, a missing or unknown key, shared and self-referencing values that dump as anchors and
  aliases, an alias bomb, deep nesting, a code_file that tries to leave its folder, ``${VAR}``);
- odd but valid: a valid desired file with random unicode names, envs, descriptions, code;
- mutated text: an almost valid file with YAML tokens, tabs, tags, or random text spliced in;
- mutated bytes: the same with a BOM, CRLF line endings, UTF-16, random bytes or a cut.

The mutations are in ``mutations``, the values they draw from in ``samples``.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.fuzz.mutations import MUTATIONS, Draw, odd_but_valid, structures
from tests.fuzz.samples import BASE, TOKENS


@st.composite
def almost_valid_documents(draw: Draw, *, valid_only: bool = False) -> Any:
    doc = copy.deepcopy(BASE)
    mutations = [odd_but_valid] if valid_only else [*MUTATIONS, odd_but_valid]
    for _ in range(draw(st.integers(0, 3))):
        draw(st.sampled_from(mutations))(draw, doc)
    return doc


# --- rendering and text-level damage ------------------------------------------------------------


@st.composite
def dumped(draw: Draw, documents: st.SearchStrategy[Any]) -> str:
    """A document as YAML text in a random style; aliases for shared values come for free."""
    text: str = yaml.safe_dump(
        draw(documents),
        sort_keys=False,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None, True])),
        width=draw(st.sampled_from([80, 20, 1_000_000])),
        indent=draw(st.sampled_from([2, 4])),
        explicit_start=draw(st.booleans()),
    )
    return text


@st.composite
def mutated_text(draw: Draw) -> str:
    text: str = draw(dumped(almost_valid_documents()))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "insert", "delete", "line"]))
        if edit == "insert":
            piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)))
            text = text[:at] + piece + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        else:  # repeat or re-indent a line
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            indent = draw(st.sampled_from(["", " ", "\t", "   ", "  \t"]))
            lines.insert(index, indent + lines[index].lstrip(" "))
            text = "\n".join(lines)
    return text


@st.composite
def mutated_bytes(draw: Draw) -> bytes:
    text: str = draw(st.one_of(dumped(almost_valid_documents()), mutated_text()))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "utf-16-be"])))
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # may cut a character in two
    return data


def desired_files() -> st.SearchStrategy[bytes]:
    """Every family, as the bytes of a desired file."""
    text = st.one_of(
        dumped(structures()),
        st.text(),
        dumped(almost_valid_documents()),
        dumped(almost_valid_documents(valid_only=True)),
        mutated_text(),
    )
    return st.one_of(text.map(str.encode), st.binary(), mutated_bytes())
