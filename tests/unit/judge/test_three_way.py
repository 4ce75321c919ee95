"""The gate's table, cell by cell, for every kind of value, and for whole functions.

Each value kind writes three distinct values (``a``, ``b``, ``c``) its own way, and each cell of
the issue's table puts them in base, live and new. The code kind writes the base and the new
value with a trailing newline and the live one without: every cell where two states are equal
is equal only through check's newline rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from faasdrift.judge.three_way import CLASS_BY_EQUALITY, GONE, TAKE_OVER, TAKEN_IN, classify
from faasdrift.model import (
    ABSENT,
    DesiredFunction,
    FunctionId,
    GateClass,
    IgnoreRule,
    LiveResult,
    LiveStatus,
    Position,
)

IDENTITY = FunctionId(1, 1, "prod-api", "hello")
HERE = Position(3, 5)
SYMBOLS = ("a", "b", "c")

# The cells of the table: (base, live, new) -> class.
CELLS = {
    ("a", "a", "a"): GateClass.UNCHANGED,
    ("a", "a", "b"): GateClass.DEPLOY,
    ("a", "b", "b"): GateClass.ADOPTED,
    ("a", "b", "a"): GateClass.OVERWRITE,
    ("a", "b", "c"): GateClass.CONFLICT,
}


def desired(**fields: Any) -> DesiredFunction:
    positions = {name: Position(4 + index, 14) for index, name in enumerate(fields)}
    return DesiredFunction(IDENTITY, fields, HERE, positions, source="new.yaml")


def found(**data: Any) -> LiveResult:
    return LiveResult(IDENTITY, LiveStatus.FOUND, data={"name": "hello", **data})


# kind -> (the path its value stands at, how base and new write a symbol, how live writes it)
Writer = Callable[[str], dict[str, Any]]


def scalar(symbol: str) -> dict[str, Any]:
    return {"timeout": {"a": 5, "b": 10, "c": 7}[symbol]}


def env_var(symbol: str) -> dict[str, Any]:
    return {"envs": {"LOG_LEVEL": f"level-{symbol}", "KEEP": "1"}}


def autoscaling_key(symbol: str) -> dict[str, Any]:
    return {"autoscaling": {"min_instances": 1, "max_instances": SYMBOLS.index(symbol) + 2}}


def code(symbol: str) -> dict[str, Any]:
    return {"code_text": f"def main():\n    return {symbol!r}\n"}


def live_code(symbol: str) -> dict[str, Any]:  # the API keeps what was deployed, newline or not
    return {"code_text": f"def main():\n    return {symbol!r}"}


def secret_env(symbol: str) -> dict[str, Any]:
    return {"envs": {"DB_PASSWORD": f"pw-{symbol}-secret"}}


KINDS: dict[str, tuple[str, Writer, Writer]] = {
    "scalar": ("timeout", scalar, scalar),
    "env var": ("envs.LOG_LEVEL", env_var, env_var),
    "autoscaling key": ("autoscaling.max_instances", autoscaling_key, autoscaling_key),
    "code_text": ("code_text", code, live_code),
    "sensitive env": ("envs.DB_PASSWORD", secret_env, secret_env),
}


def states(
    kind: str, cell: tuple[str, str, str]
) -> tuple[DesiredFunction, LiveResult, DesiredFunction]:
    _, write, write_live = KINDS[kind]
    base, live, new = cell
    return desired(**write(base)), found(**write_live(live)), desired(**write(new))


def at(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node[part]
    return node.rstrip("\n") if isinstance(node, str) else node  # one value, however written


def leaf(value: Any) -> Any:
    """A change's value at ``path`` as ``at`` gives it (a change holds the value itself)."""
    return value.rstrip("\n") if isinstance(value, str) else value


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("cell", sorted(CELLS), ids=lambda cell: CELLS[cell].value)
def test_every_cell_for_every_kind_of_value(kind: str, cell: tuple[str, str, str]) -> None:
    base, live, new = states(kind, cell)
    verdict = classify(base, new, live)
    expected = CELLS[cell]
    assert verdict.gate_class is expected
    if expected is GateClass.UNCHANGED:
        assert verdict.changes == ()
        return
    (change,) = verdict.changes
    path, write, _ = KINDS[kind]
    assert (change.path, change.gate_class) == (path, expected)
    assert change.position == new.position_of(path)  # in the new files
    assert change.sensitive is (kind == "sensitive env")
    shown = [leaf(value) for value in (change.base, change.live, change.desired)]
    assert shown == [at(write(symbol), path) for symbol in cell]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_three_states_of_a_conflict_are_kept(kind: str) -> None:
    base, live, new = states(kind, ("a", "b", "c"))
    (change,) = classify(base, new, live).changes
    assert len({repr(change.base), repr(change.live), repr(change.desired)}) == 3
    assert ABSENT not in (change.base, change.live, change.desired)


