"""The JSON report: valid against the shipped schema in every case, and saying what it should."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError

from faasdrift.report.formats import ReportOptions, build_reporter
from faasdrift.schemas import load_schema
from tests.unit.report.cases import CASES
from tests.unit.report.schemas import valid_json_report


def render(case: str) -> str:
    return build_reporter("json", ReportOptions()).render(CASES[case])


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_case_is_valid_against_the_shipped_schema(case: str) -> None:
    document = valid_json_report(render(case))
    assert document["format_version"] == "1"
    assert document["exit_code"] == CASES[case].exit_code
    assert len(document["functions"]) == document["totals"]["functions"]


def test_each_change_has_path_kind_values_and_position() -> None:
    document = valid_json_report(render("every_kind"))
    hello = document["functions"][0]
    assert (hello["name"], hello["status"], hello["line"], hello["column"]) == (
        "hello",
        "drifted",
        10,
        5,
    )
    by_path = {change["path"]: change for change in hello["changes"]}
    # The finding's identity: a SHA-256 of its kind, function, path and live value.
    assert re.fullmatch(r"[0-9a-f]{64}", by_path["timeout"].pop("fingerprint"))
    assert by_path["timeout"] == {
        "path": "timeout",
        "kind": "changed",
        "desired": 5,
        "live": 10,
        "sensitive": False,
        "line": 19,
        "column": 14,
    }
    assert "live" not in by_path["envs.FEATURE_X"]  # added: declared, not live
    assert "desired" not in by_path["envs.OLD_FLAG"]  # removed: live, not declared
    assert by_path["enable_api_key"]["live"] is None  # a real null stays a value


def test_sensitive_changes_carry_no_values() -> None:
    changes = valid_json_report(render("sensitive"))["functions"][0]["changes"]
    secret = [change for change in changes if change["sensitive"]]
    assert len(secret) == 4
    assert all("desired" not in change and "live" not in change for change in secret)


def test_not_checked_has_its_reason_and_totals_add_up() -> None:
    document = valid_json_report(render("not_checked"))
    assert document["functions"][0]["reason"].startswith("HTTP 502 from Gcore")
    assert document["functions"][1]["reason"] is None
    assert document["totals"] == {
        "functions": 2,
        "in_sync": 0,
        "drifted": 1,
        "missing": 0,
        "not_checked": 1,
        "unmanaged": 0,
        "ignored": 0,
    }
    assert document["generated_at"] == "2026-01-02T03:04:05Z"


def test_the_schema_refuses_a_sensitive_change_with_a_value() -> None:
    validator = Draft202012Validator(load_schema("report.schema.json"))
    document = valid_json_report(render("sensitive"))
    document["functions"][0]["changes"][0]["live"] = "leaked"
    with pytest.raises(ValidationError):
        validator.validate(document)


def _named(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The properties ``node`` names, through ``$ref``, ``allOf`` and ``anyOf``."""
    named: dict[str, Any] = {}
    if "$ref" in node:
        named.update(_named(schema["$defs"][node["$ref"].rsplit("/", 1)[-1]], schema))
    for part in [*node.get("allOf", []), *node.get("anyOf", [])]:
        named.update(_named(part, schema))
    return {**named, **node.get("properties", {})}


def _items(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any] | None:
    while "items" not in node and "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node.get("items")


def _undescribed(node: dict[str, Any], data: Any, where: str, schema: dict[str, Any]) -> list[str]:
    """Every key of ``data`` that ``node`` (and what it refers to or combines) does not name."""
    found: list[str] = []
    if isinstance(data, dict):
        named = _named(node, schema)
        for key, value in data.items():
            if key not in named:
                found.append(f"{where}.{key}")
            else:
                found += _undescribed(named[key], value, f"{where}.{key}", schema)
    elif isinstance(data, list) and (items := _items(node, schema)) is not None:
        for index, item in enumerate(data):
            found += _undescribed(items, item, f"{where}[{index}]", schema)
    return found


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_schema_describes_every_field_a_report_holds(case: str) -> None:
    schema = load_schema("report.schema.json")
    document = json.loads(render(case))
    assert _undescribed(schema, document, "$", schema) == []


def test_the_schema_describes_a_cut_value() -> None:
    schema = load_schema("report.schema.json")
    change = schema["$defs"]["change"]
    assert change["properties"]["cut"]["const"] is True
