"""Reports cannot forge CI log lines: names, reasons and code never start a workflow command."""

from __future__ import annotations

import pytest

from faasdrift.errors import ExitCode
from faasdrift.model import (
    ChangeKind,
    CheckRun,
    FunctionResult,
    FunctionStatus,
    Position,
)
from faasdrift.report.formats import REPORTER_BY_NAME, ReportOptions, build_reporter
from faasdrift.report.formats.github import without_commands
from faasdrift.report.formats.values import printable
from tests.unit.report.cases import change, drifted, identity, result

FORGED = "x\n::error title=pwned::forged\x1b[31m\x85\u2028"


def forged_result() -> CheckRun:
    unchecked = FunctionResult(
        identity(FORGED), FunctionStatus.NOT_CHECKED, Position(3, 5), reason=f"HTTP 502: {FORGED}"
    )
    code = "def main():\n    ::error::from code\n    return 1\n"
    changes = (
        change("code_text", ChangeKind.CHANGED, code + "#\n", code, 4),
        change(f"envs.{FORGED}", ChangeKind.REMOVED, None, "v", 5),
        change("description", ChangeKind.CHANGED, FORGED, "", 6),
    )
    return result(ExitCode.INCOMPLETE, unchecked, drifted(FORGED, 2, *changes))


@pytest.mark.parametrize("name", ["text", "github", "markdown", "junit"])
def test_no_report_line_starts_with_a_forged_command(name: str) -> None:
    text = build_reporter(name, ReportOptions()).render(forged_result())  # type: ignore[arg-type]
    assert "\x1b" not in text
    assert "\x85" not in text
    assert "\u2028" not in text
    lines = text.splitlines()
    assert not any(line.startswith("::error title=pwned") for line in lines)
    assert "x\\n::error title=pwned::forged\\x1b[31m\\x85\\u2028" in text


@pytest.mark.parametrize("name", list(REPORTER_BY_NAME))
def test_every_format_renders_a_forged_name_without_a_raw_escape(name: str) -> None:
    text = build_reporter(name, ReportOptions()).render(forged_result())  # type: ignore[arg-type]
    assert "\x1b" not in text


def test_github_wraps_each_group_body_in_stop_commands() -> None:
    lines = build_reporter("github", ReportOptions()).render(forged_result()).splitlines()  # type: ignore[arg-type]
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[start].removeprefix("::stop-commands::")
    end = lines.index(f"::{token}::")
    inside = lines[start + 1 : end]
    assert any(line.strip().startswith("::error::from code") for line in inside)
    assert all(not line.startswith("::error ") for line in inside)  # annotations stay outside
    assert any(line.startswith("::error ") for line in lines[end:])


def test_the_stop_token_is_not_in_the_text_it_wraps() -> None:
    body = ["::stop-commands::abc", "::abc::", "    ::endgroup::"]
    wrapped = without_commands(body)
    token = wrapped[0].removeprefix("::stop-commands::")
    assert len(token) == 32
    assert wrapped == [f"::stop-commands::{token}", *body, f"::{token}::"]
    assert all(token not in line for line in body)


def test_printable_keeps_tabs_and_text_and_spells_out_the_rest() -> None:
    assert printable("plain\ttext é ü") == "plain\ttext é ü"
    assert printable("a\nb\r\x1b\x00\x9b") == "a\\nb\\r\\x1b\\x00\\x9b"


def test_an_annotation_never_carries_the_legacy_command_form() -> None:
    forged = change("envs.A##[set-output name=x]y", ChangeKind.REMOVED, None, "v", 5)
    text = build_reporter("github", ReportOptions()).render(
        result(ExitCode.DRIFT, drifted("hello", 2, forged))
    )
    (annotation,) = [line for line in text.splitlines() if line.startswith("::error ")]
    assert "##[" not in annotation
    assert "envs.A##\\[set-output name=x]y" in annotation
