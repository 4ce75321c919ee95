"""Load the JSON Schemas shipped with the package (the top-level ``schemas/`` folder), and validate
with them in two speeds.

The schemas are package data read with ``importlib.resources``, so an installed faasdrift needs no
checkout. ``desired.schema.json`` takes each field's constraints from ``function.schema.json`` by
``$ref``; ``inlined_schema`` resolves those references offline, once.

Validation has two speeds (``TwoSpeedValidator``): a compiled validator (jsonschema-rs, ~50x
faster) decides whether an instance is valid, and only when it is not (or cannot be sure) does
jsonschema run, whose errors every message is worded from. So messages never change, and a file
or an answer that is valid costs almost nothing. jsonschema is imported only then.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin

import jsonschema_rs

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Registry

# function.schema.json and function-list.schema.json are derived from Gcore's OpenAPI document by
# schemas/derive.py (run `make schemas`); desired.schema.json is faasdrift's own, by $ref to them.
FUNCTION_SCHEMA = "function.schema.json"
FUNCTION_LIST_SCHEMA = "function-list.schema.json"
DESIRED_SCHEMA = "desired.schema.json"
_SHIPPED = (FUNCTION_SCHEMA, FUNCTION_LIST_SCHEMA, DESIRED_SCHEMA)


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema file ``name`` from the package's ``schemas`` folder."""
    text = (
        resources.files("faasdrift").joinpath("schemas").joinpath(name).read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def schema_registry() -> Registry:
    """A registry holding every shipped schema under its ``$id``, for jsonschema's own $refs."""
    from referencing import Registry, Resource  # noqa: PLC0415 - only tests and tools need it

    registry: Registry = Registry()
    for name in _SHIPPED:
        schema = load_schema(name)
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    return registry


# Keywords that describe and never constrain: when both sides of a $ref have one, ours wins.
_ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default", "deprecated"})


@cache
def inlined_schema(name: str) -> dict[str, Any]:
    """The schema ``name`` with every ``$ref`` replaced by the schema it points at.

    For validators that run thousands of times (one per function of a big desired file, one
    per list item): resolving a ``$ref`` costs jsonschema more than the checks it leads to.
    The shipped schemas have no recursive references, so the result is finite. A ``$ref`` with
    sibling keywords keeps them, as draft 2020-12 applies both.
    """
    inlined: dict[str, Any] = _inline(load_schema(name), load_schema(name))
    return inlined


def embedded_schema(name: str) -> dict[str, Any]:
    """The inlined schema ``name`` without ``$schema`` and ``$id``, to embed in another schema.

    jsonschema switches to the plain validator class a ``$schema`` names when it meets one, so a
    schema embedded with its ``$schema`` (or reached by ``$ref``) would lose faasdrift's
    ``strict_pattern_validator`` rules.
    """
    embedded: dict[str, Any] = _without_identity(inlined_schema(name))
    return embedded


def _without_identity(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    return {key: value for key, value in node.items() if key not in ("$schema", "$id")}


def _inline(node: Any, document: dict[str, Any]) -> Any:
    """``node`` of the shipped schema ``document`` with its references resolved in place."""
    if isinstance(node, list):
        return [_inline(item, document) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _inline(value, document) for key, value in node.items() if key != "$ref"}
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return result
    target_document, target = _resolve(ref, document)
    target = _without_identity(_inline(target, target_document))
    if (set(target) & set(result)) - _ANNOTATIONS:  # both constrain alike: apply both, as allOf
        return {**result, "allOf": [*result.get("allOf", []), target]}
    return {**target, **result}  # the referring schema's own annotations win


def _resolve(ref: str, document: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The shipped schema a ``$ref`` of ``document`` names, and the value its pointer names."""
    address, _, pointer = urljoin(document["$id"], ref).partition("#")
    target = next(load_schema(name) for name in _SHIPPED if load_schema(name)["$id"] == address)
    node: Any = target
    for part in unquote(pointer).split("/")[1:]:  # RFC 6901: "" is the whole document
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return target, node


@cache
def _end_of_text(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262 regular expressions, where a final "$" is the end of the
    # text; in Python's it also matches before a final newline, so "hello\n" would pass
    # Gcore's name pattern (and could forge a line of a CI log).
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(
    validator: Validator, pattern: str, instance: Any, _schema: Any
) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError  # noqa: PLC0415 - see the module's note

    if validator.is_type(instance, "string") and _end_of_text(pattern).search(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def strict_pattern_validator() -> type[Validator]:
    """Draft 2020-12 with patterns read as JSON Schema means them: every validator of
    faasdrift's. A function, so that jsonschema is imported only when an error needs words."""
    from jsonschema import Draft202012Validator, validators  # noqa: PLC0415

    # types-jsonschema leaves extend() unannotated; this is the type its documentation gives it.
    extend: Callable[..., type[Validator]] = validators.extend
    return extend(Draft202012Validator, validators={"pattern": _pattern})


def extend_validator(base: type[Validator], **changes: Any) -> type[Validator]:
    """``jsonschema.validators.extend``, typed."""
    from jsonschema import validators  # noqa: PLC0415

    extend: Callable[..., type[Validator]] = validators.extend
    return extend(base, **changes)


def validator_for(name: str) -> Validator:
    """A draft 2020-12 validator for the shipped schema ``name``, with refs resolved offline."""
    return strict_pattern_validator()(load_schema(name), registry=schema_registry())


# Integers a compiled validator reads as jsonschema does; beyond them it may round.
_SAFE_INT = 2**53
_ONLY_STR = {str}


def is_plain(value: Any) -> bool:
    """Whether ``value`` holds only what both validators read alike: dicts with string keys,
    lists, strings, booleans, null and integers of up to 53 bits.

    Not floats: jsonschema-rs counts ``5.0`` as an integer, and faasdrift's desired-file schema
    does not. Not dates (a YAML ``2024-01-01``): jsonschema-rs cannot read them at all.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if item and set(map(type, item)) != _ONLY_STR:  # keys: at C speed
                return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is int:
            if not -_SAFE_INT < item < _SAFE_INT:
                return False
        elif kind is not str and kind is not bool and item is not None:
            return False
    return True


class TwoSpeedValidator:
    """A compiled validator that decides "valid", and jsonschema for everything else.

    ``schema``'s every ``$ref`` points into its own ``$defs`` or was inlined (``inlined_schema``);
    ``exact`` builds the jsonschema validator
    whose errors are reported, on first use. Formats are annotations, as in jsonschema by default.
    """

    def __init__(self, schema: dict[str, Any], exact: Callable[[], Validator]) -> None:
        self._compiled = jsonschema_rs.Draft202012Validator(schema, validate_formats=False)
        self._exact_factory = exact
        self._exact: Validator | None = None

    @property
    def exact(self) -> Validator:
        if self._exact is None:
            self._exact = self._exact_factory()
        return self._exact

    def is_valid(self, instance: Any, *, plain: bool | None = None) -> bool:
        """True only if jsonschema would find no error in ``instance``; False when it would,
        or when the compiled validator cannot be sure. ``plain``: ``is_plain(instance)`` when
        the caller already knows it."""
        if not (is_plain(instance) if plain is None else plain):
            return False
        try:
            return self._compiled.is_valid(instance)
        except (ValueError, TypeError, OverflowError):  # nothing plain data should raise
            return False

    def iter_errors(self, instance: Any, *, plain: bool | None = None) -> Iterator[ValidationError]:
        """jsonschema's errors for ``instance``, in its order; none at all when it is valid."""
        if self.is_valid(instance, plain=plain):
            return iter(())
        return self.exact.iter_errors(instance)
