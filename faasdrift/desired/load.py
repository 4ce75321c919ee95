"""Several desired files checked as one: directories expanded, files loaded, duplicates refused.

A directory stands for the ``*.yaml`` and ``*.yml`` files directly inside it (not in its
subdirectories: a nested folder often holds code files or unrelated YAML), sorted by name. A file
named twice, directly or through its directory, is read once. Each file keeps its own ``defaults``,
top-level ``ignore`` rules and folder for ``code_file``; every problem of every file is reported
together, and a function declared in two files is an error naming both places.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError
from faasdrift.model import DesiredState, FunctionId, Position, Problem

YAML_SUFFIXES = (".yaml", ".yml")
SOURCE_SEPARATOR = ", "  # between the files' names in ``DesiredState.source``


def expand(paths: Sequence[Path]) -> list[Path]:
    """The desired files ``paths`` name, directories expanded; raises on an empty directory."""
    files: dict[Path, Path] = {}
    problems: list[Problem] = []
    for path in paths:
        found = _yaml_files(path) if path.is_dir() else [path]
        if not found:
            message = "is a directory with no *.yaml or *.yml file in it"
            problems.append(Problem(str(path), None, "", message))
        for file in found:
            files.setdefault(file.resolve(), file)
    if problems:
        raise DesiredFileError(problems)
    return list(files.values())


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(
        path for path in folder.iterdir() if path.suffix in YAML_SUFFIXES and path.is_file()
    )


def load_all(
    paths: Sequence[Path],
    *,
    environ: Mapping[str, str] | None = None,
    allow_outside_paths: bool = False,
    protect: Callable[[str], None] | None = None,
    display: Callable[[Path], str] = str,
    before_read: Callable[[Path], None] | None = None,
) -> DesiredState:
    """Every file ``paths`` name as one state, in order; raises listing every problem of all.

    ``display`` is how messages and reports name each file, ``before_read`` is told each
    ``code_file``'s path before it is looked at (``gate --base-ref``: ``REF:path``, and the file
    written out of git then).
    """
    states: list[DesiredState] = []
    problems: list[Problem] = []
    for path in expand(paths):
        try:
            states.append(
                load_desired(
                    path,
                    display_name=display(path),
                    environ=environ,
                    allow_outside_paths=allow_outside_paths,
                    protect=protect,
                    before_read=before_read,
                )
            )
        except DesiredFileError as error:
            problems.extend(error.problems)
    problems.extend(_duplicates(states))
    if problems:
        raise DesiredFileError(problems)
    return merge(states)


def merge(states: Sequence[DesiredState]) -> DesiredState:
    """One state of several; a single one is returned as it is."""
    if len(states) == 1:
        return states[0]
    return DesiredState(
        source=SOURCE_SEPARATOR.join(state.source for state in states),
        functions=tuple(function for state in states for function in state.functions),
        ignore=tuple(rule for state in states for rule in state.ignore),
        files=tuple(file for state in states for file in state.files),
    )


def _duplicates(states: Sequence[DesiredState]) -> list[Problem]:
    """A problem at each declaration of a function already declared in an earlier file."""
    if len(states) < 2:  # one file's own duplicates are refused when it is loaded
        return []
    first: dict[FunctionId, tuple[str, Position]] = {}
    problems: list[Problem] = []
    for state in states:
        for function in state.functions:
            identity, here = function.identity, (state.source, function.position)
            seen = first.setdefault(identity, here)
            if seen[0] == state.source:
                continue  # one file's own duplicates are refused when it is loaded
            label = f"{identity.label} (project {identity.project_id}, region {identity.region_id})"
            message = f"duplicate function {label}; also declared at {seen[0]}:{seen[1]}"
            problems.append(Problem(state.source, function.position, "", message))
    return problems
