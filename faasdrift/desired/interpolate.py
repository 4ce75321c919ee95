"""``${VAR}`` and ``${VAR:-default}`` in the string values of a desired file, from the environment.

Secrets and per-environment values stay out of git this way. ``${VAR:-default}`` uses the default
when VAR is unset or empty, as the shell does; ``$${`` writes a literal ``${``; any other ``$`` is
kept as it is. An unset variable without a default is a problem at the value's position, and
every such problem is reported at once.

Where interpolation happens is a decision, because every value it takes is a secret (it is
registered for redaction, and its changes are hidden):

- a function's **settings** take values from the environment: ``description``, ``runtime``,
  ``flavor``, ``main_method``, the values under ``envs``, ``code_file`` and every other compared
  field but the two below;
- ``code_text`` and ``dependencies`` are file contents, never interpolated: code uses ``${...}``
  itself (JavaScript template literals, shell, pip requirement files), and both are compared byte
  for byte with what Gcore keeps;
- everything else is taken **as written**: a function's identity (``project_id``, ``region_id``,
  ``namespace``, ``name``, also under ``defaults``), ``ignore`` rules, the ``sensitive`` list,
  ``version``. An identity travels in every request URL (proxies and Gcore's access logs see it)
  and heads every report line, so it cannot be a secret; an ignore rule or a sensitive list is
  documentation of the file. A ``${NAME}`` there is refused with its position (``$${`` still
  writes a literal ``${``), rather than silently kept or silently expanded.

Mapping keys are never interpolated: an env var's name is not a value.

``validate`` needs no secrets, so there an unset variable is a **placeholder**: it expands to
an empty string, and its value's path is recorded so the schema does not judge a value nobody
knows yet (``timeout: ${TIMEOUT}`` is an integer in CI, an unset name in a pre-commit hook).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from faasdrift.desired.yaml_reader import YamlDocument, YamlPath, format_path
from faasdrift.model import Problem

# Fields of a function that hold file contents: compared as written, never interpolated.
NOT_INTERPOLATED_FIELDS = frozenset({"code_text", "dependencies"})
# Fields of a function taken as written, where a ${NAME} reference is refused.
LITERAL_FIELDS = frozenset({"project_id", "region_id", "namespace", "name", "ignore", "sensitive"})
_LITERAL_HINT = (
    "is not expanded here: only a function's settings (description, envs, runtime, flavor, "
    "main_method, code_file, ...) take values from the environment; an identity, an ignore rule "
    "or a sensitive list is taken as written (write $${ for a literal ${)"
)

# `$${` first so the escape wins; a `${` that matches neither closed form is unterminated.
_TOKEN = re.compile(r"\$\$\{|\$\{(?P<body>[^{}]*)\}|\$\{")
_REFERENCE = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>.*))?", re.DOTALL)


@dataclass(frozen=True)
class Interpolated:
    """The document's data with every reference replaced, and which values used one."""

    data: dict[str, Any]
    paths: frozenset[YamlPath]  # values that took at least one ${VAR} (escapes alone don't count)
    problems: tuple[Problem, ...] = ()
    # Every value taken from the environment (not defaults): each may be a secret, so output
    # redacts them wherever they would appear (SECURITY.md, "what is redacted").
    values: frozenset[str] = frozenset()
    # With ``unset_as_placeholder``: the values that took an unset variable (validate only).
    placeholders: frozenset[YamlPath] = frozenset()


class _ReferenceError(Exception):
    """One value cannot be interpolated; the message names the variable or the bad reference."""


def interpolate(
    document: YamlDocument,
    environ: Mapping[str, str],
    *,
    source: str,
    unset_as_placeholder: bool = False,
) -> Interpolated:
    """Replace every reference in ``document``'s string values with its value from ``environ``;
    with ``unset_as_placeholder``, an unset variable is a placeholder instead of a problem."""
    if not document.references:  # every ${, $${ and refused ${NAME} starts with a "${"
        return Interpolated(document.data, frozenset())
    walker = _Walker(document, _Unset(environ) if unset_as_placeholder else environ, source)
    data = walker.walk(document.data, ())  # the top level is literal; a function's settings not
    paths, values = frozenset(walker.paths), frozenset(walker.values)
    placeholders = frozenset(walker.placeholders)
    return Interpolated(data, paths, tuple(walker.problems), values, placeholders)


class _Unset(dict[str, str]):
    """The environment, where a reference to an unset variable is a placeholder; ``read_unset``
    says whether the value being expanded took one."""

    read_unset = False


def without_placeholders(
    problems: list[Problem], placeholders: frozenset[YamlPath]
) -> list[Problem]:
    """``problems`` less the schema's about a placeholder's value: it is not known yet."""
    unknown = {format_path(path) for path in placeholders}
    return [problem for problem in problems if problem.path not in unknown]


