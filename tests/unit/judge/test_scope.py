"""Scope filters: --only and --exclude select declared functions by namespace/name."""

from __future__ import annotations

import pytest

from faasdrift.judge.scope import Scope, narrow
from faasdrift.model import (
    DesiredFunction,
    DesiredState,
    FunctionId,
    Position,
)


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
