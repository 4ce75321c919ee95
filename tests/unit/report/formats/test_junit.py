"""JUnit XML: valid against Jenkins' junit-10.xsd in every case, and read back as CI servers do."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from faasdrift.errors import ExitCode
from faasdrift.model import ChangeKind, CheckRun
from faasdrift.report.formats import ReportOptions, build_reporter
from faasdrift.report.formats.junit import _NOT_XML
from tests.unit.report.cases import CASES, change, drifted, result
from tests.unit.report.schemas import assert_valid_junit


def render(drift: CheckRun) -> str:
    return build_reporter("junit", ReportOptions()).render(drift)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_case_is_valid_against_the_junit_xsd(case: str) -> None:
    assert_valid_junit(render(CASES[case]))


def test_one_testcase_per_function_with_failures_and_errors() -> None:
    root = ET.fromstring(render(CASES["not_checked"]))
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "1")
    cases = suite.findall("testcase")
    assert [(case.get("classname"), case.get("name")) for case in cases] == [
        ("1/2/media", "resize"),
        ("1/1/prod-api", "hello"),
    ]
    error = cases[0].find("error")
    assert error is not None
    assert error.get("type") == "not_checked"
    assert "HTTP 502 from Gcore" in (error.get("message") or "")
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.text is not None
    assert "~ timeout: 10 -> 5" in failure.text


def test_in_sync_cases_pass_and_missing_ones_fail() -> None:
    cases = ET.fromstring(render(CASES["missing"])).findall("testsuite/testcase")
    missing, hello, no_namespace = cases
    assert missing.find("failure") is not None
    assert missing.find("failure").get("type") == "missing"  # type: ignore[union-attr]
    assert list(hello) == []
    failure = no_namespace.find("failure")
    assert failure is not None
    assert failure.get("message") == (
        "missing: namespace 'prod-apii' does not exist in project 1, region 1"
    )


def test_an_empty_run_is_a_valid_document_with_no_tests() -> None:
    root = ET.fromstring(render(CASES["empty"]))
    assert root.find("testsuite").get("tests") == "0"  # type: ignore[union-attr]


def test_characters_xml_cannot_hold_are_spelled_out() -> None:
    code = change("code_text", ChangeKind.CHANGED, "a\x00\x1b\nb\n", "a\nb\n", 3)
    text = render(result(ExitCode.DRIFT, drifted("hello", 1, code)))
    assert_valid_junit(text)
    assert "\\x00\\x1b" in ET.fromstring(text).find("testsuite/testcase/failure").text  # type: ignore[union-attr,operator]


def _xml_char(code: int) -> bool:
    """XML 1.0's Char production, character by character (section 2.2)."""
    return code in (0x9, 0xA, 0xD) or any(
        low <= code <= high for low, high in ((0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF))
    )


def test_every_character_xml_refuses_is_escaped_and_no_other() -> None:
    every = "".join(map(chr, range(0x110000)))
    refused = [chr(code) for code in range(0x110000) if not _xml_char(code)]
    assert _NOT_XML.findall(every) == refused
    assert len(refused) == 2079  # 29 control characters, 2,048 surrogates, U+FFFE and U+FFFF
