"""Validate an emulator state: its structure, each function, and the uniqueness rules.

Each function is checked against the shipped ``function.schema.json`` (the same constraints the
real API documents), so the emulator can never serve a function Gcore would refuse to store.
Every problem becomes one line ``state.yaml: namespaces[0].functions[1].timeout: <message>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, cast

from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from faasdrift.errors import UsageError
from faasdrift.model import Position, Problem
from faasdrift.schemas import FUNCTION_SCHEMA, embedded_schema, strict_pattern_validator

# A value longer than this is shown shortened in messages (a 100 kB code_text is no message).
_MAX_SHOWN = 60


class EmulatorStateError(UsageError):
    """The emulator's state file is unreadable, not JSON/YAML, or invalid; one line per problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(item) for item in self.problems))


def problem(source: str, message: str, position: Position | None = None, path: str = "") -> Problem:
    return Problem(source=source, position=position, path=path, message=message)


def validate_state(data: object, source: str) -> Mapping[str, Any]:
    """``data`` once known to be a valid state; else ``EmulatorStateError`` listing every
    problem, in document order."""
    if data is None:
        raise EmulatorStateError(
            [problem(source, "is empty: expected a mapping with 'namespaces'")]
        )
    errors = _validator().iter_errors(cast(Any, data))  # any parsed JSON or YAML
    found = [(list(error.absolute_path), _message(error)) for error in errors]
    if isinstance(data, dict):
        found.extend(_duplicates(data.get("namespaces")))
    if found:
        found.sort(key=lambda item: _sort_key(item[0]))
        raise EmulatorStateError(
            [problem(source, text, path=_dotted(path)) for path, text in found]
        )
    assert isinstance(data, dict)  # the schema's top-level "type": "object" held
    return data


@cache
def _validator() -> Validator:
    return strict_pattern_validator()(_state_schema())


def _state_schema() -> dict[str, Any]:
    # Embedded, not by $ref: jsonschema would check a referenced schema with its own $schema's
    # plain validator. unevaluatedProperties rejects a typo such as "timout" in a function.
    function = {**embedded_schema(FUNCTION_SCHEMA), "unevaluatedProperties": False}
    properties = function["properties"]
    namespace = {
        "type": "object",
        "required": ["project_id", "region_id", "name"],
        "additionalProperties": False,
        "properties": {
            "project_id": {"type": "integer", "minimum": 1},
            "region_id": {"type": "integer", "minimum": 1},
            "name": function["$defs"]["namespace_name"],
            "description": {"type": "string", "maxLength": 255},
            "envs": properties["envs"],
            "functions": {"type": "array", "items": function},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["namespaces"],
        "additionalProperties": False,
        "properties": {
            "namespaces": {"type": "array", "items": namespace},
            "fill_informational": {"type": "boolean"},
        },
    }


def _duplicates(namespaces: object) -> Iterator[tuple[list[Any], str]]:
    """Duplicate namespaces and duplicate function names; malformed entries are skipped here
    because the schema has already reported them."""
    seen: dict[tuple[object, ...], int] = {}
    for index, ns in _entries(namespaces):
        key = (ns.get("project_id"), ns.get("region_id"), ns.get("name"))
        if all(isinstance(part, (int, str)) for part in key):
            if key in seen:
                where = f"namespaces[{seen[key]}]"
                text = f"duplicate namespace {key[2]!r} in project {key[0]}, region {key[1]}"
                yield ["namespaces", index, "name"], f"{text} (first at {where})"
            seen.setdefault(key, index)
        yield from _duplicate_functions(index, ns.get("functions"))


def _duplicate_functions(ns_index: int, functions: object) -> Iterator[tuple[list[Any], str]]:
    seen: dict[str, int] = {}
    for index, fn in _entries(functions):
        name = fn.get("name")
        if not isinstance(name, str):
            continue
        if name in seen:
            first = f"namespaces[{ns_index}].functions[{seen[name]}]"
            path = ["namespaces", ns_index, "functions", index, "name"]
            yield path, f"duplicate function name {name!r} (first at {first})"
        seen.setdefault(name, index)


def _entries(items: object) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(items, list):
        yield from ((index, item) for index, item in enumerate(items) if isinstance(item, dict))


def _message(error: ValidationError) -> str:
    shown = repr(error.instance)
    if len(shown) <= _MAX_SHOWN:
        return error.message
    short = f"{shown[: _MAX_SHOWN - 5]}...{shown[-1]}"
    unit = "characters" if isinstance(error.instance, str) else "items"
    size = f" ({len(error.instance)} {unit})" if hasattr(error.instance, "__len__") else ""
    return error.message.replace(shown, f"{short}{size}", 1)


def _dotted(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _sort_key(path: Sequence[Any]) -> tuple[tuple[int, int, str], ...]:
    # Ints sort before strings at the same depth only to keep the comparison total.
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path)
