"""`validate`: desired files against the schema and the cross-field rules; no key, no network.

Every problem of every file is collected, as ``check`` reports them, so a pre-commit hook shows all
of them at once. An unset ``${VAR}`` is a placeholder that every field accepts, unless
``require_env``: the hook needs no secrets and no environment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError
from faasdrift.model import Problem
from faasdrift.secrets import Secrets
from faasdrift.text import counted


@dataclass(frozen=True)
class ValidFile:
    path: Path
    function_count: int


@dataclass(frozen=True)
class Validation:
    """The files that are valid, and every problem of the others."""

    valid: tuple[ValidFile, ...]
    problems: tuple[Problem, ...]
    file_count: int = 0

    def raise_for_problems(self) -> None:
        """``DesiredFileError`` listing every problem found, if any."""
        if self.problems:
            invalid = self.file_count - len(self.valid)
            verdict = f"{invalid} of {counted(self.file_count, 'file')} not valid"
            raise DesiredFileError(list(self.problems), consequence=verdict)


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
    valid: list[ValidFile] = []
    problems: list[Problem] = []
    for path in files:
        try:
            state = load_desired(
                path,
                environ=environ,
                allow_outside_paths=allow_outside_paths,
                protect=secrets.add_value,
                unset_as_placeholder=not require_env,
            )
        except DesiredFileError as error:
            problems.extend(error.problems)
            continue
        valid.append(ValidFile(path, len(state.functions)))
    return Validation(tuple(valid), tuple(problems), file_count=len(files))
