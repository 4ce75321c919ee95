"""The gate as JUnit XML: one test case per function, in the shape check's report has.

A function whose deploy would overwrite or conflict with a hand change is a ``<failure>``
listing its values; one that could not be checked is an ``<error>``; the others pass, with what
the deploy would do to them (and the hand changes accepted by ignore rules) in ``<system-out>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from faasdrift.model import FAILING, GateClass, GateFunction, GateResult, GateRun
from faasdrift.report.formats.base import GateReporter
from faasdrift.report.formats.gate_lines import changes_lines, class_name
from faasdrift.report.formats.junit import (
    SUITE_NAME,
    JunitReporter,
    _child,
    _xml,
    junit_document,
    new_suite,
    testcase_of,
)
from faasdrift.report.formats.lines import title
from faasdrift.report.formats.values import printable


class JunitGateReporter(JunitReporter, GateReporter):
    def render_gate(self, run: GateRun) -> str:
        result = run.result
        name = f"{SUITE_NAME} gate: {result.source}"
        suites, suite = new_suite(name, _counts(result), run.generated_at)
        for function in result.functions:
            _testcase(suite, function)
        return junit_document(suites)


def _counts(result: GateResult) -> dict[str, str]:
    failing = sum(1 for function in result.functions if function.classes & FAILING)
    return {
        "tests": str(len(result.functions)),
        "failures": str(failing),
        "errors": str(result.count(GateClass.NOT_CHECKED)),
    }


def _testcase(suite: ET.Element, function: GateFunction) -> None:
    identity = function.identity
    case = testcase_of(suite, identity)
    lines = [line for _, line in changes_lines(function, indent="")]
    text = "\n".join([title(identity), *lines])
    verdict = class_name(function.gate_class)
    if function.reason:
        verdict += f": {printable(function.reason)}"
    if function.gate_class is GateClass.NOT_CHECKED:
        _child(case, "error", verdict, "not_checked", text)
    elif function.classes & FAILING:
        lost = sum(1 for change in function.changes if change.gate_class in FAILING)
        message = (
            f"{lost} hand change{'s' if lost != 1 else ''} lost: {verdict}" if lost else verdict
        )
        _child(case, "failure", message, function.gate_class.value, text)
    elif lines:
        out = ET.SubElement(case, "system-out")
        out.text = _xml("\n".join([f"{verdict}", *lines]))
