"""The inlined schemas validate exactly like the originals with their $refs resolved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from faasdrift.schemas import (
    DESIRED_SCHEMA,
    FUNCTION_SCHEMA,
    inlined_schema,
    load_schema,
    schema_registry,
)


def keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from keys(value)


@pytest.mark.parametrize("name", [DESIRED_SCHEMA, FUNCTION_SCHEMA])
def test_no_reference_is_left(name: str) -> None:
    assert "$ref" not in set(keys(inlined_schema(name)))
    Draft202012Validator.check_schema(inlined_schema(name))


def test_a_ref_with_siblings_keeps_both() -> None:
    function = inlined_schema(DESIRED_SCHEMA)["$defs"]["function"]["properties"]
    assert function["autoscaling"]["required"] == ["min_instances", "max_instances"]
    assert function["autoscaling"]["additionalProperties"] is False
    assert function["name"]["type"] == "string"


def test_the_originals_are_untouched() -> None:
    inlined_schema(DESIRED_SCHEMA)
    assert "$ref" in set(keys(load_schema(DESIRED_SCHEMA)))


FUNCTIONS: list[Any] = [
    {"name": "ok", "timeout": 5, "envs": {"A": "1"}, "code_text": "x"},
    {"name": "", "timeout": 181, "envs": {"1BAD": 2, "B": "x" * 300}, "code_text": ""},
    {"name": "a", "autoscaling": {"min_instances": 60}, "enable_api_key": "yes"},
    {"name": "a", "autoscaling": {"max_instances": 1, "other": 1}, "flavor": "", "nope": 1},
    {"name": "x" * 300, "namespace": "", "project_id": 0, "sensitive": ["A", "A", "1x"]},
    {"timeout": "5", "envs": [], "main_method": ""},
    "not a mapping",
]


def messages(validator: Draft202012Validator, instance: Any) -> list[tuple[str, str, str]]:
    return sorted(
        (error.json_path, str(error.validator), error.message)
        for error in validator.iter_errors(instance)
    )


@pytest.mark.parametrize("function", FUNCTIONS)
def test_desired_files_get_the_same_errors(function: Any) -> None:
    document = {"version": 1, "functions": [function]}
    original = Draft202012Validator(load_schema(DESIRED_SCHEMA), registry=schema_registry())
    inlined = Draft202012Validator(inlined_schema(DESIRED_SCHEMA))
    assert messages(inlined, document) == messages(original, document)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_responses_get_the_same_errors(function: Any) -> None:
    original = Draft202012Validator(load_schema(FUNCTION_SCHEMA), registry=schema_registry())
    inlined = Draft202012Validator(inlined_schema(FUNCTION_SCHEMA))
    assert messages(inlined, function) == messages(original, function)