def test_the_newline_rule_is_checks_and_strict_turns_it_off() -> None:
    base, live, new = states("code_text", ("a", "a", "a"))
    assert classify(base, new, live).gate_class is GateClass.UNCHANGED
    # Byte for byte, live differs from both by its missing newline: changed by hand, reverted.
    assert classify(base, new, live, strict=True).gate_class is GateClass.OVERWRITE
    # One newline is the rule; two are a difference.
    two = desired(code_text="def main():\n    return 'a'\n\n")
    assert classify(base, two, live).gate_class is GateClass.DEPLOY


def test_numbers_compare_by_value_and_null_means_false() -> None:
    verdict = classify(desired(timeout=5), desired(timeout=5.0), found(timeout=5))
    assert verdict.gate_class is GateClass.UNCHANGED
    off = classify(desired(disabled=False), desired(disabled=False), found(disabled=None))
    assert off.gate_class is GateClass.UNCHANGED
    keyless = classify(
        desired(enable_api_key=False), desired(enable_api_key=False), found(enable_api_key=None)
    )
    assert keyless.gate_class is GateClass.UNCHANGED


def test_a_function_switched_off_by_hand_would_be_switched_on() -> None:
    verdict = classify(desired(disabled=False), desired(disabled=False), found(disabled=True))
    (change,) = verdict.changes
    assert (change.path, change.gate_class) == ("disabled", GateClass.OVERWRITE)
    assert (change.base, change.live, change.desired) == (False, True, False)


ENV_PRESENCE = {  # (base, live, new): is LOG_LEVEL set (to "x")? Absent is a state too.
    (True, False, True): GateClass.OVERWRITE,  # deleted by hand, the deploy sets it again
    (False, True, False): GateClass.OVERWRITE,  # added by hand, the deploy removes it
    (True, False, False): GateClass.ADOPTED,  # deleted by hand, as the new files do
    (False, False, True): GateClass.DEPLOY,
    (False, True, True): GateClass.ADOPTED,
    (True, True, False): GateClass.DEPLOY,
}


@pytest.mark.parametrize("presence", sorted(ENV_PRESENCE), ids=str)
def test_an_env_var_that_is_not_set_is_a_state_of_its_own(
    presence: tuple[bool, bool, bool],
) -> None:
    def envs(present: bool) -> dict[str, str]:
        return {"KEEP": "1", **({"LOG_LEVEL": "x"} if present else {})}

    base, live, new = presence
    verdict = classify(desired(envs=envs(base)), desired(envs=envs(new)), found(envs=envs(live)))
    (change,) = verdict.changes
    assert (change.path, change.gate_class) == ("envs.LOG_LEVEL", ENV_PRESENCE[presence])
    sides = (change.base, change.live, change.desired)
    assert [side is not ABSENT for side in sides] == list(presence)


KEY_CELLS = {  # (base, live, new): does the function accept the key "ci"?
    (True, True, True): GateClass.UNCHANGED,
    (True, True, False): GateClass.DEPLOY,
    (True, False, False): GateClass.ADOPTED,
    (True, False, True): GateClass.OVERWRITE,
    (False, True, False): GateClass.OVERWRITE,
}


@pytest.mark.parametrize("cell", sorted(KEY_CELLS), ids=str)
def test_each_key_is_a_value_of_its_own(cell: tuple[bool, bool, bool]) -> None:
    def keys(present: bool) -> list[str]:
        return ["deploy", "ci"] if present else ["deploy"]

    base, live, new = cell
    verdict = classify(desired(keys=keys(base)), desired(keys=keys(new)), found(keys=keys(live)))
    assert verdict.gate_class is KEY_CELLS[cell]
    assert [change.path for change in verdict.changes] in ([], ["keys.ci"])


def test_an_env_var_only_live_is_an_overwrite_and_keeps_its_name() -> None:
    verdict = classify(
        desired(envs={"A": "1"}), desired(envs={"A": "1"}), found(envs={"A": "1", "HOTFIX": "on"})
    )
    (change,) = verdict.changes
    assert (change.path, change.gate_class) == ("envs.HOTFIX", GateClass.OVERWRITE)
    assert (change.base, change.live, change.desired) == (ABSENT, "on", ABSENT)


