"""Scope filters, unmanaged functions from namespace lists, and several desired files."""

from __future__ import annotations

from pathlib import Path

import pytest

from faasdrift.desired.load import expand, load_all
from faasdrift.errors import DesiredFileError
from faasdrift.judge.scope import Scope, narrow
from faasdrift.judge.unmanaged import find_unmanaged
from faasdrift.model import (
    DesiredFunction,
    DesiredState,
    Failure,
    FunctionId,
    FunctionList,
    FunctionStatus,
    Position,
)

HEAD = "version: 1\ndefaults: {project_id: 1, region_id: 1, namespace: ns}\n"


def declared(label: str, source: str = "d.yaml") -> DesiredFunction:
    namespace, name = label.split("/")
    return DesiredFunction(FunctionId(1, 1, namespace, name), {}, Position(3, 5), source=source)


@pytest.mark.parametrize(
    ("only", "exclude", "selected"),
    [
        ((), (), ["api/a", "api/b", "media/a"]),
        (("api/*",), (), ["api/a", "api/b"]),
        (("*/a",), ("media/*",), ["api/a"]),  # --exclude wins over --only
        (("api/a", "media/a"), (), ["api/a", "media/a"]),  # --only is repeatable: any matches
        (("API/*",), (), []),  # case-sensitive
    ],
)
def test_filters_select_by_namespace_and_name(
    only: tuple[str, ...], exclude: tuple[str, ...], selected: list[str]
) -> None:
    state = DesiredState("d.yaml", tuple(map(declared, ["api/a", "api/b", "media/a"])))

    narrowed, _ = narrow(state, Scope(only, exclude))

    assert [function.identity.label for function in narrowed.functions] == selected


def test_only_warns_per_pattern_that_selects_nothing() -> None:
    state = DesiredState("d.yaml", (declared("api/a"),))

    _, warnings = narrow(state, Scope(only=("api/*", "apl/*"), exclude=("nothing/*",)))

    assert warnings == ["--only 'apl/*' matches no declared function"]


def listing(*names: str, complete: bool = True) -> FunctionList:
    return FunctionList({name: {"name": name} for name in names}, complete)


def test_unmanaged_are_live_names_no_declared_function_has() -> None:
    state = DesiredState("d.yaml", (declared("api/a"), declared("api/b", "e.yaml")))

    found = find_unmanaged(state, {(1, 1, "api"): listing("z", "a", "b", "tmp")}, Scope())

    assert [(f.identity.name, f.status, f.source) for f in found.functions] == [
        ("tmp", FunctionStatus.UNMANAGED, "d.yaml"),  # at the namespace's first function
        ("z", FunctionStatus.UNMANAGED, "d.yaml"),
    ]
    assert found.unknown == ()


def test_a_failed_or_missing_list_is_unknown_never_empty() -> None:
    state = DesiredState("d.yaml", (declared("api/a"), declared("media/a")))
    lists = {(1, 1, "api"): Failure("HTTP 502", fall_back=True)}

    found = find_unmanaged(state, lists, Scope())

    assert found.functions == ()
    assert found.unknown == (
        "unmanaged functions in 1/1/api not checked: HTTP 502",
        "unmanaged functions in 1/1/media not checked: it was not listed",
    )


def test_an_inconsistent_list_reports_what_it_saw_and_warns() -> None:
    state = DesiredState("d.yaml", (declared("api/a"),))

    found = find_unmanaged(state, {(1, 1, "api"): listing("a", "x", complete=False)}, Scope())

    assert [f.identity.name for f in found.functions] == ["x"]
    assert found.unknown == (
        "unmanaged functions in 1/1/api may be incomplete: its list pages disagreed",
    )


def test_unmanaged_functions_obey_the_filters() -> None:
    state = DesiredState("d.yaml", (declared("api/a"),))

    found = find_unmanaged(
        state, {(1, 1, "api"): listing("a", "tmp-1", "keep")}, Scope(exclude=("*/tmp-*",))
    )

    assert [f.identity.name for f in found.functions] == ["keep"]


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
        tmp_path / "a.yaml", "ignore: [{path: timeout, reason: x}]\nfunctions: [{name: f}]\n"
    )
    second = tmp_path / "b.yaml"
    second.write_text(
        "defaults: {project_id: 2, region_id: 1, namespace: other}\nfunctions: [{name: f}]\n",
        encoding="utf-8",
    )

    state = load_all([first, second])

    a, b = state.functions
    assert (a.identity.project_id, a.source, len(a.ignore)) == (1, str(first), 1)
    assert (b.identity.project_id, b.source, b.ignore) == (2, str(second), ())
    assert state.source == f"{first}, {second}"


def test_one_file_loads_exactly_as_before(tmp_path: Path) -> None:
    only = write(tmp_path / "a.yaml", "functions: [{name: f}]\n")

    assert load_all([only]).source == str(only)


def test_problems_of_every_file_and_duplicates_come_together(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", "functions: [{name: f}]\n")
    second = write(tmp_path / "b.yaml", "functions: [{name: g}, {name: f}]\n")
    broken = write(tmp_path / "c.yaml", "functions: [{name: h, timeout: soon}]\n")

    with pytest.raises(DesiredFileError) as caught:
        load_all([first, second, broken])

    messages = [str(problem) for problem in caught.value.problems]
    duplicate = "duplicate function ns/f (project 1, region 1)"
    assert f"{second}:3:24: {duplicate}; also declared at {first}:3:13" in messages
    assert any(message.startswith(f"{broken}:3:") for message in messages)


def test_an_empty_directory_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(DesiredFileError, match=r"no \*\.yaml or \*\.yml file"):
        expand([tmp_path])
