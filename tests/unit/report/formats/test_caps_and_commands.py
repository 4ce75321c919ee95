"""What a report may print: a bounded diff per function, JSON values up to a total, no CI command.

The GitHub runner acts on a line starting with ``::`` once leading spaces are trimmed, and on the
legacy ``##[command]`` anywhere in a line (actions/runner, ActionCommand.TryParse).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from faasdrift.errors import ExitCode
from faasdrift.model import ChangeKind, FunctionResult, FunctionStatus, Position
from faasdrift.report.formats import ReportOptions, build_reporter
from faasdrift.report.formats.json_report import CUT_TO, MAX_VALUE_CHARS
from faasdrift.report.formats.lines import MAX_FUNCTION_TEXT, MAX_LINE
from tests.unit.report.cases import change, drifted, identity, result

LEGACY = "##[add-mask]forged"
CODE = "def main():\n  ::error::from code\n    return '##[error]x'\n"


def acts(line: str) -> bool:
    """Whether the runner would take ``line`` as a command."""
    return line.lstrip().startswith("::") or "##[" in line


def hostile_run():  # type: ignore[no-untyped-def]
    unchecked = FunctionResult(
        identity(f"n{LEGACY}"), FunctionStatus.NOT_CHECKED, Position(3, 5), reason=LEGACY
    )
    changes = (
        change("code_text", ChangeKind.CHANGED, CODE + "#\n", CODE, 4),
        change("description", ChangeKind.CHANGED, LEGACY, "", 6),
    )
    return result(ExitCode.INCOMPLETE, unchecked, drifted(f"d{LEGACY}", 2, *changes))


def render(name: str, run=None, **options: bool) -> str:  # type: ignore[no-untyped-def]
    return build_reporter(name, ReportOptions(**options)).render(run or hostile_run())


@pytest.mark.parametrize("name", ["json", "sarif"])
def test_json_formats_escape_commands_within_json(name: str) -> None:
    text = render(name)
    assert not any(acts(line) for line in text.splitlines())
    assert LEGACY in json.dumps(json.loads(text), ensure_ascii=False)  # the same data


def test_junit_escapes_commands_within_xml() -> None:
    text = render("junit")
    assert not any(acts(line) for line in text.splitlines())
    failure = ET.fromstring(text.split("\n", 1)[1]).find(".//failure")
    assert failure is not None
    assert failure.text is not None
    assert "  ::error::from code" in failure.text
    assert LEGACY in failure.text


def test_github_acts_only_on_its_own_commands() -> None:
    lines, stopped, token = render("github", verbose=True).splitlines(), False, ""
    for line in lines:
        if stopped:
            stopped = line != f"::{token}::"
            continue
        if line.startswith("::stop-commands::"):
            stopped, token = True, line.removeprefix("::stop-commands::")
            continue
        # A line the runner takes as a "::" command is not parsed for "##[" any more.
        ours = line.startswith(("::error ", "::warning ", "::group::", "::endgroup::"))
        assert ours or not acts(line), line


def test_a_function_prints_at_most_its_budget_of_diff() -> None:
    live = "".join(f"line {n}\n" for n in range(100_000))
    big = change("code_text", ChangeKind.CHANGED, live.replace("line", "LINE"), live, 4)
    wide = change("description", ChangeKind.CHANGED, "d" * 50_000, "", 6)
    run = result(ExitCode.DRIFT, drifted("big", 2, big, wide))
    for name in ("text", "markdown", "junit", "github"):
        text = render(name, run)
        assert len(text) < 2 * MAX_FUNCTION_TEXT, name
        assert "more lines not shown (the JSON report holds the values)" in text, name
    annotations = render("sarif", run)
    assert max(len(line) for line in annotations.splitlines()) < MAX_LINE + 100


def test_the_json_report_keeps_values_up_to_its_total_then_says_they_were_cut() -> None:
    size = 100_000
    count = MAX_VALUE_CHARS // (2 * size) + 3  # the last three do not fit any more
    changes = [
        change(f"envs.V{n}", ChangeKind.CHANGED, "a" * size, "b" * size, 4) for n in range(count)
    ]
    run = result(ExitCode.DRIFT, drifted("many", 2, *changes))
    [function] = json.loads(render("json", run))["functions"]
    kept, cut = function["changes"][:-3], function["changes"][-3:]
    assert all(len(item["desired"]) == size and "cut" not in item for item in kept)
    assert all(item["cut"] is True and len(item["desired"]) == CUT_TO for item in cut)
