"""The gate's formats: valid against their schemas, no secret in any, no forged CI command."""

from __future__ import annotations

import dataclasses

import pytest
from jsonschema import Draft202012Validator, ValidationError

from faasdrift.model import ABSENT, GateClass
from faasdrift.report.formats import REPORTER_BY_NAME, ReportOptions, render
from faasdrift.report.formats.lines import MAX_FUNCTION_TEXT
from faasdrift.schemas import load_schema
from tests.unit.report.gate_cases import GATE_CASES, SECRETS, function, run, value
from tests.unit.report.schemas import assert_valid_junit, valid_gate_report, valid_sarif


def test_the_gate_schema_is_a_valid_schema() -> None:
    Draft202012Validator.check_schema(load_schema("gate-report.schema.json"))


@pytest.mark.parametrize("case", sorted(GATE_CASES))
def test_every_case_is_valid_in_every_structured_format(case: str) -> None:
    gate_run = GATE_CASES[case]
    document = valid_gate_report(render("json", ReportOptions(), gate_run))
    assert document["kind"] == "gate"
    assert document["exit_code"] == gate_run.exit_code
    valid_sarif(render("sarif", ReportOptions(), gate_run))
    assert_valid_junit(render("junit", ReportOptions(), gate_run))


def test_json_leaves_out_every_side_that_has_no_value_or_is_secret() -> None:
    document = valid_gate_report(render("json", ReportOptions(), GATE_CASES["every_class"]))
    hello = document["functions"][0]
    hotfix = next(change for change in hello["changes"] if change["path"] == "envs.HOTFIX")
    assert hotfix == {
        "path": "envs.HOTFIX",
        "class": "overwrite",
        "live": "on",  # added by hand: neither state declares it
        "sensitive": False,
        "line": 10,
        "column": 14,
    }
    secret = valid_gate_report(render("json", ReportOptions(), GATE_CASES["sensitive"]))
    for change in secret["functions"][0]["changes"]:
        assert change["sensitive"] is True
        assert not {"base", "live", "desired"} & set(change)
    assert document["base"] == {
        "source": "origin/main:deploy/app.yaml",
        "ref": "origin/main",
        "commit": "3f2a9c0d1e4b5a6978877665544332211ffeeddc",
    }


def test_sarif_has_a_result_only_for_what_the_deploy_would_lose() -> None:
    log = valid_sarif(render("sarif", ReportOptions(), GATE_CASES["every_class"]))
    results = log["runs"][0]["results"]
    found = [
        (result["ruleId"], result["locations"][0]["physicalLocation"]["region"]["startLine"])
        for result in results
    ]
    # disabled, code_text, envs.HOTFIX, timeout of hello; gone recreated; tmp-debug taken over.
    assert found == [
        ("FD101", 11),
        ("FD102", 12),
        ("FD101", 10),
        ("FD101", 16),
        ("FD103", 20),
        ("FD102", 25),
    ]
    fingerprints = {next(iter(result["partialFingerprints"].values())) for result in results}
    assert len(fingerprints) == len(results)
    ignored = valid_sarif(render("sarif", ReportOptions(), GATE_CASES["ignored"]))
    assert all("suppressions" in result for result in ignored["runs"][0]["results"])


@pytest.mark.parametrize("add_masks", [False, True])
@pytest.mark.parametrize("verbose", [False, True])
@pytest.mark.parametrize("format_name", sorted(REPORTER_BY_NAME))
def test_no_secret_in_any_gate_format_in_any_of_the_three_states(
    format_name: str, verbose: bool, add_masks: bool
) -> None:
    options = ReportOptions(verbose=verbose, add_masks=add_masks)
    lines = render(format_name, options, GATE_CASES["sensitive"]).splitlines()
    shown = "\n".join(line for line in lines if not line.startswith("::add-mask::"))
    for secret in SECRETS:
        assert secret not in shown
    if format_name in {"text", "github", "markdown", "junit"}:
        assert "(sensitive, changed by hand)" in shown


def test_github_masks_every_state_of_every_secret_inside_actions_only() -> None:
    masked = render("github", ReportOptions(add_masks=True), GATE_CASES["sensitive"])
    masks = {line for line in masked.splitlines() if line.startswith("::add-mask::")}
    assert masks == {f"::add-mask::{secret}" for secret in SECRETS}
    plain = render("github", ReportOptions(), GATE_CASES["sensitive"])
    assert "::add-mask::" not in plain


