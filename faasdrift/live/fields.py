"""Whether a live function can be compared on the fields a desired file declares.

Only the declared fields are checked, each against the derived ``function.schema.json``: a
response that leaves out or breaks a field faasdrift does not compare is still usable.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from faasdrift.schemas import (
    FUNCTION_SCHEMA,
    TwoSpeedValidator,
    inlined_schema,
    load_schema,
    strict_pattern_validator,
)
from faasdrift.secrets import REDACTED, is_sensitive_env

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


def check_compared_fields(
    body: Mapping[str, Any],
    fields: Collection[str],
    *,
    absent_means_null: bool = True,
    plain: bool = False,
) -> str | None:
    """Why ``body`` cannot be compared on ``fields``, or None. Other fields are not checked.

    A GET leaves out a nullable field to mean null; a list item may leave out anything it
    abbreviates, so with ``absent_means_null=False`` every absent field is a problem.
    ``plain``: the caller knows ``body`` is plain (``schemas.is_plain``); False: it is walked.
    """
    # The usual case, nothing absent to explain, at C speed: it runs once per list item.
    if all(map(body.__contains__, fields)):
        subset = dict(zip(fields, map(body.__getitem__, fields), strict=True))
    else:
        absent = _absent_field(body, fields, absent_means_null=absent_means_null)
        if absent is not None:
            return absent
        subset = {name: body[name] for name in fields if name in body}
    validator = compared_fields_validator()
    if validator.is_valid(subset, plain=plain or None):
        return None
    # The first error is enough to refuse the comparison; jsonschema reports them in schema order.
    error = next(validator.exact.iter_errors(subset), None)
    return f"invalid response: {describe_field_error(error)}" if error is not None else None


def _absent_field(
    body: Mapping[str, Any], fields: Collection[str], *, absent_means_null: bool
) -> str | None:
    properties: dict[str, Any] = load_schema(FUNCTION_SCHEMA)["properties"]
    for name in fields:
        nullable = "null" in properties.get(name, {}).get("type", ())
        if name not in body and not (absent_means_null and nullable):
            return f"response has no '{name}' field"
    return None


@cache
def compared_fields_validator() -> TwoSpeedValidator:
    # Only the compared fields are validated, so the response's "required" list does not apply.
    # Inlined: it runs once per list item, and $ref lookups would cost more than the checks.
    # Two speeds: on the event loop, a list of 1,000 items would wait ~100 ms for jsonschema.
    schema = {**inlined_schema(FUNCTION_SCHEMA), "required": []}
    return TwoSpeedValidator(schema, lambda: strict_pattern_validator()(schema))


def describe_field_error(error: ValidationError) -> str:
    """The problem a field's first schema error makes, its value never shown if it may be a
    secret."""
    path = [str(part) for part in error.absolute_path]
    message = error.message
    if _may_show_secret(path, error.instance):
        message = f"{REDACTED} fails the '{error.validator}' constraint"
    return f"field '{'.'.join(path)}': {message}" if path else message


def _may_show_secret(path: list[str], instance: object) -> bool:
    # jsonschema messages quote the value: never for a sensitive env, nor the whole envs value
    # (an env *name* failing its pattern is reported at path "envs" too, and is safe to show).
    if not path or path[0] != "envs":
        return False
    return is_sensitive_env(path[1]) if len(path) > 1 else not isinstance(instance, str)