def test_a_field_only_the_new_files_declare_is_newly_managed() -> None:
    same = classify(
        desired(timeout=5), desired(timeout=5, flavor="x"), found(timeout=5, flavor="x")
    )
    assert same.gate_class is GateClass.UNCHANGED
    verdict = classify(
        desired(timeout=5), desired(timeout=5, flavor="y"), found(timeout=5, flavor="x")
    )
    (change,) = verdict.changes
    assert (change.gate_class, change.base, change.live, change.desired) == (
        GateClass.DEPLOY,
        ABSENT,
        "x",
        "y",
    )


def test_a_field_only_the_base_declares_is_released_whatever_live_holds() -> None:
    for live in (5, 10):
        verdict = classify(
            desired(timeout=5, flavor="x"), desired(flavor="x"), found(timeout=live, flavor="x")
        )
        (change,) = verdict.changes
        assert (change.path, change.gate_class) == ("timeout", GateClass.RELEASED)
        assert (change.base, change.live, change.desired) == (5, live, ABSENT)
        assert change.position == HERE  # the new files no longer have it: their entry
        assert verdict.gate_class is GateClass.RELEASED


def test_a_released_secret_stays_hidden() -> None:
    verdict = classify(desired(envs={"API_TOKEN": "t-1"}), desired(timeout=5), found(timeout=5))
    (change,) = verdict.changes
    assert change.gate_class is GateClass.RELEASED
    assert change.sensitive


def test_what_either_state_hides_is_hidden_in_all_three() -> None:
    base = DesiredFunction(IDENTITY, {"envs": {"SEED": "s-1"}}, HERE, sensitive=frozenset({"SEED"}))
    (listed,) = classify(base, desired(envs={"SEED": "s-1"}), found(envs={"SEED": "s-2"})).changes
    assert listed.gate_class is GateClass.OVERWRITE
    assert listed.sensitive
    from_environ = DesiredFunction(
        IDENTITY, {"description": "d-2"}, HERE, sensitive_paths=frozenset({"description"})
    )
    (change,) = classify(desired(description="d-1"), from_environ, found(description="d-1")).changes
    assert change.gate_class is GateClass.DEPLOY
    assert change.sensitive


def test_overwrites_and_conflicts_come_first_then_checks_field_order() -> None:
    verdict = classify(
        desired(timeout=5, flavor="x", envs={"A": "1"}, disabled=False),
        desired(timeout=5, flavor="y", envs={"A": "1"}, disabled=False),
        found(timeout=9, flavor="x", envs={"A": "2"}, disabled=True),
    )
    assert [(change.path, change.gate_class.value) for change in verdict.changes] == [
        ("disabled", "overwrite"),
        ("envs.A", "overwrite"),
        ("timeout", "overwrite"),
        ("flavor", "deploy"),
    ]
    assert verdict.gate_class is GateClass.OVERWRITE


MISSING = LiveResult(IDENTITY, LiveStatus.MISSING)
GONE_NAMESPACE = LiveResult(
    IDENTITY,
    LiveStatus.MISSING,
    reason="namespace 'prod-api' does not exist in project 1, region 1",
)
BROKEN = LiveResult(IDENTITY, LiveStatus.ERROR, reason="HTTP 502 after 3 retries")
BASE, NEW = desired(timeout=5), desired(timeout=5)


@pytest.mark.parametrize(
    ("base", "new", "live", "expected", "reason"),
    [
        (None, NEW, MISSING, GateClass.CREATE, None),
        (BASE, NEW, MISSING, GateClass.OVERWRITE, "deleted by hand: the deploy would recreate it"),
        (BASE, None, found(timeout=5), GateClass.DELETE, None),
        (BASE, None, MISSING, GateClass.ADOPTED, GONE),
        (None, NEW, found(timeout=5), GateClass.ADOPTED, TAKEN_IN),
        (None, NEW, found(timeout=9), GateClass.CONFLICT, TAKE_OVER),
        (BASE, NEW, BROKEN, GateClass.NOT_CHECKED, "HTTP 502 after 3 retries"),
        (BASE, NEW, None, GateClass.NOT_CHECKED, "live state was not fetched"),
        (None, NEW, BROKEN, GateClass.NOT_CHECKED, "HTTP 502 after 3 retries"),
        (BASE, None, BROKEN, GateClass.NOT_CHECKED, "HTTP 502 after 3 retries"),
    ],
    ids=[
        "new only, not live: create",
        "both, not live: deleted by hand",
        "base only, live: delete",
        "base only, not live: nothing to do",
        "new only, live as declared: taken in",
        "new only, live otherwise: taken over",
        "unreadable",
        "not fetched",
        "new only, unreadable",
        "base only, unreadable",
    ],
)
def test_whole_functions(
    base: DesiredFunction | None,
    new: DesiredFunction | None,
    live: LiveResult | None,
    expected: GateClass,
    reason: str | None,
) -> None:
    verdict = classify(base, new, live)
    assert verdict.gate_class is expected
    assert verdict.reason == reason
    assert (verdict.in_base, verdict.in_new) == (base is not None, new is not None)


