"""Values and in-place mutations of a desired document, for the strategies in ``strategies``.

Each mutation takes hypothesis' ``draw`` and a document (plain dicts and lists) and changes it in
place: a random value somewhere, a deletion, shared or self-containing values (anchors and
aliases once dumped), an alias bomb, deep nesting, a code_file trying to leave its folder, ...
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.samples import CODE_FILES, FLOATS, KNOWN_KEYS, NUMBERS

Draw = Callable[[st.SearchStrategy[Any]], Any]


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from(NUMBERS),
        st.floats(),
        st.sampled_from(FLOATS),
        st.text(max_size=40),
        st.text(st.characters(codec="ascii"), max_size=8),
        st.sampled_from(KNOWN_KEYS),
        st.dates(),
    )


def keys() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(KNOWN_KEYS), st.text(max_size=12), st.integers(), st.booleans(), st.none()
    )


def structures() -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(keys(), children, max_size=4)
        ),
        max_leaves=20,
    )


# --- mutations of a valid document --------------------------------------------------------------


def _locations(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in ``value``, parents before children; no cycles yet."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    seen: set[int] = set()
    while stack:
        container = stack.pop()
        if id(container) in seen:
            continue
        seen.add(id(container))
        slots = container.items() if isinstance(container, dict) else enumerate(container)
        for slot, child in list(slots):
            found.append((container, slot))
            if isinstance(child, (dict, list)):
                stack.append(child)
    return found


def _slot(draw: Draw, doc: dict[str, Any]) -> tuple[Any, Any]:
    """A random (container, key or index) of ``doc``; the document itself if it is empty."""
    locations = _locations(doc)
    return draw(st.sampled_from(locations)) if locations else (doc, "functions")


def _place(draw: Draw, doc: dict[str, Any], value: Any) -> None:
    container, slot = _slot(draw, doc)
    container[slot] = value


def _function(draw: Draw, doc: dict[str, Any]) -> dict[str, Any] | None:
    functions = doc.get("functions")
    candidates = (
        [f for f in functions if isinstance(f, dict)] if isinstance(functions, list) else []
    )
    return draw(st.sampled_from(candidates)) if candidates else None


def set_random_value(draw: Draw, doc: dict[str, Any]) -> None:
    _place(draw, doc, draw(structures()))


def set_hostile_scalar(draw: Draw, doc: dict[str, Any]) -> None:
    _place(draw, doc, draw(st.one_of(st.sampled_from(NUMBERS + FLOATS), st.text(min_size=1))))


def set_long_string(draw: Draw, doc: dict[str, Any]) -> None:
    _place(
        draw,
        doc,
        draw(st.sampled_from(["x", "é", "\n", "\U0001d518"])) * draw(st.integers(0, 120_000)),
    )


def delete_something(draw: Draw, doc: dict[str, Any]) -> None:
    container, slot = _slot(draw, doc)
    if isinstance(container, dict):
        container.pop(slot, None)
    else:
        del container[slot]


def add_key(draw: Draw, doc: dict[str, Any]) -> None:
    mappings = [doc] + [c for c, _ in _locations(doc) if isinstance(c, dict)]
    draw(st.sampled_from(mappings))[draw(keys())] = draw(structures())


def wrap_in_layers(draw: Draw, doc: dict[str, Any]) -> None:
    container, slot = _slot(draw, doc)
    value = container.get(slot) if isinstance(container, dict) else container[slot]
    for _ in range(draw(st.integers(1, 100))):
        value = draw(st.sampled_from([[value], {"k": value}]))
    container[slot] = value


def share_a_value(draw: Draw, doc: dict[str, Any]) -> None:
    """The same list or mapping in two places: it dumps as an anchor and an alias."""
    shared = [c[s] for c, s in _locations(doc) if isinstance(c[s], (dict, list))]
    if shared:
        _place(draw, doc, draw(st.sampled_from(shared)))


def contain_itself(draw: Draw, doc: dict[str, Any]) -> None:
    """A value that contains itself: an alias inside its own anchor."""
    container, slot = _slot(draw, doc)
    container[slot] = inner = [1]
    inner.append(draw(st.sampled_from([inner, {"k": inner}])))


def alias_bomb(draw: Draw, doc: dict[str, Any]) -> None:
    """width ** levels values behind a few anchors: small ones load, big ones must be refused."""
    width, levels = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    tower: Any = ["lol"] * width
    for _ in range(levels):
        tower = [tower] * width
    _place(draw, doc, tower)


def many_functions(draw: Draw, doc: dict[str, Any]) -> None:
    function = _function(draw, doc)
    if function is not None:
        copies = [{**function, "name": f"f{i}"} for i in range(draw(st.integers(1, 60)))]
        doc["functions"] = [*doc["functions"], *copies]


def duplicate_function(draw: Draw, doc: dict[str, Any]) -> None:
    function = _function(draw, doc)
    if function is not None:
        doc["functions"] = [*doc["functions"], copy.deepcopy(function)]


def code_file(draw: Draw, doc: dict[str, Any]) -> None:
    function = _function(draw, doc)
    if function is not None:
        if draw(st.booleans()):
            function.pop("code_text", None)
        function["code_file"] = draw(st.sampled_from(CODE_FILES))


def interpolation(draw: Draw, doc: dict[str, Any]) -> None:
    pieces = st.sampled_from(["${FUZZ_VAR}", "${UNSET_FUZZ_VAR}", "$${", "${", "${1x}", "$", "a"])
    _place(draw, doc, "".join(draw(st.lists(pieces, min_size=1, max_size=5))))


def sensitive(draw: Draw, doc: dict[str, Any]) -> None:
    function = _function(draw, doc)
    if function is not None:
        function["sensitive"] = draw(st.one_of(st.lists(st.text(max_size=10)), structures()))


ENV_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True)
# Values the schema accepts, but odd: they reach the API and the report (exit 0 or 1).
ODD_BUT_VALID: dict[str, st.SearchStrategy[Any]] = {
    "name": st.text(min_size=1, max_size=30),
    "namespace": st.text(min_size=1, max_size=30),
    "description": st.text(max_size=255),
    "flavor": st.text(min_size=1, max_size=20),
    "timeout": st.integers(0, 180),
    "code_text": st.text(min_size=1, max_size=200),
    "dependencies": st.text(max_size=100),
    "envs": st.dictionaries(ENV_NAMES, st.text(max_size=255), max_size=5),
    "enable_api_key": st.sampled_from([True, False, None]),
    "autoscaling": st.integers(0, 50).flatmap(
        lambda low: st.fixed_dictionaries(
            {"min_instances": st.just(low), "max_instances": st.integers(low, 50)}
        )
    ),
}


def odd_but_valid(draw: Draw, doc: dict[str, Any]) -> None:
    function = _function(draw, doc)
    if function is not None:
        field = draw(st.sampled_from(sorted(ODD_BUT_VALID)))
        function[field] = draw(ODD_BUT_VALID[field])


MUTATIONS = [
    set_random_value,
    set_hostile_scalar,
    set_long_string,
    delete_something,
    add_key,
    wrap_in_layers,
    share_a_value,
    contain_itself,
    alias_bomb,
    many_functions,
    duplicate_function,
    code_file,
    interpolation,
    sensitive,
]
