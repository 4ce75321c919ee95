"""Several desired files checked as one: directories expanded, each file its own, one report."""

from __future__ import annotations

from pathlib import Path

import pytest

from faasdrift.desired.load import expand, load_all
from faasdrift.errors import DesiredFileError

HEAD = "version: 1\ndefaults: {project_id: 1, region_id: 1, namespace: ns}\n"


def write(path: Path, body: str) -> Path:
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_a_directory_is_its_yaml_files_sorted_and_each_file_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    (folder / "nested").mkdir(parents=True)
    for name in ("b.yml", "a.yaml", "c.txt", "nested/x.yaml"):
        (folder / name).write_text("", encoding="utf-8")

    files = expand([folder / "a.yaml", folder])

    assert files == [folder / "a.yaml", folder / "b.yml"]


def test_each_file_keeps_its_defaults_rules_and_source(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.yaml", "ignore: [{path: timeout, reason: x}]\nfunctions: [{name: fn}]\n"
    )
    second = tmp_path / "b.yaml"
    second.write_text(
        "defaults: {project_id: 2, region_id: 1, namespace: other}\nfunctions: [{name: fn}]\n",
        encoding="utf-8",
    )

    state = load_all([first, second])

    a, b = state.functions
    assert (a.identity.project_id, a.source, len(a.ignore)) == (1, str(first), 1)
    assert (b.identity.project_id, b.source, b.ignore) == (2, str(second), ())
    assert state.source == f"{first}, {second}"


def test_one_file_loads_exactly_as_before(tmp_path: Path) -> None:
    only = write(tmp_path / "a.yaml", "functions: [{name: fn}]\n")

    assert load_all([only]).source == str(only)


def test_problems_of_every_file_and_duplicates_come_together(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", "functions: [{name: fn}]\n")
    second = write(tmp_path / "b.yaml", "functions: [{name: gn}, {name: fn}]\n")
    broken = write(tmp_path / "c.yaml", "functions: [{name: hn, timeout: soon}]\n")

    with pytest.raises(DesiredFileError) as caught:
        load_all([first, second, broken])

    messages = [str(problem) for problem in caught.value.problems]
    duplicate = "duplicate function ns/fn (project 1, region 1)"
    assert f"{second}:3:25: {duplicate}; also declared at {first}:3:13" in messages
    assert any(message.startswith(f"{broken}:3:") for message in messages)


def test_one_files_own_duplicate_is_told_once_by_the_file_itself(tmp_path: Path) -> None:
    only = write(tmp_path / "a.yaml", "functions: [{name: fn}, {name: fn}]\n")

    with pytest.raises(DesiredFileError) as caught:
        load_all([only])

    duplicate = "duplicate function ns/fn (project 1, region 1); first declared on line 3"
    assert [str(problem) for problem in caught.value.problems] == [
        f"{only}:3:25: functions[1]: {duplicate}"
    ]


def test_an_empty_directory_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(DesiredFileError, match=r"no \*\.yaml or \*\.yml file"):
        expand([tmp_path])
