"""Live functions -> a desired document that a check finds in sync, value for value.

Pure: the functions come in as data (``workflow`` fetches them) and the document goes out as YAML
text plus the code files to write. What makes the round trip exact:

- every compared field the API returned is written, in a stable order, functions sorted by
  namespace and name, with project, region and the most common namespace under ``defaults:``;
- string values the desired file interpolates get ``${`` escaped as ``$${``; ``code_text`` and
  ``dependencies`` are never interpolated, so they are written as they are (``yaml_writer`` keeps
  them byte-exact);
- a sensitive env value (the reports' rule: its name looks secret) is never written: it becomes a
  ``${VAR}`` reference with a comment, and the check reads it from the environment.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from faasdrift.desired.interpolate import NOT_INTERPOLATED_FIELDS
from faasdrift.desired.write import CommentedValue, dump_yaml
from faasdrift.errors import UsageError
from faasdrift.model import COMPARED_FIELDS
from faasdrift.schemas import DESIRED_SCHEMA, load_schema
from faasdrift.secrets import is_sensitive_env

# Short settings first, then the envs map, then the long file contents.
FIELD_ORDER: tuple[str, ...] = (
    "description",
    "disabled",
    "runtime",
    "main_method",
    "flavor",
    "timeout",
    "autoscaling",
    "enable_api_key",
    "keys",
    "envs",
    "dependencies",
    "code_text",
)
assert set(FIELD_ORDER) == set(COMPARED_FIELDS)  # a new compared field must be imported too

# Written even when the API leaves them out (absent or null means "not disabled", "no keys"), so
# that switching a function off or giving it a key by hand is drift for the imported file.
ALWAYS_WRITTEN: Mapping[str, Callable[[Any], Any]] = {
    "disabled": lambda value: value is True,
    "keys": lambda value: sorted(value) if isinstance(value, list) else [],
}

# An import must produce a file that validates: read the cap from the schema, never restate it.
MAX_FUNCTIONS: int = load_schema(DESIRED_SCHEMA)["properties"]["functions"]["maxItems"]
_EXTENSIONS = (
    ("python", ".py"),
    ("node", ".js"),
    ("go", ".go"),
    ("php", ".php"),
    ("dotnet", ".cs"),
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]+")


@dataclass(frozen=True)
class LiveFunction:
    """One function as the API returned it, with the namespace it was listed in."""

    project_id: int
    region_id: int
    namespace: str
    data: Mapping[str, Any]

    @property
    def name(self) -> str:
        return str(self.data["name"])


@dataclass(frozen=True)
class CodeFile:
    path: str  # relative to the desired file's folder, with "/" separators
    text: str


@dataclass(frozen=True)
class ImportPlan:
    """The desired file's text, the code files it refers to, and the variables it needs."""

    text: str
    code_files: tuple[CodeFile, ...]
    variables: tuple[str, ...]  # names of the ${VAR} references that stand for secrets
    function_count: int = 0


def plan_import(functions: Sequence[LiveFunction], *, code_dir: str | None = None) -> ImportPlan:
    """The desired document for ``functions`` (one project and region); code in files under
    ``code_dir`` (relative to the desired file) when given, else inline as ``code_text``."""
    if len(functions) > MAX_FUNCTIONS:
        raise UsageError(
            f"{len(functions)} functions match, but a desired file holds at most {MAX_FUNCTIONS}: "
            "narrow the import with --name, or import the namespaces one by one"
        )
    ordered = sorted(functions, key=lambda fn: (fn.namespace, fn.name))
    defaults = _defaults(ordered)
    variables = _secret_variables(ordered)
    files = _CodeFiles(code_dir)
    entries = [_entry(fn, defaults, variables, files) for fn in ordered]
    document = {"version": 1, "defaults": defaults, "functions": entries}
    names = tuple(sorted(set(variables.values())))
    text = dump_yaml(document, header=_header(names))
    return ImportPlan(text, tuple(files.files), names, function_count=len(entries))


def escape(value: str) -> str:
    """``value`` as written in an interpolated field, so that interpolation gives it back."""
    return value.replace("${", "$${")


def _defaults(functions: Sequence[LiveFunction]) -> dict[str, Any]:
    if not functions:
        return {}
    namespaces = Counter(fn.namespace for fn in functions)
    # The most common namespace; ties go to the first in name order, so the output is stable.
    namespace = min(namespaces, key=lambda name: (-namespaces[name], name))
    first = functions[0]
    return {"project_id": first.project_id, "region_id": first.region_id, "namespace": namespace}


