"""The drift engine: which differences are drift, of what kind, where, and in which order."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pytest

from faasdrift.compare import compare_all, compare_function
from faasdrift.model import (
    Change,
    ChangeKind,
    DesiredFunction,
    DesiredState,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    LiveResult,
    LiveStatus,
    Position,
)
from faasdrift.secrets import is_sensitive_env

FN = FunctionId(project_id=1, region_id=76, namespace="prod", name="hello")
ENTRY = Position(3, 5)

LIVE: dict[str, Any] = {
    "name": "hello",
    "code_text": "def main():\n    return 1\n",
    "envs": {"LOG_LEVEL": "info", "API_TOKEN": "t0k"},
    "flavor": "80mCPU-128MB",
    "timeout": 5,
    "autoscaling": {"min_instances": 1, "max_instances": 2},
    "dependencies": "numpy==1.21.0",
    "runtime": "python3.7.12",
    "main_method": "main",
    "description": "says hello",
    "enable_api_key": True,
    "status": "Running",
}
COMPARED = {key: value for key, value in LIVE.items() if key not in {"name", "status"}}


def desired(
    fields: Mapping[str, Any],
    positions: Mapping[str, Position] | None = None,
    identity: FunctionId = FN,
) -> DesiredFunction:
    return DesiredFunction(
        identity=identity, fields=fields, position=ENTRY, positions=positions or {}
    )


def found(data: Mapping[str, Any], identity: FunctionId = FN) -> LiveResult:
    return LiveResult(identity=identity, status=LiveStatus.FOUND, data=data)


def changes(fields: Mapping[str, Any], live: Mapping[str, Any], **options: Any) -> list[Change]:
    result = compare_function(desired(fields), found(live), **options)
    expected = FunctionStatus.DRIFTED if result.changes else FunctionStatus.IN_SYNC
    assert result.status is expected
    return list(result.changes)


def summary(
    fields: Mapping[str, Any], live: Mapping[str, Any], **options: Any
) -> list[tuple[Any, ...]]:
    return [(c.path, c.kind, c.desired, c.live) for c in changes(fields, live, **options)]


CHANGED, ADDED, REMOVED = ChangeKind.CHANGED, ChangeKind.ADDED, ChangeKind.REMOVED


# --- status mapping -------------------------------------------------------------------------


def test_every_field_equal_is_in_sync() -> None:
    result = compare_function(desired(COMPARED), found(LIVE))
    assert result == FunctionResult(FN, FunctionStatus.IN_SYNC, ENTRY)


def test_only_declared_fields_are_compared() -> None:
    assert changes({"timeout": 5}, {**LIVE, "flavor": "other", "envs": {"X": "1"}}) == []


def test_missing_function() -> None:
    result = compare_function(desired({"timeout": 5}), LiveResult(FN, LiveStatus.MISSING))
    assert result == FunctionResult(FN, FunctionStatus.MISSING, ENTRY)


def test_error_is_not_checked_with_its_reason() -> None:
    live = LiveResult(FN, LiveStatus.ERROR, reason="HTTP 502 from Gcore: Bad Gateway")
    result = compare_function(desired({"timeout": 5}), live)
    assert result.status is FunctionStatus.NOT_CHECKED
    assert result.reason == "HTTP 502 from Gcore: Bad Gateway"
    assert result.changes == ()


# --- whole-value fields ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code_text", "def main():\n    return 2\n"),
        ("flavor", "64mCPU-64MB"),
        ("timeout", 10),
        ("dependencies", "numpy==2.0"),
        ("runtime", "go1.16.6"),
        ("main_method", "run"),
        ("description", ""),
        ("enable_api_key", False),
        ("enable_api_key", None),
    ],
)
def test_whole_value_field_gives_one_change(field: str, value: Any) -> None:
    assert summary({field: value}, LIVE) == [(field, CHANGED, value, LIVE[field])]


@pytest.mark.parametrize(
    ("field", "desired_value", "live_value"),
    [("timeout", 5, "5"), ("enable_api_key", True, 1), ("enable_api_key", False, 0)],
)
def test_type_difference_is_a_change(field: str, desired_value: Any, live_value: Any) -> None:
    live = {**LIVE, field: live_value}
    assert summary({field: desired_value}, live) == [(field, CHANGED, desired_value, live_value)]


def test_int_and_float_of_equal_value_are_equal() -> None:
    live = {**LIVE, "timeout": 5.0, "autoscaling": {"min_instances": 1.0, "max_instances": 2}}
    assert (
        changes({"timeout": 5, "autoscaling": {"min_instances": 1, "max_instances": 2.0}}, live)
        == []
    )
    assert summary({"autoscaling": {"min_instances": 1, "max_instances": 3.0}}, live) == [
        ("autoscaling.max_instances", CHANGED, 3.0, 2)
    ]


@pytest.mark.parametrize(
    ("declared", "live_value"),
    [({"min_instances": 1}, {"min_instances": True}), ({"A": 0}, {"A": False})],
)
def test_a_boolean_never_equals_a_number_inside_a_mapping(declared: Any, live_value: Any) -> None:
    # Python's == says {"a": 1} == {"a": True}; the comparison must not.
    key = next(iter(declared))
    live = {**LIVE, "autoscaling": live_value}
    assert summary({"autoscaling": declared}, live) == [
        (f"autoscaling.{key}", CHANGED, declared[key], live_value[key])
    ]


# --- envs -----------------------------------------------------------------------------------


def test_envs_changed_added_and_removed() -> None:
    envs = {"LOG_LEVEL": "debug", "NEW": "1"}
    assert summary({"envs": envs}, LIVE) == [
        ("envs.API_TOKEN", REMOVED, None, "t0k"),
        ("envs.LOG_LEVEL", CHANGED, "debug", "info"),
        ("envs.NEW", ADDED, "1", None),
    ]


def test_envs_entirely_different_is_reported_key_by_key() -> None:
    # deepdiff would otherwise collapse a mostly-different map into one whole-value change.
    result = summary({"envs": {"A": "1", "B": "2"}}, {**LIVE, "envs": {"C": "3"}})
    assert [(path, kind) for path, kind, *_ in result] == [
        ("envs.A", ADDED),
        ("envs.B", ADDED),
        ("envs.C", REMOVED),
    ]


@pytest.mark.parametrize("live_envs", [None, "absent"])
def test_null_or_absent_envs_equal_an_empty_map(live_envs: Any) -> None:
    live = {key: value for key, value in LIVE.items() if key != "envs"}
    if live_envs is None:
        live["envs"] = None
    assert changes({"envs": {}}, live) == []
    assert summary({"envs": {"A": "x"}}, live) == [("envs.A", ADDED, "x", None)]


def test_declared_null_envs_against_live_envs() -> None:
    assert summary({"envs": None}, {**LIVE, "envs": {"LOG_LEVEL": "info"}}) == [
        ("envs.LOG_LEVEL", REMOVED, None, "info")
    ]


def test_env_value_type_difference() -> None:
    assert summary({"envs": {"N": 5}}, {**LIVE, "envs": {"N": "5"}}) == [
        ("envs.N", CHANGED, 5, "5")
    ]


# --- autoscaling ----------------------------------------------------------------------------


def test_autoscaling_key_changed() -> None:
    scaling = {"min_instances": 1, "max_instances": 4}
    assert summary({"autoscaling": scaling}, LIVE) == [("autoscaling.max_instances", CHANGED, 4, 2)]


def test_autoscaling_key_missing_live_is_added_and_extra_live_is_removed() -> None:
    live = {**LIVE, "autoscaling": {"max_instances": 2}}
    scaling = {"min_instances": 0, "max_instances": 2}
    assert summary({"autoscaling": scaling}, live) == [
        ("autoscaling.min_instances", ADDED, 0, None)
    ]
    assert summary({"autoscaling": {"max_instances": 2}}, LIVE) == [
        ("autoscaling.min_instances", REMOVED, None, 1)
    ]


def test_autoscaling_null_live_is_one_change() -> None:
    live = {**LIVE, "autoscaling": None}
    assert summary({"autoscaling": {"max_instances": 2}}, live) == [
        ("autoscaling", CHANGED, {"max_instances": 2}, None)
    ]


# --- null means "none": enable_api_key, disabled, keys -------------------------------------


@pytest.mark.parametrize("field", ["enable_api_key", "disabled"])
@pytest.mark.parametrize("live_value", [None, "absent", False])
def test_null_or_absent_equals_false(field: str, live_value: Any) -> None:
    live = {key: value for key, value in LIVE.items() if key != field}
    if live_value != "absent":
        live[field] = live_value
    assert changes({field: False}, live) == []
    assert changes({field: None}, live) == []  # a declared null means false as well
    shown = None if live_value == "absent" else live_value
    assert summary({field: True}, live) == [(field, CHANGED, True, shown)]


@pytest.mark.parametrize("field", ["enable_api_key", "disabled"])
def test_true_live_is_drift_from_false_or_null(field: str) -> None:
    live = {**LIVE, field: True}
    assert summary({field: False}, live) == [(field, CHANGED, False, True)]
    assert summary({field: None}, live) == [(field, CHANGED, None, True)]
    assert changes({field: True}, live) == []


def test_a_function_switched_off_by_hand_is_the_first_change() -> None:
    live = {**LIVE, "disabled": True, "timeout": 9}
    assert summary({"timeout": 5, "disabled": False}, live) == [
        ("disabled", CHANGED, False, True),
        ("timeout", CHANGED, 5, 9),
    ]


@pytest.mark.parametrize("live_keys", [None, "absent", []])
def test_null_or_absent_keys_equal_none(live_keys: Any) -> None:
    live = {**LIVE} if live_keys == "absent" else {**LIVE, "keys": live_keys}
    assert changes({"keys": []}, live) == []
    assert changes({"keys": None}, live) == []
    assert summary({"keys": ["billing"]}, live) == [("keys.billing", ADDED, "billing", None)]


def test_keys_compare_as_a_set() -> None:
    live = {**LIVE, "keys": ["beta", "alpha", "alpha"]}
    assert changes({"keys": ["alpha", "beta"]}, live) == []
    assert changes({"keys": ["beta", "alpha"]}, {**LIVE, "keys": ["alpha", "beta"]}) == []
    assert summary({"keys": ["alpha", "gamma"]}, live) == [  # by path, as every change
        ("keys.beta", REMOVED, None, "beta"),
        ("keys.gamma", ADDED, "gamma", None),
    ]
    assert summary({"keys": []}, live) == [
        ("keys.alpha", REMOVED, None, "alpha"),
        ("keys.beta", REMOVED, None, "beta"),
    ]


def test_a_key_change_is_located_at_its_member() -> None:
    positions = {"keys": Position(7, 11), "keys.gamma": Position(8, 9)}
    result = compare_function(
        desired({"keys": ["gamma"]}, positions), found({**LIVE, "keys": ["beta"]})
    )
    assert [(c.path, c.position) for c in result.changes] == [
        ("keys.beta", Position(7, 11)),  # live only: at the declared list
        ("keys.gamma", Position(8, 9)),
    ]


def test_keys_from_the_environment_change_as_a_whole_and_sensitive() -> None:
    # A member's change names it in its path: a key name from ${VAR} must never be shown so.
    function = DesiredFunction(
        identity=FN,
        fields={"keys": ["secret-key"]},
        position=ENTRY,
        sensitive_paths=frozenset({"keys.0"}),
    )
    result = compare_function(function, found({**LIVE, "keys": ["other"]}))
    assert [(c.path, c.kind, c.sensitive) for c in result.changes] == [("keys", CHANGED, True)]
    assert compare_function(function, found({**LIVE, "keys": ["secret-key"]})).changes == ()


# --- trailing newline -----------------------------------------------------------------------


@pytest.mark.parametrize("field", ["code_text", "dependencies"])
@pytest.mark.parametrize(
    ("desired_text", "live_text", "drift", "strict_drift"),
    [
        ("a\n", "a", False, True),
        ("a", "a\n", False, True),
        ("a\n", "a\n", False, False),
        ("a\n\n", "a", True, True),
        ("a", "a\n\n", True, True),
        ("a\n\n", "a\n", True, True),  # one newline off each side leaves "a\n" vs "a"
        ("a\r\n", "a", True, True),
    ],
)
def test_one_trailing_newline_is_not_drift_unless_strict(
    field: str, desired_text: str, live_text: str, drift: bool, strict_drift: bool
) -> None:
    live = {**LIVE, field: live_text}
    expected = [(field, CHANGED, desired_text, live_text)]
    assert summary({field: desired_text}, live) == (expected if drift else [])
    assert summary({field: desired_text}, live, strict=True) == (expected if strict_drift else [])


def test_newline_rule_is_only_for_code_and_dependencies() -> None:
    live = {**LIVE, "description": "hi"}
    assert summary({"description": "hi\n"}, live) == [("description", CHANGED, "hi\n", "hi")]


# --- positions, sensitivity, order ----------------------------------------------------------


def test_changes_carry_the_closest_declared_position() -> None:
    positions = {
        "envs": Position(7, 3),
        "envs.LOG_LEVEL": Position(8, 16),
        "timeout": Position(6, 12),
    }
    fields = {"timeout": 9, "envs": {"LOG_LEVEL": "debug", "NEW": "1"}}
    result = compare_function(desired(fields, positions), found(LIVE))
    assert [(c.path, c.position) for c in result.changes] == [
        ("envs.API_TOKEN", Position(7, 3)),
        ("envs.LOG_LEVEL", Position(8, 16)),
        ("envs.NEW", Position(7, 3)),
        ("timeout", Position(6, 12)),
    ]
    assert result.position == ENTRY


def test_undeclared_path_falls_back_to_the_entry_position() -> None:
    (change,) = changes({"flavor": "x"}, LIVE)
    assert change.position == ENTRY


def test_sensitive_env_changes_are_flagged() -> None:
    fields = {"envs": {"API_TOKEN": "new", "LOG_LEVEL": "debug", "DB_URL": "x"}, "description": "d"}
    flagged = {c.path: c.sensitive for c in changes(fields, LIVE)}
    assert flagged == {
        "envs.API_TOKEN": True,
        "envs.DB_URL": False,
        "envs.LOG_LEVEL": False,
        "description": False,
    }


def test_sensitive_values_are_still_compared() -> None:
    (change,) = changes({"envs": {"LOG_LEVEL": "info", "API_TOKEN": "rotated"}}, LIVE)
    assert (change.path, change.desired, change.live, change.sensitive) == (
        "envs.API_TOKEN",
        "rotated",
        "t0k",
        True,
    )


def test_extra_sensitive_names() -> None:
    fields = {"envs": {"LOG_LEVEL": "debug", "API_TOKEN": "t0k"}}
    (change,) = changes(fields, LIVE, sensitive_names=["LOG_LEVEL"])
    assert change.sensitive
    assert is_sensitive_env("LOG_LEVEL", ["LOG_LEVEL"])


@pytest.mark.parametrize(
    ("name", "sensitive"),
    [
        ("DB_PASSWORD", True),
        ("github_token", True),
        ("APIKEY", True),
        ("Api_Key", True),
        ("OAUTH_CLIENT", True),
        ("PRIVATE_PEM", True),
        ("LOG_LEVEL", False),
        ("PATH", False),
    ],
)
def test_sensitive_env_pattern(name: str, sensitive: bool) -> None:
    assert is_sensitive_env(name) is sensitive


def test_changes_follow_compared_field_order_then_path() -> None:
    fields = {
        "description": "new",
        "timeout": 9,
        "envs": {"Z": "1", "A": "2"},
        "code_text": "x",
        "autoscaling": {"max_instances": 3, "min_instances": 0},
    }
    paths = [c.path for c in changes(fields, LIVE)]
    assert paths == [
        "code_text",
        "envs.A",
        "envs.API_TOKEN",
        "envs.LOG_LEVEL",
        "envs.Z",
        "timeout",
        "autoscaling.max_instances",
        "autoscaling.min_instances",
        "description",
    ]


def test_read_only_mappings_compare_as_plain_dicts() -> None:
    # A loader may hand over read-only mappings; deepdiff must not see a container type change.
    envs = MappingProxyType({"LOG_LEVEL": "info", "API_TOKEN": "t0k"})
    assert changes(MappingProxyType({"envs": envs}), LIVE) == []
    assert summary({"envs": MappingProxyType({"LOG_LEVEL": "x"})}, LIVE) == [
        ("envs.API_TOKEN", REMOVED, None, "t0k"),
        ("envs.LOG_LEVEL", CHANGED, "x", "info"),
    ]


# --- compare_all ----------------------------------------------------------------------------


def test_compare_all_keeps_desired_file_order() -> None:
    ids = [
        FunctionId(1, 76, "prod", name) for name in ("zeta", "alpha", "mid", "gone", "unfetched")
    ]
    state = DesiredState(
        source="desired.yaml", functions=tuple(desired({"timeout": 5}, identity=i) for i in ids)
    )
    live = {
        ids[1]: found({**LIVE, "timeout": 9}, ids[1]),
        ids[0]: found(LIVE, ids[0]),
        ids[2]: LiveResult(ids[2], LiveStatus.ERROR, reason="timed out after 30 s (read)"),
        ids[3]: LiveResult(ids[3], LiveStatus.MISSING),
    }
    result = compare_all(state, live)
    assert result.source == "desired.yaml"
    assert [(r.identity.name, r.status) for r in result.functions] == [
        ("zeta", FunctionStatus.IN_SYNC),
        ("alpha", FunctionStatus.DRIFTED),
        ("mid", FunctionStatus.NOT_CHECKED),
        ("gone", FunctionStatus.MISSING),
        ("unfetched", FunctionStatus.NOT_CHECKED),
    ]
    assert result.functions[4].reason == "live state was not fetched"


def test_compare_all_passes_strict() -> None:
    state = DesiredState(source="d.yaml", functions=(desired({"code_text": "a\n"}),))
    live = {FN: found({**LIVE, "code_text": "a"})}
    assert compare_all(state, live).functions[0].status is FunctionStatus.IN_SYNC
    assert compare_all(state, live, strict=True).functions[0].status is FunctionStatus.DRIFTED
