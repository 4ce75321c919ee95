"""``${VAR}`` and ``${VAR:-default}`` in the string values of a desired file, from the environment.

Secrets and per-environment values stay out of git this way. ``${VAR:-default}`` uses the default
when VAR is unset or empty, as the shell does; ``$${`` writes a literal ``${``; any other ``$`` is
kept as it is. An unset variable without a default is a problem at the value's position, and
every such problem is reported at once.

Two fields are file contents rather than settings and are never interpolated: ``code_text`` and
``dependencies``. Code uses ``${...}`` itself (JavaScript template literals, shell, pip requirement
files expand ``${VAR}`` on the build side), and both are compared byte for byte with what Gcore
keeps. Mapping keys are never interpolated either: an env var's name is not a value.
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


class _ReferenceError(Exception):
    """One value cannot be interpolated; the message names the variable or the bad reference."""


def interpolate(document: YamlDocument, environ: Mapping[str, str], *, source: str) -> Interpolated:
    """Replace every reference in ``document``'s string values with its value from ``environ``."""
    walker = _Walker(document, environ, source)
    data = walker.walk(document.data, ())
    paths, values = frozenset(walker.paths), frozenset(walker.values)
    return Interpolated(data, paths, tuple(walker.problems), values)


class _Walker:
    def __init__(self, document: YamlDocument, environ: Mapping[str, str], source: str) -> None:
        self.document = document
        self.environ = environ
        self.source = source
        self.paths: set[YamlPath] = set()
        self.values: set[str] = set()
        self.problems: list[Problem] = []

    def walk(self, value: Any, path: YamlPath) -> Any:
        if isinstance(value, dict):
            return {key: self._child(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [self.walk(item, (*path, index)) for index, item in enumerate(value)]
        if isinstance(value, str) and "$" in value:
            return self._string(value, path)
        return value

    def _child(self, value: Any, path: YamlPath) -> Any:
        # ("functions", index, field) is a function's own field
        field = path[2] if len(path) == 3 and path[0] == "functions" else None
        is_content = field in NOT_INTERPOLATED_FIELDS
        return value if is_content else self.walk(value, path)

    def _string(self, value: str, path: YamlPath) -> str:
        try:
            text, used = expand(value, self.environ, taken=self.values)
        except _ReferenceError as error:
            where = self.document.value_position(path)
            self.problems.append(Problem(self.source, where, format_path(path), str(error)))
            return value
        if used:
            self.paths.add(path)
        return text


def expand(
    value: str, environ: Mapping[str, str], *, taken: set[str] | None = None
) -> tuple[str, bool]:
    """``value`` with its references replaced and whether it had one; raises on a bad one.

    ``taken`` collects each value that came from ``environ`` (a default written in the file is
    not collected: it is in the file for anyone to read).
    """
    used = False

    def replace(match: re.Match[str]) -> str:
        nonlocal used
        if match.group(0) == "$${":
            return "${"
        body = match.group("body")
        if body is None:
            raise _ReferenceError("'${' is not closed with '}'; write $${ for a literal ${")
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
    if value is None:
        raise _ReferenceError(
            f"environment variable {name} is not set (give a default with ${{{name}:-default}})"
        )
    return value, True
