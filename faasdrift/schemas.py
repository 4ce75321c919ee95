"""Load the JSON Schemas shipped with the package (the top-level ``schemas/`` folder).

The schemas are package data read with ``importlib.resources``, so an installed faasdrift needs no
checkout. ``desired.schema.json`` takes each field's constraints from ``function.schema.json`` by
``$ref``; the registry built here lets jsonschema resolve those references offline.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

FUNCTION_SCHEMA = "function.schema.json"
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
    for name in (FUNCTION_SCHEMA, DESIRED_SCHEMA):
        schema = load_schema(name)
        resource = Resource.from_contents(schema)
        registry = registry.with_resource(schema["$id"], resource)
    return registry


def validator_for(name: str) -> Draft202012Validator:
    """A draft 2020-12 validator for the shipped schema ``name``, with refs resolved offline."""
    return Draft202012Validator(load_schema(name), registry=schema_registry())
