"""Whether a live function can be compared on the declared fields."""

from __future__ import annotations

import pytest

from faasdrift.live.fields import check_compared_fields

ITEM = {
    "name": "hello",
    "code_text": "def main(): pass",
    "timeout": 5,
    "envs": {"A": "1"},
    "enable_api_key": False,
}


@pytest.mark.parametrize("field", ["envs", "enable_api_key", "disabled", "keys"])
def test_a_get_may_leave_out_a_nullable_field_a_list_item_may_not(field: str) -> None:
    body = {key: value for key, value in ITEM.items() if key != field}
    assert check_compared_fields(body, [field]) is None
    assert check_compared_fields({**body, field: None}, [field], absent_means_null=False) is None
    assert (
        check_compared_fields(body, [field], absent_means_null=False)
        == f"response has no '{field}' field"
    )


def test_list_items_are_validated_like_gets() -> None:
    body = {**ITEM, "timeout": "5"}
    assert check_compared_fields(body, ["timeout"], absent_means_null=False) == (
        "invalid response: field 'timeout': '5' is not of type 'integer'"
    )


def test_a_non_nullable_field_may_not_be_absent_even_from_a_get() -> None:
    body = {key: value for key, value in ITEM.items() if key != "timeout"}
    assert check_compared_fields(body, ["timeout"]) == "response has no 'timeout' field"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("keys", ["Key_1"], "field 'keys.0': 'Key_1' does not match"),
        ("keys", "billing", "field 'keys': 'billing' is not of type 'array', 'null'"),
        ("disabled", "no", "field 'disabled': 'no' is not of type 'boolean', 'null'"),
    ],
)
def test_disabled_and_keys_are_validated(field: str, value: object, reason: str) -> None:
    problem = check_compared_fields({**ITEM, field: value}, [field])
    assert problem is not None
    assert problem.startswith(f"invalid response: {reason}")
