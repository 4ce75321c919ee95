"""Validate a desired file against its JSON Schema and word each error for the person who wrote it.

jsonschema's own messages repeat the whole instance (a 100 KB ``code_text``!) and speak Python
(``'x' is not of type 'integer'``); here each error becomes a ``Problem`` at the YAML position of
the value, or of the key when the key itself is wrong.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from faasdrift.desired.validators import code_text_validator, schema_errors
from faasdrift.desired.yaml_reader import YamlDocument, YamlPath, format_path
from faasdrift.model import READ_ONLY_FIELDS, Problem
from faasdrift.schemas import FUNCTION_SCHEMA, load_schema

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_MAX_SHOWN = 60  # characters of a value quoted in a message; longer values end in …
_EXPECTED = {
    "integer": "an integer",
    "string": "a string",
    "boolean": "a boolean (true or false)",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def schema_problems(
    document: YamlDocument,
    *,
    source: str,
    as_written: Collection[YamlPath] = (),
    compiled: bool = True,
) -> list[Problem]:
    """Every schema violation in ``document``, each as one or more problems.

    Messages quote the values at ``as_written`` paths as the file spells them (``'${DB_TOKEN}'``),
    never as they are: those came from the environment and may be secrets. ``compiled=False``:
    jsonschema alone (the tests prove the compiled fast path changes no problem).
    """
    problems: list[Problem] = []
    for error in schema_errors(document.data, plain=document.plain, compiled=compiled):
        problems.extend(_problems(error, document, source, as_written))
    return list(dict.fromkeys(problems))  # one `required` error per missing key repeats others


def code_text_messages(code: str, *, subject: str) -> list[str]:
    """Why ``code`` (read from a code_file) breaks the function schema's code_text rules."""
    errors = code_text_validator().iter_errors(code, plain=True)
    return [describe(error, text=None, subject=subject) for error in errors]


def _problems(
    error: ValidationError, document: YamlDocument, source: str, as_written: Collection[YamlPath]
) -> list[Problem]:
    path: YamlPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        return [_unknown_key(path, key, error, document, source) for key in _extra_keys(error)]
    instance: Any = error.instance  # typed "Any | Unset": a raised error always has one
    if error.validator == "required":
        where = document.value_position(path)
        required: Any = error.validator_value
        missing = [key for key in required if key not in instance]
        return [
            Problem(source, where, format_path(path), f"missing required key '{key}'")
            for key in missing
        ]
    if "propertyNames" in error.relative_schema_path:  # the key itself is wrong, not its value
        where = document.key_position((*path, instance))
        message = describe(error, text=None, subject=f"key {shorten(instance)}")
        return [Problem(source, where, format_path(path), message)]  # as for unknown keys
    subject = shorten(document.text(path) or "") if path in as_written else None
    message = describe(error, text=document.text(path), subject=subject)
    return [Problem(source, document.value_position(path), format_path(path), message)]


def _extra_keys(error: ValidationError) -> list[str]:
    known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    return [key for key in instance if key not in known]


def _unknown_key(
    path: YamlPath, key: str, error: ValidationError, document: YamlDocument, source: str
) -> Problem:
    where = document.key_position((*path, key))
    if key in READ_ONLY_FIELDS:
        message = f"'{key}' is read-only in the Gcore API and is never compared; remove it"
        return Problem(source, where, format_path((*path, key)), message)
    known = sorted(error.schema["properties"]) if isinstance(error.schema, dict) else []
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known)
    return Problem(source, where, format_path(path), f"unknown key {shorten(key)} ({hint})")


def describe(error: ValidationError, *, text: str | None, subject: str | None = None) -> str:
    """One clear line for ``error``; ``text`` is the value as written in the file, if known."""
    wording = _WORDINGS.get(str(error.validator))
    if wording is None:
        return _truncate(error.message, 2 * _MAX_SHOWN)
    return wording(error, subject or shown(error.instance, text))


def shown(value: Any, text: str | None) -> str:
    """``value`` as the user wrote it when that is known, else shortened JSON."""
    if isinstance(value, str):
        return shorten(value)
    if text is not None:  # "" for a null written as nothing at all
        return _truncate(text, _MAX_SHOWN)
    return _truncate(json.dumps(value, default=str), _MAX_SHOWN)