FORGED = "x\n::error title=pwned::forged\x1b[31m ##[set-output name=a]b"


def forged_run():  # type: ignore[no-untyped-def]
    code = "def main():\n    ::error::from code\n    ##[warning]x\n"
    changes = (
        value("code_text", GateClass.OVERWRITE, code, code + "#\n", code, 4),
        value(f"envs.{FORGED}", GateClass.OVERWRITE, ABSENT, "v", ABSENT, 5),
        value("description", GateClass.CONFLICT, "a", FORGED, "b", 6),
    )
    broken = function("resize", GateClass.NOT_CHECKED, 9, reason=f"HTTP 502: {FORGED}")
    return run(3, function("hello", GateClass.OVERWRITE, 2, *changes), broken)


@pytest.mark.parametrize("format_name", sorted(REPORTER_BY_NAME))
def test_no_gate_report_line_can_act_as_a_workflow_command(format_name: str) -> None:
    text = render(format_name, ReportOptions(verbose=True), forged_run())
    assert "\x1b" not in text
    if REPORTER_BY_NAME[format_name].guards_commands:
        _assert_no_command(text.splitlines())


def _assert_no_command(lines: list[str]) -> None:
    tokens: list[str] = []
    for line in lines:
        stripped = line.strip()
        if tokens and stripped == f"::{tokens[-1]}::":
            tokens.pop()
            continue
        if stripped.startswith("::stop-commands::"):
            tokens.append(stripped.removeprefix("::stop-commands::"))
            continue
        if tokens:
            continue
        assert "##[" not in line, line
        assert not stripped.startswith("::error title=pwned"), line
        assert not stripped.startswith("::error::"), line


def test_a_functions_printed_values_are_capped_like_checks() -> None:
    big = [
        value(f"envs.VAR_{n}", GateClass.OVERWRITE, "a" * 900, "b" * 900, "a" * 900, n)
        for n in range(1, 60)
    ]
    gate_run = run(1, function("hello", GateClass.OVERWRITE, 2, *big))
    text = render("text", ReportOptions(), gate_run)
    body = [line for line in text.splitlines() if line.startswith("    ")]
    assert sum(len(line) for line in body) <= MAX_FUNCTION_TEXT + 200
    assert "more lines not shown (the JSON report holds the values)" in text
    document = valid_gate_report(render("json", ReportOptions(), gate_run))
    assert len(document["functions"][0]["changes"]) == 59


def test_quiet_and_unchanged_functions() -> None:
    safe = GATE_CASES["safe"]
    assert "billing" not in render("text", ReportOptions(), safe)
    assert "= prod-api/billing  (project 1, region 1)  unchanged" in render(
        "text", ReportOptions(verbose=True), safe
    )
    unchanged = dataclasses.replace(safe.result.functions[2], gate_class=GateClass.UNCHANGED)
    assert unchanged.classes == frozenset({GateClass.UNCHANGED})


@pytest.mark.parametrize("side", ["base", "live", "desired"])
def test_the_gate_schema_refuses_a_sensitive_value_shown_on_any_side(side: str) -> None:
    validator = Draft202012Validator(load_schema("gate-report.schema.json"))
    document = valid_gate_report(render("json", ReportOptions(), GATE_CASES["sensitive"]))
    document["functions"][0]["changes"][0][side] = "leaked"
    with pytest.raises(ValidationError, match="should not be valid"):
        validator.validate(document)


def test_the_gate_schema_refuses_a_check_report_or_an_unknown_class() -> None:
    validator = Draft202012Validator(load_schema("gate-report.schema.json"))
    document = valid_gate_report(render("json", ReportOptions(), GATE_CASES["every_class"]))
    for key, wrong in (("kind", "check"), ("format_version", "2")):
        with pytest.raises(ValidationError):
            validator.validate({**document, key: wrong})
    document["functions"][0]["changes"][0]["class"] = "overwritten"
    with pytest.raises(ValidationError, match="'overwritten' is not one of"):
        validator.validate(document)