class _Walker:
    def __init__(self, document: YamlDocument, environ: Mapping[str, str], source: str) -> None:
        self.document = document
        self.environ = environ
        self.source = source
        self.paths: set[YamlPath] = set()
        self.values: set[str] = set()
        self.placeholders: set[YamlPath] = set()
        self.problems: list[Problem] = []

    def walk(self, value: Any, path: YamlPath, environ: Mapping[str, str] | None = None) -> Any:
        """``value`` expanded from ``environ``; with None, taken as written (literal).

        A mapping or list in which nothing changes is returned as it is, not copied: nearly
        nothing in a desired file has a ``${``, and it may hold 300,000 values.
        """
        if isinstance(value, dict):
            changed: dict[str, Any] | None = None
            for key, item in value.items():
                if _settled(item):  # most values: no path to build, nothing to call
                    continue
                where = (*path, key)
                if _is_content(where):
                    continue
                new = self.walk(item, where, self._env(where, environ))
                if new is not item:
                    changed = changed if changed is not None else dict(value)
                    changed[key] = new
            return value if changed is None else changed
        if isinstance(value, list):
            items = [
                item if _settled(item) else self.walk(item, (*path, index), environ)
                for index, item in enumerate(value)
            ]
            unchanged = all(new is old for new, old in zip(items, value, strict=True))
            return value if unchanged else items
        if isinstance(value, str) and "$" in value:
            return self._string(value, path, environ)
        return value

    def _env(self, path: YamlPath, inherited: Mapping[str, str] | None) -> Mapping[str, str] | None:
        # ("functions", index, field) decides for everything below it; elsewhere it is inherited.
        if len(path) == 3 and path[0] == "functions":
            return None if path[2] in LITERAL_FIELDS else self.environ
        return inherited

    def _string(self, value: str, path: YamlPath, environ: Mapping[str, str] | None) -> str:
        if isinstance(environ, _Unset):
            environ.read_unset = False
        try:
            text, used = expand(value, environ, taken=self.values)
        except _ReferenceError as error:
            where = self.document.value_position(path)
            self.problems.append(Problem(self.source, where, format_path(path), str(error)))
            return value
        if used:
            self.paths.add(path)
        if isinstance(environ, _Unset) and environ.read_unset:
            self.placeholders.add(path)
        return text


def _settled(value: Any) -> bool:
    """Whether ``value`` is left as it is: a scalar, or a string without a ``${`` (every
    reference, ``$${`` escape and unclosed ``${`` has one; any other ``$`` is kept as written)."""
    if isinstance(value, str):
        return "${" not in value
    return not isinstance(value, (dict, list))


def _is_content(path: YamlPath) -> bool:
    return len(path) == 3 and path[0] == "functions" and path[2] in NOT_INTERPOLATED_FIELDS


def expand(
    value: str, environ: Mapping[str, str] | None, *, taken: set[str] | None = None
) -> tuple[str, bool]:
    """``value`` with its references replaced and whether it had one; raises on a bad one.

    ``environ`` None means a value taken as written: ``$${`` is still a literal ``${``, and any
    reference is refused. ``taken`` collects each value that came from ``environ`` (a default
    written in the file is not collected: it is in the file for anyone to read).
    """
    used = False

    def replace(match: re.Match[str]) -> str:
        nonlocal used
        if match.group(0) == "$${":
            return "${"
        body = match.group("body")
        if body is None:
            raise _ReferenceError("'${' is not closed with '}'; write $${ for a literal ${")
        if environ is None:
            raise _ReferenceError(f"'${{{body}}}' {_LITERAL_HINT}")
        used = True
        resolved, from_environ = _resolve(body, environ)
        if from_environ and taken is not None:
            taken.add(resolved)
        return resolved

    return _TOKEN.sub(replace, value), used


def _resolve(body: str, environ: Mapping[str, str]) -> tuple[str, bool]:
    """The value of a reference, and whether it came from ``environ`` rather than a default."""
    reference = _REFERENCE.fullmatch(body)
    if reference is None:
        raise _ReferenceError(
            f"'${{{body}}}' is not a valid reference: use ${{NAME}} or ${{NAME:-default}} "
            "(write $${ for a literal ${)"
        )
    name, default = reference.group("name"), reference.group("default")
    value = environ.get(name)
    if default is not None:
        # like the shell's :- an empty value takes the default too
        return (value, True) if value else (default, False)
    if value is None and isinstance(environ, _Unset):
        environ.read_unset = True  # a placeholder: empty for now, and not judged by the schema
        return "", False
    if value is None:
        raise _ReferenceError(
            f"environment variable {name} is not set (give a default with ${{{name}:-default}})"
        )
    return value, True