def test_a_function_deleted_with_its_namespace_says_so() -> None:
    verdict = classify(BASE, NEW, GONE_NAMESPACE)
    assert verdict.gate_class is GateClass.OVERWRITE
    assert verdict.reason == (
        "namespace 'prod-api' does not exist in project 1, region 1: deleted by hand: "
        "the deploy would recreate it"
    )


def test_a_delete_lists_the_hand_changes_it_discards() -> None:
    base = DesiredFunction(IDENTITY, {"timeout": 5}, Position(9, 5), {"timeout": Position(10, 14)})
    verdict = classify(base, None, found(timeout=10))
    (change,) = verdict.changes
    assert (change.gate_class, change.base, change.live, change.desired) == (
        GateClass.DELETE,
        5,
        10,
        ABSENT,
    )
    assert change.position == Position(10, 14)  # in the base: the new files do not have it


def test_a_take_over_follows_the_table_with_nothing_as_its_base() -> None:
    verdict = classify(
        None,
        desired(envs={"A": "1", "B": "2"}, timeout=5),
        found(envs={"A": "9", "HAND": "x"}, timeout=5),
    )
    assert {change.path: change.gate_class for change in verdict.changes} == {
        "envs.A": GateClass.CONFLICT,  # made by hand, the deploy writes another value
        "envs.HAND": GateClass.OVERWRITE,  # made by hand, the deploy removes it
        "envs.B": GateClass.DEPLOY,  # nothing there: only the new files set it
    }
    assert all(change.base is ABSENT for change in verdict.changes)
    assert verdict.gate_class is GateClass.CONFLICT


RULE = IgnoreRule("timeout", "raised during the incident", "new.yaml", Position(2, 5))


def with_rules(function: DesiredFunction, *rules: IgnoreRule) -> DesiredFunction:
    return DesiredFunction(
        function.identity, function.fields, function.position, function.positions, ignore=rules
    )


def test_an_ignore_rule_of_the_new_files_accepts_an_overwrite_with_its_reason() -> None:
    new = with_rules(desired(timeout=5, flavor="y"), RULE)
    verdict = classify(desired(timeout=5, flavor="x"), new, found(timeout=30, flavor="x"))
    assert [change.path for change in verdict.changes] == ["flavor"]
    (ignored,) = verdict.ignored
    assert (ignored.change.path, ignored.change.gate_class) == ("timeout", GateClass.OVERWRITE)
    assert ignored.rule.reason == "raised during the incident"
    assert verdict.gate_class is GateClass.DEPLOY  # nothing fails any more


def test_an_ignore_rule_never_hides_a_planned_change_nor_applies_from_the_base() -> None:
    planned = classify(desired(timeout=5), with_rules(desired(timeout=6), RULE), found(timeout=5))
    assert planned.gate_class is GateClass.DEPLOY
    assert planned.ignored == ()
    from_base = classify(with_rules(desired(timeout=5), RULE), desired(timeout=5), found(timeout=9))
    assert from_base.gate_class is GateClass.OVERWRITE
    assert from_base.ignored == ()


def test_an_expired_rule_accepts_nothing() -> None:
    expired = IgnoreRule(
        "timeout", "until the fix", "new.yaml", Position(2, 5), until=date(2026, 1, 1)
    )
    new = with_rules(desired(timeout=5), expired)
    before = classify(desired(timeout=5), new, found(timeout=9), today=date(2026, 1, 1))
    after = classify(desired(timeout=5), new, found(timeout=9), today=date(2026, 1, 2))
    assert (before.gate_class, len(before.ignored)) == (GateClass.UNCHANGED, 1)
    assert (after.gate_class, len(after.ignored)) == (GateClass.OVERWRITE, 0)


def test_the_table_covers_every_combination_and_never_passes_an_impossible_one() -> None:
    combinations = {(a, b, c) for a in (True, False) for b in (True, False) for c in (True, False)}
    assert set(CLASS_BY_EQUALITY) == combinations
    impossible = [key for key in combinations if sum(key) == 2]  # two equalities imply the third
    assert all(CLASS_BY_EQUALITY[key] is GateClass.CONFLICT for key in impossible)
