"""Load the JSON Schemas shipped with the package (the top-level ``schemas/`` folder).

The schemas are package data read with ``importlib.resources``, so an installed faasdrift needs no
checkout. ``desired.schema.json`` takes each field's constraints from ``function.schema.json`` by
``$ref``; the registry built here lets jsonschema resolve those references offline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from referencing import Registry, Resource

if TYPE_CHECKING:
    from referencing._core import Resolver

# function.schema.json and function-list.schema.json are derived from Gcore's OpenAPI document by
# schemas/derive.py (run `make schemas`); desired.schema.json is faasdrift's own, by $ref to them.
FUNCTION_SCHEMA = "function.schema.json"
FUNCTION_LIST_SCHEMA = "function-list.schema.json"
DESIRED_SCHEMA = "desired.schema.json"


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
    """A registry holding every shipped schema under its ``$id`` and its file name."""
    registry: Registry = Registry()
    for name in (FUNCTION_SCHEMA, FUNCTION_LIST_SCHEMA, DESIRED_SCHEMA):
        schema = load_schema(name)
        resource = Resource.from_contents(schema)
        registry = registry.with_resource(schema["$id"], resource)
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
    schema = load_schema(name)
    inlined: dict[str, Any] = _inline(schema, schema_registry().resolver(base_uri=schema["$id"]))
    return inlined


def embedded_schema(name: str) -> dict[str, Any]:
    """The inlined schema ``name`` without ``$schema`` and ``$id``, to embed in another schema.

    jsonschema switches to the plain validator class a ``$schema`` names when it meets one, so a
    schema embedded with its ``$schema`` (or reached by ``$ref``) would lose faasdrift's
    ``StrictPatternValidator`` rules.
    """
    embedded: dict[str, Any] = _without_identity(inlined_schema(name))
    return embedded


def _without_identity(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    return {key: value for key, value in node.items() if key not in ("$schema", "$id")}


def _inline(node: Any, resolver: Resolver[Any]) -> Any:
    if isinstance(node, list):
        return [_inline(item, resolver) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _inline(value, resolver) for key, value in node.items() if key != "$ref"}
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return result
    resolved = resolver.lookup(ref)
    target = _without_identity(_inline(resolved.contents, resolved.resolver))
    if (set(target) & set(result)) - _ANNOTATIONS:  # both constrain alike: apply both, as allOf
        return {**result, "allOf": [*result.get("allOf", []), target]}
    return {**target, **result}  # the referring schema's own annotations win


def validator_for(name: str) -> Validator:
    """A draft 2020-12 validator for the shipped schema ``name``, with refs resolved offline."""
    return StrictPatternValidator(load_schema(name), registry=schema_registry())


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
    if validator.is_type(instance, "string") and _end_of_text(pattern).search(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# types-jsonschema leaves extend() unannotated; this is the type its documentation gives it.
extend_validator: Callable[..., type[Validator]] = validators.extend

# Draft 2020-12 with patterns read as JSON Schema means them: every validator of faasdrift's.
StrictPatternValidator: type[Validator] = extend_validator(
    Draft202012Validator, validators={"pattern": _pattern}
)
