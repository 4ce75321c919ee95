"""JUnit XML: one test suite, one test case per declared function.

The shape is the one CI servers agree on (Jenkins' junit-10.xsd, which GitLab, Jenkins and the
GitHub test-report actions read): drift and missing functions are ``<failure>``s listing what
differs, functions that could not be checked are ``<error>``s, in-sync functions pass.

Against a baseline, what fails the run comes first; a function whose drift is all known (and
not overdue) is ``<skipped>``, its age in the message and its lines in ``<system-out>``: it is
reported, not failed. The baseline's resolved findings are the suite's ``<system-out>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

from faasdrift.model import (
    BaselineStatus,
    CheckRun,
    DriftResult,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    Memory,
)
from faasdrift.report.formats.base import Reporter
from faasdrift.report.formats.lines import (
    UNMANAGED_REASON,
    changes_lines,
    ignored_lines,
    missing_reason,
    tagged,
    title,
)
from faasdrift.report.formats.markdown_memory import in_order, since
from faasdrift.report.formats.memory_text import compared, kept_lines, resolved_lines, tags_of
from faasdrift.report.formats.values import printable
from faasdrift.text import LEGACY_COMMAND

SUITE_NAME = "faasdrift"
_LINE_COMMAND = re.compile(r"^(\s*):(?=:)", re.MULTILINE)
# XML 1.0 cannot carry most control characters at all, not even escaped; code may contain them.
# Written as what XML refuses, not as the negation of what it takes: the same characters, but
# the negated class made re build a table of all Unicode, 15 ms at every start of faasdrift.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML, one test case per function (GitLab, Jenkins, test-report actions)"
    file_suffix = ".xml"
    guards_commands = True

    def render(self, run: CheckRun) -> str:
        result, memory = run.result, compared(run)
        known = {f.identity for f in result.functions if _known_only(f, memory)}
        name, counts = f"{SUITE_NAME}: {result.source}", _counts(result, len(known))
        suites, suite = new_suite(name, counts, run.generated_at, skipped=len(known))
        for function in in_order(list(result.functions), memory):
            _testcase(suite, function, memory, skipped=function.identity in known)
        resolved = list(resolved_lines(memory)) if memory is not None else []
        if resolved:
            ET.SubElement(suite, "system-out").text = _xml("\n".join(resolved))
        return junit_document(suites)


def new_suite(
    name: str, counts: dict[str, str], generated_at: datetime, *, skipped: int = 0
) -> tuple[ET.Element, ET.Element]:
    """``<testsuites>`` holding the report's one ``<testsuite>``: both, to add test cases to."""
    suites = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suite = ET.SubElement(suites, "testsuite", name=name)
    suite.attrib.update(counts, skipped=str(skipped))
    suite.set("timestamp", generated_at.replace(tzinfo=None).isoformat())
    return suites, suite


def junit_document(suites: ET.Element) -> str:
    """The XML document, no line of it a CI command."""
    ET.indent(suites)
    body = _without_commands(ET.tostring(suites, encoding="unicode"))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _known_only(function: FunctionResult, memory: Memory | None) -> bool:
    """Whether all a drifting function's findings are known (and none overdue): reported, but
    not failing the run."""
    if memory is None or function.status not in _FAILING:
        return False
    findings = memory.of_function(function.identity)
    return memory.state_of(function.identity) is BaselineStatus.KNOWN and not any(
        finding.overdue for finding in findings
    )


_FAILING = (FunctionStatus.DRIFTED, FunctionStatus.MISSING, FunctionStatus.UNMANAGED)
_KNOWN = {
    FunctionStatus.DRIFTED: "drift",
    FunctionStatus.MISSING: "missing function",
    FunctionStatus.UNMANAGED: "unmanaged function",
}


def _counts(result: DriftResult, known: int = 0) -> dict[str, str]:
    failures = sum(result.count(status) for status in _FAILING) - known
    return {
        "tests": str(len(result.functions)),
        "failures": str(failures),
        "errors": str(result.count(FunctionStatus.NOT_CHECKED)),
    }


def _testcase(
    suite: ET.Element, function: FunctionResult, memory: Memory | None, *, skipped: bool
) -> None:
    identity = function.identity
    case = testcase_of(suite, identity)
    tags = tags_of(memory, identity)
    own = tagged(title(identity), tags.get(""))
    out: list[str] = []
    if function.status is FunctionStatus.DRIFTED:
        count = len(function.changes)
        message = f"{count} value{'s' if count != 1 else ''} drifted"
        lines = [line for _, line in changes_lines(function.changes, indent="", tags=tags)]
        text = "\n".join([title(identity), *lines])
    elif function.status is FunctionStatus.MISSING:
        message, text = f"missing: {missing_reason(function)}", own
    elif function.status is FunctionStatus.NOT_CHECKED:
        message, text = f"not checked: {printable(function.reason or 'not checked')}", own
        out += [line.strip() for _, line in kept_lines(memory, identity)]
    elif function.status is FunctionStatus.UNMANAGED:
        message, text = f"unmanaged: {UNMANAGED_REASON}", own
    else:
        message = text = ""
    kind = function.status.value
    if skipped:  # known drift: on record with its age, not a failure
        message = f"known {_KNOWN[function.status]} {since(function, memory)}: not failing the run"
        _child(case, "skipped", message, kind, "")
        out.insert(0, text)
    elif function.status is FunctionStatus.NOT_CHECKED:
        _child(case, "error", message, kind, text)
    elif message:
        _child(case, "failure", message, kind, text)
    out += [line for _, line in ignored_lines(function, indent="")]
    if out:  # accepted differences and known drift: not failures, still on record with the test
        ET.SubElement(case, "system-out").text = _xml("\n".join(out))


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