def shorten(value: str) -> str:
    return repr(_truncate(value, _MAX_SHOWN))


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(value: Any) -> str:
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "a YAML boolean"),
        (int, "a number"),
        (float, "a decimal number"),
        (str, "a string"),
        (datetime, "a YAML timestamp"),
        (date, "a YAML date"),
        (dict, "a mapping"),
        (list, "a list"),
    ]
    return next((name for cls, name in kinds if isinstance(value, cls)), type(value).__name__)


def _type(error: ValidationError, subject: str) -> str:
    wanted = error.validator_value  # "string" or ["object", "null"]
    types = [str(name) for name in (wanted if isinstance(wanted, list) else [wanted])]
    expected = " or ".join(_EXPECTED.get(name, name) for name in types)
    value = error.instance
    if isinstance(value, (dict, list)):
        return f"expected {expected}, got {_kind(value)}"
    if value is None:
        return _null(subject, expected, wants_string="string" in types)
    message = f"{subject} is {_kind(value)}, not {expected}"
    if "string" in types:  # `DEBUG: yes` or `PORT: 8080` in envs: the value meant was text
        message += f"; quote it: {json.dumps(subject, ensure_ascii=False)}"
    elif "boolean" in types and isinstance(value, str):
        message += "; write true or false without quotes"
    return message


def _null(subject: str, expected: str, *, wants_string: bool) -> str:
    if not subject and wants_string:  # nothing was written after the colon
        return f'has no value (YAML null), not {expected}; write "" for an empty string'
    if not subject:
        return f"has no value (YAML null); expected {expected}"
    quote = f"; quote it: {json.dumps(subject)}" if wants_string else ""
    return f"{subject} is YAML null, not {expected}{quote}"


def _length(error: ValidationError, subject: str) -> str:
    instance: Any = error.instance
    length, bound = len(instance), error.validator_value
    if error.validator == "minLength" and length == 0:
        # "'' must not be empty" says nothing the path does not; a named subject reads well.
        return "must not be empty" if subject == shorten("") else f"{subject} must not be empty"
    size = "long" if error.validator == "maxLength" else "short"
    limit = "maximum" if error.validator == "maxLength" else "minimum"
    return f"{subject} is too {size}: {length} characters (the {limit} is {bound})"


# Gcore's rule for function, namespace and API key names (FunctionSerializer, NamespaceSerializer),
# read from the derived schema; the wording below says it in words.
GCORE_NAME_PATTERN: str = load_schema(FUNCTION_SCHEMA)["properties"]["name"]["pattern"]
GCORE_NAME_RULE = (
    "2 to 26 lowercase letters, digits and '-', starting with a letter and ending with a letter"
    " or a digit"
)


def _pattern(error: ValidationError, subject: str) -> str:
    if error.validator_value == GCORE_NAME_PATTERN:
        return f"{subject} is not a name Gcore accepts: {GCORE_NAME_RULE}"
    return f"{subject} does not match {error.validator_value}"


def _unique(error: ValidationError, _subject: str) -> str:
    items: Any = error.instance
    twice = next(item for index, item in enumerate(items) if item in items[:index])
    return f"lists {shown(twice, None)} more than once; each only once"


def _count(error: ValidationError) -> int:
    items: Any = error.instance  # typed "Any | Unset": a raised error always has one
    return len(items)


_WORDINGS: dict[str, Callable[[ValidationError, str], str]] = {
    "type": _type,
    "minLength": _length,
    "maxLength": _length,
    "maxItems": lambda e, _: f"has {_count(e):,} items; the maximum is {e.validator_value:,}",
    "pattern": _pattern,
    "uniqueItems": _unique,
    "const": lambda error, subject: f"must be {json.dumps(error.validator_value)}, not {subject}",
    "enum": lambda error, subject: f"{subject} is not one of {json.dumps(error.validator_value)}",
    "minimum": lambda error, subject: (
        f"{subject} is less than the minimum of {error.validator_value}"
    ),
    "maximum": lambda e, subject: f"{subject} is greater than the maximum of {e.validator_value}",
}
