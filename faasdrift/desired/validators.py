"""The desired file's validators: jsonschema-rs decides whether a file is valid, and jsonschema
finds the errors every message is worded from (``schemas.TwoSpeedValidator``).

Both read the same schema: faasdrift's ``desired.schema.json`` with each function field's
constraints inlined from the function schema, integers strict (``5.0`` is not one).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from faasdrift.schemas import (
    DESIRED_SCHEMA,
    FUNCTION_SCHEMA,
    TwoSpeedValidator,
    extend_validator,
    inlined_schema,
    load_schema,
    schema_registry,
    strict_pattern_validator,
)

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator


def _is_strict_integer(_checker: object, instance: object) -> bool:
    # jsonschema counts 5.0 as an integer; the API and the comparison with live data do not.
    return isinstance(instance, int) and not isinstance(instance, bool)


@cache
def _exact_validator() -> Validator:
    base = strict_pattern_validator()
    checker = base.TYPE_CHECKER.redefine("integer", _is_strict_integer)
    strict = extend_validator(base, type_checker=checker)
    # Inlined: it descends into every function of the file, and resolving the $refs to the
    # function schema cost jsonschema more than the checks themselves (bench/RESULTS.md).
    return strict(inlined_schema(DESIRED_SCHEMA), registry=schema_registry())


@cache
def _validator() -> TwoSpeedValidator:
    return TwoSpeedValidator(inlined_schema(DESIRED_SCHEMA), _exact_validator)


@cache
def _function_validator() -> TwoSpeedValidator:
    """One entry of ``functions``: which entries hold an error, when the file holds one."""
    schema = inlined_schema(DESIRED_SCHEMA)["properties"]["functions"]["items"]
    return TwoSpeedValidator(schema, lambda: _exact_validator().evolve(schema=schema))


@cache
def code_text_validator() -> TwoSpeedValidator:
    schema = load_schema(FUNCTION_SCHEMA)["properties"]["code_text"]
    return TwoSpeedValidator(schema, lambda: _exact_validator().evolve(schema=schema))


def schema_errors(data: Any, *, plain: bool, compiled: bool = True) -> list[ValidationError]:
    """jsonschema's errors for a desired file's ``data``, in its order; ``plain`` as
    ``schemas.is_plain`` says (the YAML reader knows it for free).

    The compiled validator answers for a valid file. For an invalid one jsonschema speaks, but
    only where the compiled validator found an error: every entry of ``functions`` it finds
    valid is replaced by ``{}`` (a valid entry, and the list keeps its length), so a typo in a
    file of 10,000 functions costs jsonschema one function, with the same errors in the same
    order. ``compiled=False`` runs jsonschema on everything (the tests compare the two).
    """
    if not compiled:
        return list(_exact_validator().iter_errors(data))
    if _validator().is_valid(data, plain=plain):
        return []
    return list(_exact_validator().iter_errors(_pruned(data) if plain else data))


def _pruned(data: Any) -> Any:
    entries = data.get("functions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return data
    valid = _function_validator().is_valid
    if not valid({}, plain=True):  # a schema that requires keys: {} would add errors of its own
        return data
    kept = [{} if valid(entry, plain=True) else entry for entry in entries]
    return {**data, "functions": kept}
