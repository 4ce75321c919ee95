"""JUnit XML: one test suite, one test case per declared function.

The shape is the one CI servers agree on (Jenkins' junit-10.xsd, which GitLab, Jenkins and the
GitHub test-report actions read): drift and missing functions are ``<failure>``s listing what
differs, functions that could not be checked are ``<error>``s, in-sync functions pass.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

from faasdrift.model import CheckRun, DriftResult, FunctionId, FunctionResult, FunctionStatus
from faasdrift.report.formats.base import Reporter
from faasdrift.report.formats.lines import (
    UNMANAGED_REASON,
    changes_lines,
    ignored_lines,
    missing_reason,
    title,
)
from faasdrift.report.formats.values import printable
from faasdrift.text import LEGACY_COMMAND

SUITE_NAME = "faasdrift"
# XML 1.0 cannot carry most control characters at all, not even escaped; code may contain them.
_LINE_COMMAND = re.compile(r"^(\s*):(?=:)", re.MULTILINE)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML, one test case per function (GitLab, Jenkins, test-report actions)"
    file_suffix = ".xml"
    guards_commands = True

    def render(self, run: CheckRun) -> str:
        result = run.result
        name = f"{SUITE_NAME}: {result.source}"
        suites, suite = new_suite(name, _counts(result), run.generated_at)
        for function in result.functions:
            _testcase(suite, function)
        return junit_document(suites)


def new_suite(
    name: str, counts: dict[str, str], generated_at: datetime
) -> tuple[ET.Element, ET.Element]:
    """``<testsuites>`` holding the report's one ``<testsuite>``: both, to add test cases to."""
    suites = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = ET.SubElement(suites, "testsuite", name=name)
    suite.attrib.update(counts, skipped="0")
    suite.set("timestamp", generated_at.replace(tzinfo=None).isoformat())
    return suites, suite


def junit_document(suites: ET.Element) -> str:
    """The XML document, no line of it a CI command."""
    ET.indent(suites)
    body = _without_commands(ET.tostring(suites, encoding="unicode"))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _counts(result: DriftResult) -> dict[str, str]:
    failing = (FunctionStatus.DRIFTED, FunctionStatus.MISSING, FunctionStatus.UNMANAGED)
    failures = sum(result.count(status) for status in failing)
    return {
        "tests": str(len(result.functions)),
        "failures": str(failures),
        "errors": str(result.count(FunctionStatus.NOT_CHECKED)),
    }


def _testcase(suite: ET.Element, function: FunctionResult) -> None:
    identity = function.identity
    case = testcase_of(suite, identity)
    if function.status is FunctionStatus.DRIFTED:
        count = len(function.changes)
        message = f"{count} value{'s' if count != 1 else ''} drifted"
        lines = [line for _, line in changes_lines(function.changes, indent="")]
        _child(case, "failure", message, "drifted", "\n".join([title(identity), *lines]))
    elif function.status is FunctionStatus.MISSING:
        _child(case, "failure", f"missing: {missing_reason(function)}", "missing", title(identity))
    elif function.status is FunctionStatus.NOT_CHECKED:
        reason = printable(function.reason or "not checked")
        _child(case, "error", f"not checked: {reason}", "not_checked", title(identity))
    elif function.status is FunctionStatus.UNMANAGED:
        _child(case, "failure", f"unmanaged: {UNMANAGED_REASON}", "unmanaged", title(identity))
    if function.ignored:  # accepted, so not a failure; still on record with the test
        out = ET.SubElement(case, "system-out")
        out.text = _xml("\n".join(line for _, line in ignored_lines(function, indent="")))


def testcase_of(suite: ET.Element, identity: FunctionId) -> ET.Element:
    """A function's test case: ``classname`` ``project/region/namespace``, ``name`` its name."""
    classname = f"{identity.project_id}/{identity.region_id}/{identity.namespace}"
    return ET.SubElement(
        suite, "testcase", classname=printable(classname), name=printable(identity.name)
    )


def _child(case: ET.Element, tag: str, message: str, kind: str, text: str) -> None:
    element = ET.SubElement(case, tag, message=_xml(message), type=kind)
    element.text = _xml(text)


def _without_commands(xml: str) -> str:
    """The document with no line a CI runner would act on, as the same XML: ``##[`` anywhere and
    ``::`` at a line's start (a code line in a failure's text) get a character reference."""
    xml = xml.replace(LEGACY_COMMAND, "#&#35;[")
    return _LINE_COMMAND.sub(lambda match: f"{match.group(1)}&#58;", xml)


def _xml(text: str) -> str:
    """``text`` with what XML cannot hold spelled out as ``\\xNN`` (ElementTree would not care)."""
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
