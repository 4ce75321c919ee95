"""SARIF 2.1.0: valid against the OASIS schema, located at the drifted line, stable fingerprints."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from faasdrift.model import CheckRun, Position
from faasdrift.report.formats import ReportOptions, build_reporter
from faasdrift.report.formats.sarif import RULES, artifact_uri
from tests.unit.report.cases import CASES
from tests.unit.report.schemas import valid_sarif


def render(drift: CheckRun) -> dict[str, Any]:
    return valid_sarif(build_reporter("sarif", ReportOptions()).render(drift))


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_case_is_valid_sarif_2_1_0(case: str) -> None:
    log = render(CASES[case])
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_a_result_per_drifted_value_at_its_line() -> None:
    results = render(CASES["every_kind"])["runs"][0]["results"]
    assert len(results) == 11
    timeout = next(item for item in results if "timeout" in item["message"]["text"])
    assert timeout["ruleId"] == "FD001"
    location = timeout["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "deploy/desired.yaml"
    assert location["region"] == {"startLine": 19, "startColumn": 14}
    assert {item["ruleId"] for item in results} == {"FD001", "FD002", "FD003"}


def test_rule_ids_are_the_documented_stable_ones() -> None:
    rules = render(CASES["empty"])["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["FD001", "FD002", "FD003", "FD004", "FD005", "FD006"]
    assert [rule[1] for rule in RULES] == [rule["name"] for rule in rules]


def test_fingerprints_survive_edits_of_the_file_and_differ_per_field() -> None:
    drift = CASES["every_kind"]
    hello = drift.result.functions[0]
    moved_changes = tuple(replace(change, position=Position(99, 1)) for change in hello.changes)
    functions = (replace(hello, changes=moved_changes), *drift.result.functions[1:])
    moved = replace(drift, result=replace(drift.result, functions=functions))

    def prints(log: dict[str, Any]) -> list[str]:
        return [item["partialFingerprints"]["faasdrift/v2"] for item in log["runs"][0]["results"]]

    assert prints(render(drift)) == prints(render(moved))
    assert len(set(prints(render(drift)))) == len(hello.changes)


def test_missing_and_not_checked_are_results_too() -> None:
    missing = render(CASES["missing"])["runs"][0]["results"]
    assert [(item["ruleId"], item["level"]) for item in missing] == [("FD004", "error")] * 2
    assert missing[1]["message"]["text"] == (
        "prod-apii/orders: missing: namespace 'prod-apii' does not exist in project 1, region 1"
    )
    unchecked = render(CASES["not_checked"])["runs"][0]["results"][0]
    assert (unchecked["ruleId"], unchecked["level"]) == ("FD005", "warning")


def test_artifact_uris_are_relative_or_file_uris() -> None:
    assert artifact_uri("deploy/my desired.yaml") == "deploy/my%20desired.yaml"
    assert artifact_uri("/work/desired.yaml") == "file:///work/desired.yaml"
