"""`validate`: desired files against the schema and the cross-field rules; no key, no network.

Every problem of every file is collected, as ``check`` reports them, so a pre-commit hook shows all
of them at once. Unset ``${VAR}`` read as empty unless ``require_env``: the hook needs no secrets.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError
from faasdrift.model import Problem
from faasdrift.secrets import Secrets


@dataclass(frozen=True)
class ValidFile:
    path: Path
    function_count: int


@dataclass(frozen=True)
class Validation:
    """The files that are valid, and every problem of the others."""

    valid: tuple[ValidFile, ...]
    problems: tuple[Problem, ...]

    def raise_for_problems(self) -> None:
        """``DesiredFileError`` listing every problem found, if any."""
        if self.problems:
            raise DesiredFileError(list(self.problems))


def validate_files(
    files: Sequence[Path],
    *,
    environ: Mapping[str, str],
    secrets: Secrets,
    require_env: bool = False,
    allow_outside_paths: bool = False,
) -> Validation:
    """Load each file as a check would; collect instead of stopping at the first bad one.

    ``secrets`` learns every value a ``${VAR}`` takes, as a check's would: no problem message
    (nor anything else printed) may show one."""
    if not require_env:
        environ = EmptyForUnset(environ)
    valid: list[ValidFile] = []
    problems: list[Problem] = []
    for path in files:
        try:
            state = load_desired(
                path,
                environ=environ,
                allow_outside_paths=allow_outside_paths,
                protect=secrets.add_value,
            )
        except DesiredFileError as error:
            problems.extend(error.problems)
            continue
        valid.append(ValidFile(path, len(state.functions)))
    return Validation(tuple(valid), tuple(problems))


class EmptyForUnset(Mapping[str, str]):
    """The environment, where an unset variable reads as empty: validate needs no secrets."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ

    def __getitem__(self, name: str) -> str:
        return self._environ.get(name, "")

    def __iter__(self) -> Iterator[str]:
        return iter(self._environ)

    def __len__(self) -> int:
        return len(self._environ)
