"""Property: whatever a desired file holds, loading it never fails in an unplanned way.

Either the file loads, or ``DesiredFileError`` lists problems that each name file:line:col on one
printable line. Nothing else may escape: no RecursionError, MemoryError, UnicodeError, ValueError.
"""

from __future__ import annotations

from hypothesis import event, given

from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError
from faasdrift.model import Problem
from tests.fuzz.conftest import FUZZ, SECRET, Workspace
from tests.fuzz.strategies import desired_files

SOURCE = "desired.yaml"
ENVIRON = {"FUZZ_VAR": "fuzz value"}


def assert_every_problem_is_one_located_line(problems: list[Problem]) -> None:
    assert problems
    for problem in problems:
        line = str(problem)
        assert problem.position is not None, line
        assert line.startswith(f"{SOURCE}:{problem.position.line}:{problem.position.column}: ")
        assert line.isprintable(), repr(line)  # one line, no terminal escapes
        assert SECRET not in line


@FUZZ
@given(data=desired_files())
def test_a_desired_file_loads_or_every_problem_names_its_line(
    workspace: Workspace, data: bytes
) -> None:
    path = workspace.write(data)
    try:
        state = load_desired(path, display_name=SOURCE, environ=ENVIRON)
    except DesiredFileError as error:
        assert_every_problem_is_one_located_line(error.problems)
        event(f"refused: {_kind(error.problems[0].message)}")
    else:
        event("loaded")
        assert all(SECRET not in str(function.fields) for function in state.functions)


def _kind(message: str) -> str:
    """The first words of a message, numbers and quotes left out: a coarse class for statistics."""
    words = [word for word in message.split()[:4] if word.isalpha()]
    return " ".join(words[:3])