def _entry(
    fn: LiveFunction,
    defaults: Mapping[str, Any],
    variables: Mapping[tuple[str, str, str], str],
    files: _CodeFiles,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": escape(fn.name)}
    if fn.namespace != defaults.get("namespace"):
        entry["namespace"] = escape(fn.namespace)
    for field in FIELD_ORDER:
        if field not in fn.data and field not in ALWAYS_WRITTEN:
            continue
        value = fn.data.get(field)
        if field in ALWAYS_WRITTEN:
            entry[field] = ALWAYS_WRITTEN[field](value)
        elif field == "envs":
            entry["envs"] = _envs(fn, value or {}, variables)  # the API's null means none
        elif field == "code_text" and files.enabled and isinstance(value, str):
            entry["code_file"] = files.add(fn, value)
        else:
            entry[field] = value if field in NOT_INTERPOLATED_FIELDS else _escaped(value)
    return entry


def _envs(
    fn: LiveFunction, envs: Mapping[str, Any], variables: Mapping[tuple[str, str, str], str]
) -> dict[str, Any]:
    written: dict[str, Any] = {}
    for name in sorted(envs):
        variable = variables.get((fn.namespace, fn.name, name))
        if variable is None:
            written[name] = _escaped(envs[name])
        else:
            comment = f"secret: live value not written; set {variable} in the environment"
            written[name] = CommentedValue(f"${{{variable}}}", comment)
    return written


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def _secret_variables(functions: Iterable[LiveFunction]) -> dict[tuple[str, str, str], str]:
    """(namespace, function, env) -> the variable its secret is read from.

    The env's own name for the value most functions sharing that env hold (one variable to
    set), and one variable per function, named after namespace, function and env, for the rest.
    """
    holders: dict[str, Counter[str]] = {}
    owners: list[tuple[tuple[str, str, str], str]] = []
    for fn in functions:
        envs = fn.data.get("envs") or {}
        for name in (name for name in envs if is_sensitive_env(name)):
            holders.setdefault(name, Counter())[str(envs[name])] += 1
            owners.append(((fn.namespace, fn.name, name), str(envs[name])))
    variables: dict[tuple[str, str, str], str] = {}
    taken = set(holders)
    for owner, value in owners:
        common = holders[owner[2]].most_common(1)[0][0]  # ties: the first seen, so stable
        shared = value == common
        variables[owner] = owner[2] if shared else _identifier("_".join(owner), taken)
        taken.add(variables[owner])
    return variables


def _identifier(text: str, taken: set[str]) -> str:
    base = _NOT_IDENTIFIER.sub("_", text).strip("_").upper() or "SECRET"
    base = base if not base[0].isdigit() else f"_{base}"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    return name


def _header(variables: Sequence[str]) -> str:
    lines = ["Imported from the live Gcore FaaS API by `faasdrift import`."]
    if variables:
        lines.append("Secret env values were not written: set these variables before a check:")
        lines.extend(f"  {name}" for name in variables)
    return "\n".join(lines) + "\n"


class _CodeFiles:
    """Code files under ``code_dir``: ``<namespace>/<function><ext>``, unique even on a
    case-insensitive file system."""

    def __init__(self, code_dir: str | None) -> None:
        self.enabled = code_dir is not None
        self._dir = (code_dir or ".").rstrip("/") or "."
        self.files: list[CodeFile] = []
        self._taken: set[str] = set()

    def add(self, fn: LiveFunction, text: str) -> str:
        stem = f"{self._dir}/{_safe(fn.namespace)}/{_safe(fn.name)}"
        extension = _extension(fn.data.get("runtime"))
        path, number = f"{stem}{extension}", 2
        while path.casefold() in self._taken:
            path, number = f"{stem}-{number}{extension}", number + 1
        self._taken.add(path.casefold())
        self.files.append(CodeFile(path.removeprefix("./"), text))
        return escape(path.removeprefix("./"))


def _safe(name: str) -> str:
    safe = _UNSAFE.sub("_", name).strip(".")
    return safe or "_"


def _extension(runtime: Any) -> str:
    text = runtime if isinstance(runtime, str) else ""
    return next((ext for prefix, ext in _EXTENSIONS if text.startswith(prefix)), ".txt")
