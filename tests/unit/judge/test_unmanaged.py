"""Unmanaged functions: found in the namespace lists, never claimed from a failed one."""

from __future__ import annotations

from faasdrift.judge.scope import Scope
from faasdrift.judge.unmanaged import find_unmanaged
from faasdrift.model import (
    DesiredState,
    Failure,
    FunctionList,
    FunctionStatus,
)
from tests.unit.judge.test_scope import declared


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
        "unmanaged functions in 1/1/api may be incomplete: its list contradicted itself",
    )


def test_unmanaged_functions_obey_the_filters() -> None:
    state = DesiredState("d.yaml", (declared("api/a"),))

    found = find_unmanaged(
        state, {(1, 1, "api"): listing("a", "tmp-1", "keep")}, Scope(exclude=("*/tmp-*",))
    )

    assert [f.identity.name for f in found.functions] == ["keep"]
