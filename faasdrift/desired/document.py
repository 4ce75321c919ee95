"""Read a desired-state file into a validated ``DesiredState``.

Three passes, each reporting every problem it finds so the user fixes them all in one go: the
YAML itself (``yaml_loader``), the JSON Schema (``validation``), then the rules a schema cannot
say: identities complete and unique once defaults apply, code_text or code_file, min <= max.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeGuard

from faasdrift.acyclic import builds_acyclic_data
from faasdrift.desired.code import TOO_MUCH_CODE, CodeReader
from faasdrift.desired.ignore_rules import read_rules
from faasdrift.desired.interpolate import interpolate, without_placeholders
from faasdrift.desired.positions import LazyPositions
from faasdrift.desired.schema import schema_problems
from faasdrift.desired.yaml_document import YamlDocument, unpack
from faasdrift.desired.yaml_reader import YamlPath, format_path, load_yaml_file
from faasdrift.errors import DesiredFileError
from faasdrift.model import (
    COMPARED_FIELDS,
    DesiredFunction,
    DesiredState,
    FunctionId,
    IgnoreRule,
    Problem,
)

IDENTITY_PARTS: tuple[str, ...] = ("project_id", "region_id", "namespace", "name")
_NONE: frozenset[str] = frozenset()


@builds_acyclic_data  # a tree of plain data: the cyclic collector has nothing to find in it
def load_desired(
    path: Path,
    *,
    display_name: str | None = None,
    environ: Mapping[str, str] | None = None,
    allow_outside_paths: bool = False,
    protect: Callable[[str], None] | None = None,
    before_read: Callable[[Path], None] | None = None,
    unset_as_placeholder: bool = False,
) -> DesiredState:
    """Load, interpolate, validate and resolve ``path``; raises ``DesiredFileError`` listing every
    problem. ``protect`` is told every value taken from the environment by ``${VAR}`` before
    anything can print it (even a problem message), so output can redact it.

    ``display_name`` names the file in messages (``path`` by default). ``${VAR}`` come from
    ``environ`` (``os.environ`` by default); with ``unset_as_placeholder`` (validate) an unset one
    is a placeholder every field accepts. ``code_file`` stays in ``path``'s folder unless
    ``allow_outside_paths``; ``before_read`` is told its path before it is looked at."""
    source = str(path) if display_name is None else display_name
    document = load_yaml_file(path, source=source)
    env = os.environ if environ is None else environ
    expanded = interpolate(document, env, source=source, unset_as_placeholder=unset_as_placeholder)
    for value in expanded.values:
        protect(value) if protect is not None else None
    if expanded.problems:  # schema errors about unexpanded values would only confuse
        raise DesiredFileError([*document.problems, *expanded.problems])
    document = dataclasses.replace(document, data=expanded.data)
    schema = schema_problems(document, source=source, as_written=expanded.paths)
    schema = without_placeholders(schema, expanded.placeholders)
    problems = [*document.problems, *schema]
    reader = _FunctionReader(
        document,
        source=source,
        interpolated=expanded.paths,
        code=CodeReader(
            path.parent, allow_outside_paths=allow_outside_paths, before_read=before_read
        ),
    )
    functions = reader.read_all()
    if problems or reader.problems:
        raise DesiredFileError([*problems, *reader.problems])
    files = (path, *reader.code.files)  # what the run reads: never an output (outputs.py)
    return DesiredState(source, tuple(functions), reader.file_rules, files=files)


class _FunctionReader:
    """Applies defaults, reads code files and checks the cross-field rules of each entry.

    The schema pass has already reported wrongly typed values, so every check here quietly
    skips what it cannot make sense of instead of reporting the same mistake twice.
    """

    def __init__(
        self,
        document: YamlDocument,
        *,
        source: str,
        code: CodeReader,
        interpolated: frozenset[YamlPath] = frozenset(),
    ) -> None:
        self.document = document
        self.source = source
        self.problems: list[Problem] = []
        self._first_seen: dict[FunctionId, int] = {}  # where each stands first, packed
        self.interpolated = interpolated  # paths of the values that came from ${VAR}
        self._from_environ: dict[int, list[YamlPath]] = {}  # those in each function, by index
        for path in interpolated:
            if len(path) > 2 and path[0] == "functions" and isinstance(path[1], int):
                self._from_environ.setdefault(path[1], []).append(path)
        self.code = code
        self.file_rules = self._rules(("ignore",))  # top-level rules apply to every function

    def _rules(self, at: YamlPath) -> tuple[IgnoreRule, ...]:
        rules, problems = read_rules(self.document, at, source=self.source)
        self.problems.extend(problems)
        return rules

    def read_all(self) -> list[DesiredFunction]:
        defaults = self.document.data.get("defaults")
        entries = self.document.data.get("functions")
        defaults = defaults if isinstance(defaults, dict) else {}
        entries = entries if isinstance(entries, list) else []
        functions = [
            self._read(index, entry, defaults)
            for index, entry in enumerate(entries)
            if isinstance(entry, dict)
        ]
        return [function for function in functions if function is not None]

    def _read(
        self, index: int, entry: dict[str, Any], defaults: dict[str, Any]
    ) -> DesiredFunction | None:
        at: YamlPath = ("functions", index)
        node = self.document.node(at)
        assert node is not None  # the entry was built from it
        identity = self._identity(at, {**defaults, **entry}, node[1])
        code = self._code(at, entry)
        self._check_autoscaling(at, entry.get("autoscaling"))
        if identity is None:
            return None
        fields = {name: entry[name] for name in COMPARED_FIELDS if name in entry}
        if code is not None:
            fields["code_text"] = code
        self._count_code(at, entry, fields)
        from_environ = self._interpolated_fields(index)
        # Most entries have no rules of their own: then they are the file's, and nothing to read.
        own = self._rules((*at, "ignore")) if "ignore" in entry else ()
        return DesiredFunction(
            identity,
            fields,
            unpack(node[1]),
            LazyPositions(entry, node),
            self._sensitive(index, entry),
            ignore=(*own, *self.file_rules),
            source=self.source,
            sensitive_paths=from_environ,
        )

    def _problem(self, path: YamlPath, message: str) -> None:
        where = self.document.value_position(path)
        self.problems.append(Problem(self.source, where, format_path(path), message))

    def _identity(self, at: YamlPath, merged: dict[str, Any], packed: int) -> FunctionId | None:
        """The entry's identity; ``packed``: where the entry stands (``yaml_document.pack``)."""
        missing = [part for part in IDENTITY_PARTS if part not in merged]
        for part in missing:
            where = "" if part == "name" else ": set it on the function or under defaults"
            self._problem(at, f"missing '{part}'{where}")
        identity = None if missing else _valid_identity(merged)
        if identity is None:
            return None
        first = self._first_seen.setdefault(identity, packed)
        if first != packed:
            label = f"{identity.label} (project {identity.project_id}, region {identity.region_id})"
            line = unpack(first).line
            self._problem(at, f"duplicate function {label}; first declared on line {line}")
        return identity

    def _code(self, at: YamlPath, entry: dict[str, Any]) -> str | None:
        code_file = entry.get("code_file")
        if not isinstance(code_file, str) or not code_file or self.code.exhausted:
            return None
        if "code_text" in entry:
            self._problem((*at, "code_file"), "set code_text or code_file, not both")
            return None
        return self._read_code_file((*at, "code_file"), code_file)

    def _read_code_file(self, path: YamlPath, code_file: str) -> str | None:
        # Relative to the desired file, so a check gives the same answer from any directory.
        code, messages = self.code.load(code_file, name=self._code_file_name(path, code_file))
        for message in messages:
            self._problem(path, message)
        return code

    def _code_file_name(self, path: YamlPath, code_file: str) -> str:
        """How messages name a code file: as written when it came from ``${VAR}`` (the value may
        be a secret, and a message never echoes one), else with where it resolves to."""
        if path in self.interpolated:
            return repr(self.document.text(path) or "")
        file = self.code.base_dir / code_file
        return repr(code_file) + ("" if str(file) == code_file else f" ({file})")

    def _count_code(self, at: YamlPath, entry: dict[str, Any], fields: dict[str, Any]) -> None:
        for name in ("code_text", "dependencies"):
            text = fields.get(name)
            if isinstance(text, str) and self.code.count(text):
                from_file = name == "code_text" and "code_text" not in entry
                self._problem((*at, "code_file" if from_file else name), TOO_MUCH_CODE)

    def _check_autoscaling(self, at: YamlPath, autoscaling: Any) -> None:
        if not isinstance(autoscaling, dict):
            return
        low, high = autoscaling.get("min_instances"), autoscaling.get("max_instances")
        if _is_int(low) and _is_int(high) and low > high:
            message = f"min_instances ({low}) is greater than max_instances ({high})"
            self._problem((*at, "autoscaling"), message)

    def _sensitive(self, index: int, entry: dict[str, Any]) -> frozenset[str]:
        """Env names listed under ``sensitive:``, and those whose value came from ``${VAR}``."""
        listed, envs = entry.get("sensitive"), entry.get("envs")
        if listed is None and index not in self._from_environ:
            return _NONE  # nearly every function: nothing listed, nothing from the environment
        listed = listed if isinstance(listed, list) else []
        # The schema has reported anything but strings already; skip it here, as checks above do.
        names = {name for name in listed if isinstance(name, str)}
        if isinstance(envs, dict):
            at = ("functions", index, "envs")
            names.update(name for name in envs if (*at, name) in self.interpolated)
        return frozenset(names)

    def _interpolated_fields(self, index: int) -> frozenset[str]:
        """Dotted paths (``description``, ``envs.DB_URL``) of the values that came from ``${VAR}``:
        all may be secrets, whatever the field."""
        if index not in self._from_environ:
            return _NONE
        return frozenset(".".join(map(str, path[2:])) for path in self._from_environ[index])


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _valid_identity(merged: dict[str, Any]) -> FunctionId | None:
    """The identity ``merged`` holds all parts of, if each is valid (ids >= 1, names not empty)."""
    project, region = merged["project_id"], merged["region_id"]
    namespace, name = merged["namespace"], merged["name"]
    if not (_is_int(project) and project >= 1 and _is_int(region) and region >= 1):
        return None
    if not (isinstance(namespace, str) and namespace and isinstance(name, str) and name):
        return None
    return FunctionId(project, region, namespace, name)
