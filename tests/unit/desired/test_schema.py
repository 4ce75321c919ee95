"""desired.schema.json and the wording of its violations: every constraint, both sides of bounds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError
from faasdrift.model import COMPARED_FIELDS, READ_ONLY_FIELDS
from faasdrift.schemas import DESIRED_SCHEMA, FUNCTION_SCHEMA, load_schema, validator_for

DEFAULTS = {"project_id": 1, "region_id": 1, "namespace": "ns"}


def messages(tmp_path: Path, text: str) -> list[str]:
    """The rendered problems of a desired file, or [] when it is valid."""
    file = tmp_path / "d.yaml"
    file.write_text(text, encoding="utf-8")
    try:
        load_desired(file, display_name="d.yaml")
    except DesiredFileError as error:
        return [str(problem) for problem in error.problems]
    return []


def function_messages(tmp_path: Path, **fields: Any) -> list[str]:
    # JSON is YAML too, and json.dumps writes every value unambiguously.
    document = {"defaults": DEFAULTS, "functions": [{"name": "fn", **fields}]}
    return messages(tmp_path, json.dumps(document))


# --- the schema file itself ---------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema(DESIRED_SCHEMA)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://faasdrift.invalid/schemas/desired.schema.json"
    validator_for(DESIRED_SCHEMA).check_schema(schema)


def test_refs_into_the_function_schema_resolve() -> None:
    validator = validator_for(DESIRED_SCHEMA)
    good = {"functions": [{"name": "fn", "timeout": 180, "envs": {"A": "b"}}]}
    bad = {"functions": [{"name": "fn", "timeout": 181, "envs": {"1": "b"}}]}
    assert list(validator.iter_errors(good)) == []
    assert {error.validator for error in validator.iter_errors(bad)} == {"maximum", "pattern"}


def test_function_fields_are_refs_not_copies() -> None:
    function_properties = load_schema(FUNCTION_SCHEMA)["properties"]
    entry = load_schema(DESIRED_SCHEMA)["$defs"]["function"]["properties"]
    shared = [name for name in entry if name in function_properties and name != "autoscaling"]
    assert set(COMPARED_FIELDS) - {"code_text", "autoscaling"} <= set(shared)
    for name in shared:
        extra = {key: value for key, value in entry[name].items() if key != "$ref"}
        assert entry[name]["$ref"] == f"function.schema.json#/properties/{name}"
        assert extra == EXTRAS.get(name, {})


def test_autoscaling_takes_each_bound_from_the_vendor_schema() -> None:
    # Spelled out (not one $ref) so that an unknown key is refused with a "did you mean".
    entry = load_schema(DESIRED_SCHEMA)["$defs"]["function"]["properties"]["autoscaling"]
    vendor = "function.schema.json#/$defs/FaasAutoscalingSerializer/properties"
    assert entry["properties"] == {
        "min_instances": {"$ref": f"{vendor}/min_instances"},
        "max_instances": {"$ref": f"{vendor}/max_instances"},
    }
    assert entry["additionalProperties"] is False
    assert entry["required"] == ["min_instances", "max_instances"]


# What the desired file adds to the API's own constraints: each API key name once (they are a set).
EXTRAS: dict[str, dict[str, Any]] = {
    "keys": {
        "description": (
            "Names of the API keys the function accepts; compared as a set, so each name once."
        ),
        "uniqueItems": True,
    },
}


def test_every_compared_field_is_declared() -> None:
    entry = load_schema(DESIRED_SCHEMA)["$defs"]["function"]["properties"]
    assert set(COMPARED_FIELDS) | {
        "code_file",
        "sensitive",
        "ignore",
        "project_id",
        "region_id",
        "namespace",
        "name",
    } == set(entry)


def test_additional_properties_is_false_everywhere() -> None:
    schema = load_schema(DESIRED_SCHEMA)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["defaults"]["additionalProperties"] is False
    assert schema["$defs"]["function"]["additionalProperties"] is False
    autoscaling = schema["$defs"]["function"]["properties"]["autoscaling"]
    assert autoscaling["additionalProperties"] is False


# --- bounds, both sides -------------------------------------------------------------------------

BOUNDS: list[tuple[str, Any, str | None]] = [
    ("timeout", -1, "-1 is less than the minimum of 0"),
    ("timeout", 0, None),
    ("timeout", 180, None),
    ("timeout", 181, "181 is greater than the maximum of 180"),
    ("code_text", "", "must not be empty"),
    ("code_text", "x", None),
    ("code_text", "x" * 100000, None),
    ("code_text", "x" * 100001, "is too long: 100001 characters (the maximum is 100000)"),
    ("description", "", None),
    ("description", "d" * 255, None),
    ("description", "d" * 256, "is too long: 256 characters (the maximum is 255)"),
    ("main_method", "", "must not be empty"),
    ("main_method", "m", None),
    ("main_method", "m" * 100, None),
    ("main_method", "m" * 101, "is too long: 101 characters (the maximum is 100)"),
    ("dependencies", "", None),
    ("dependencies", "d" * 100000, None),
    ("dependencies", "d" * 100001, "is too long: 100001 characters (the maximum is 100000)"),
    ("flavor", "", None),  # an opaque string to the API; compared exactly like any other
    ("flavor", "80mCPU-128MB", None),
    ("runtime", "", None),
    ("runtime", "python3.7.12", None),
    ("disabled", None, None),
    ("disabled", True, None),
    ("disabled", False, None),
    ("disabled", "no", "'no' is a string, not a boolean (true or false) or null"),
    ("keys", None, None),
    ("keys", [], None),
    ("keys", ["billing-key", "ab"], None),
    ("keys", "billing-key", "'billing-key' is a string, not a list or null"),
    ("enable_api_key", None, None),
    ("enable_api_key", True, None),
    ("enable_api_key", False, None),
    ("enable_api_key", "yes", "'yes' is a string, not a boolean (true or false) or null"),
    ("envs", None, None),
    ("envs", {}, None),
    ("envs", ["A"], "expected a mapping or null, got a list"),
    ("timeout", "5", "'5' is a string, not an integer"),
    ("timeout", 5.0, "5.0 is a decimal number, not an integer"),
    ("timeout", True, "true is a YAML boolean, not an integer"),
]


@pytest.mark.parametrize(("field", "value", "expected"), BOUNDS)
def test_function_field_bounds(
    tmp_path: Path, field: str, value: Any, expected: str | None
) -> None:
    found = function_messages(tmp_path, **{field: value})
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1
        assert found[0].startswith("d.yaml:1:")
        assert f": functions[0].{field}: " in found[0]
        assert expected in found[0]


@pytest.mark.parametrize(
    ("which", "value", "ok"),
    [
        ("min_instances", -1, False),
        ("min_instances", 0, True),
        ("min_instances", 50, True),
        ("min_instances", 51, False),
        ("max_instances", 0, False),  # FaasAutoscalingSerializer: at least one instance
        ("max_instances", 1, True),
        ("max_instances", 50, True),
        ("max_instances", 51, False),
    ],
)
def test_autoscaling_bounds(tmp_path: Path, which: str, value: int, ok: bool) -> None:
    other = "max_instances" if which == "min_instances" else "min_instances"
    autoscaling = {which: value, other: 50 if which == "min_instances" else 0}
    found = function_messages(tmp_path, autoscaling=autoscaling)
    assert (found == []) is ok
    if not ok:
        assert any(f"functions[0].autoscaling.{which}: {value} is " in m for m in found), found


@pytest.mark.parametrize("missing", ["min_instances", "max_instances"])
def test_autoscaling_needs_both_bounds(tmp_path: Path, missing: str) -> None:
    present = "max_instances" if missing == "min_instances" else "min_instances"
    found = function_messages(tmp_path, autoscaling={present: 1})
    assert found == [f"d.yaml:1:112: functions[0].autoscaling: missing required key '{missing}'"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("A", None),
        ("_a1", None),
        ("LOG_LEVEL", None),
        ("E" * 255, None),
        ("E" * 256, "is too long: 256 characters (the maximum is 255)"),
        ("1A", "key '1A' does not match ^[a-zA-Z_][a-zA-Z0-9_]*$"),
        ("A\n", "key 'A\\n' does not match"),  # a final "$" is the end of the text
        ("A-B", "key 'A-B' does not match"),
        ("", "key '' must not be empty"),
    ],
)
def test_env_names(tmp_path: Path, name: str, expected: str | None) -> None:
    found = function_messages(tmp_path, envs={name: "v"})
    if expected is None:
        assert found == []
    else:
        assert any(expected in message for message in found), found
        assert all(len(message) < 200 for message in found)  # long keys are shortened


@pytest.mark.parametrize(("length", "ok"), [(0, True), (255, True), (256, False)])
def test_env_value_length(tmp_path: Path, length: int, ok: bool) -> None:
    found = function_messages(tmp_path, envs={"A": "v" * length})
    assert (found == []) is ok
    if not ok:
        assert "functions[0].envs.A: 'vvv" in found[0]
        assert "is too long: 256 characters (the maximum is 255)" in found[0]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("project_id", 0, "0 is less than the minimum of 1"),
        ("project_id", 1, None),
        ("project_id", "1", "'1' is a string, not an integer"),
        ("region_id", 0, "0 is less than the minimum of 1"),
        ("region_id", 7, None),
        ("namespace", "", "'' is not a name Gcore accepts"),
        ("namespace", "ns", None),
        ("name", "", "'' is not a name Gcore accepts"),
        ("code_file", "", "must not be empty"),
    ],
)
def test_identity_fields(tmp_path: Path, field: str, value: Any, expected: str | None) -> None:
    found = function_messages(tmp_path, **{field: value})
    if expected is None:
        assert found == []
    else:
        assert any(f"functions[0].{field}: {expected}" in message for message in found), found


@pytest.mark.parametrize(
    ("field", "value"), [("project_id", 0), ("region_id", -5), ("namespace", "")]
)
def test_defaults_are_checked(tmp_path: Path, field: str, value: Any) -> None:
    document = {"defaults": {**DEFAULTS, field: value}, "functions": []}
    found = messages(tmp_path, json.dumps(document))
    assert len(found) == 1
    assert f"defaults.{field}: " in found[0]


# --- top level, version, unknown keys -----------------------------------------------------------


def test_functions_is_required(tmp_path: Path) -> None:
    assert messages(tmp_path, "version: 1\n") == ["d.yaml:1:1: missing required key 'functions'"]


def test_functions_may_be_empty(tmp_path: Path) -> None:
    assert messages(tmp_path, "functions: []\n") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("functions: {}\n", "d.yaml:1:12: functions: expected a list, got a mapping"),
        ("functions:\n", "d.yaml:1:11: functions: has no value (YAML null); expected a list"),
        ("functions: [5]\n", "d.yaml:1:13: functions[0]: 5 is a number, not a mapping"),
    ],
)
def test_functions_must_be_a_list_of_mappings(tmp_path: Path, text: str, expected: str) -> None:
    assert messages(tmp_path, text) == [expected]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1", None),
        ("2", "must be 1, not 2"),
        ("'1'", "must be 1, not '1'"),
        ("0", "must be 1, not 0"),
    ],
)
def test_version(tmp_path: Path, version: str, expected: str | None) -> None:
    found = messages(tmp_path, f"version: {version}\nfunctions: []\n")
    assert found == ([] if expected is None else [f"d.yaml:1:10: version: {expected}"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("function: []\n", "d.yaml:1:1: unknown key 'function' (did you mean 'functions'?)"),
        (
            "functions: []\ndefaults: {namespce: x}\n",
            "d.yaml:2:12: defaults: unknown key 'namespce' (did you mean 'namespace'?)",
        ),
        (
            "functions: [{name: fn, timout: 5}]\n",
            "d.yaml:1:24: functions[0]: unknown key 'timout' (did you mean 'timeout'?)",
        ),
        (
            "functions: [{name: fn, autoscaling: {min_instances: 1, max_instances: 1, maxx: 2}}]\n",
            "d.yaml:1:74: functions[0].autoscaling: unknown key 'maxx'"
            " (known keys: max_instances, min_instances)",
        ),
    ],
)
def test_unknown_keys_suggest_the_closest(tmp_path: Path, text: str, expected: str) -> None:
    found = messages(tmp_path, text)
    assert expected in found


def test_unknown_key_without_a_close_match_lists_the_known_ones(tmp_path: Path) -> None:
    found = messages(tmp_path, "functions: []\nzzz: 1\n")
    known = "defaults, functions, ignore, version"
    assert found == [f"d.yaml:2:1: unknown key 'zzz' (known keys: {known})"]


@pytest.mark.parametrize("field", READ_ONLY_FIELDS)
def test_read_only_fields_are_refused(tmp_path: Path, field: str) -> None:
    found = function_messages(tmp_path, **{field: "x"})
    assert len(found) == 1
    assert found[0].endswith(
        f": functions[0].{field}: '{field}' is read-only in the Gcore API and is never compared;"
        " remove it"
    )


# --- values YAML reads as something other than text ---------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("8080", '8080 is a number, not a string; quote it: "8080"'),
        ("yes", 'yes is a YAML boolean, not a string; quote it: "yes"'),
        ("off", 'off is a YAML boolean, not a string; quote it: "off"'),
        ("1.5", '1.5 is a decimal number, not a string; quote it: "1.5"'),
        ("2024-01-01", '2024-01-01 is a YAML date, not a string; quote it: "2024-01-01"'),
        ("null", 'null is YAML null, not a string; quote it: "null"'),
        ("~", '~ is YAML null, not a string; quote it: "~"'),
        ("", 'has no value (YAML null), not a string; write "" for an empty string'),
        ("[a]", "expected a string, got a list"),
    ],
)
def test_unquoted_env_values(tmp_path: Path, written: str, expected: str) -> None:
    head = f"defaults: {json.dumps(DEFAULTS)}\nfunctions:\n  - name: fn\n    envs:\n"
    text = f"{head}      V: {written}\n"
    found = messages(tmp_path, text)
    assert found == [f"d.yaml:5:{10 if written else 9}: functions[0].envs.V: {expected}"]


def test_quoted_env_values_are_fine(tmp_path: Path) -> None:
    text = (
        'functions: [{name: fn, project_id: 1, region_id: 1, namespace: ns, envs: {P: "8080"}}]\n'
    )
    assert messages(tmp_path, text) == []


def test_long_values_are_truncated_in_messages(tmp_path: Path) -> None:
    found = function_messages(tmp_path, description="x" * 100000, timeout="y" * 100000)
    assert len(found) == 2
    assert all(len(message) < 200 for message in found)
    assert all("…" in message for message in found)
