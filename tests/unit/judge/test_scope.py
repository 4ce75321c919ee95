"""Scope filters: --only and --exclude select declared functions by namespace/name."""

from __future__ import annotations

import pytest

from faasdrift.errors import ExitCode
from faasdrift.judge.scope import Scope, ScopeError, narrow
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
        (("a*/*",), ("api/b",), ["api/a"]),
    ],
)
def test_filters_select_by_namespace_and_name(
    only: tuple[str, ...], exclude: tuple[str, ...], selected: list[str]
) -> None:
    state = DesiredState("d.yaml", tuple(map(declared, ["api/a", "api/b", "media/a"])))

    narrowed = narrow(state, Scope(only, exclude))

    assert [function.identity.label for function in narrowed.functions] == selected


STATE = DesiredState(
    "d.yaml", tuple(map(declared, ["prod-api/hello", "prod-api/orders", "media/a"]))
)


@pytest.mark.parametrize(
    ("only", "message"),
    [
        (("prod-api/helo",), "--only 'prod-api/helo' selects no declared function (did you mean"
         " 'prod-api/hello'?)"),
        (("prod-apii/*",), "--only 'prod-apii/*' selects no declared function (did you mean"
         " 'prod-api/hello'?)"),
        (("zzz",), "--only 'zzz' selects no declared function (declared: prod-api/hello,"
         " prod-api/orders, media/a)"),
        (("API/*",), "--only 'API/*' selects no declared function (declared: prod-api/hello,"
         " prod-api/orders, media/a)"),  # case-sensitive
    ],
)  # fmt: skip
def test_an_only_pattern_that_selects_nothing_is_a_usage_error(
    only: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ScopeError) as raised:
        narrow(STATE, Scope(only=only))
    assert raised.value.exit_code is ExitCode.USAGE
    assert str(raised.value) == message


def test_each_only_pattern_must_select_something() -> None:
    # One good pattern does not excuse a typo in the other: the typo's functions go unchecked.
    with pytest.raises(ScopeError) as raised:
        narrow(STATE, Scope(only=("prod-api/*", "media/b", "mdia/*")))
    assert str(raised.value).splitlines() == [
        "--only 'media/b' selects no declared function (did you mean 'media/a'?)",
        "--only 'mdia/*' selects no declared function (did you mean 'media/a'?)",
    ]


@pytest.mark.parametrize(
    ("only", "exclude", "message"),
    [
        ((), ("*",), "--exclude '*' leaves nothing to check: it excludes every declared function"),
        (
            (),
            ("prod-api/*", "media/*"),
            "--exclude 'prod-api/*' --exclude 'media/*' leaves nothing to check: it excludes every"
            " declared function",
        ),
        (
            ("media/*",),
            ("*/a",),
            "--exclude '*/a' leaves nothing to check: it excludes every function --only selects",
        ),
    ],
)
def test_an_exclude_that_leaves_nothing_is_a_usage_error(
    only: tuple[str, ...], exclude: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ScopeError) as raised:
        narrow(STATE, Scope(only, exclude))
    assert str(raised.value) == message


def test_an_exclude_that_matches_nothing_is_fine() -> None:
    assert len(narrow(STATE, Scope(exclude=("nothing/*",))).functions) == 3


@pytest.mark.parametrize("scope", [Scope(), Scope(exclude=("*",)), Scope(only=("*",))])
def test_a_file_that_declares_nothing_has_nothing_to_check(scope: Scope) -> None:
    # The schema lets a file declare no function (validate passes it), but checking it would
    # pass CI while checking nothing.
    with pytest.raises(
        ScopeError, match=r"^d\.yaml declares no function: there is nothing to check$"
    ):
        narrow(DesiredState("d.yaml", ()), scope)


def test_a_file_that_declares_one_function_has_something_to_check() -> None:
    state = DesiredState("d.yaml", (STATE.functions[0],))
    assert narrow(state, Scope()).functions == state.functions
