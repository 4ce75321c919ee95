"""The text report: one line per change, terraform-plan symbols, values as JSON spells them."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import click

from faasdrift.errors import ExitCode
from faasdrift.model import (
    BaselineUsed,
    Change,
    ChangeKind,
    CheckRun,
    DriftResult,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    Position,
)
from faasdrift.report.formats import REPORTER_BY_NAME, ReportOptions, build_reporter
from tests.unit.judge.test_memory import baseline_of, night, timeout, tonight
from tests.unit.report.cases import WHEN, in_sync

HERE = Position(3, 5)


def identity(name: str, namespace: str = "prod-api") -> FunctionId:
    return FunctionId(1, 1, namespace, name)


def drifted(*changes: Change, name: str = "hello") -> FunctionResult:
    return FunctionResult(identity(name), FunctionStatus.DRIFTED, HERE, changes=changes)


def change(
    path: str, kind: ChangeKind, desired: object, live: object, *, sensitive: bool = False
) -> Change:
    return Change(path, kind, desired, live, HERE, sensitive=sensitive)


def render(*functions: FunctionResult, color: bool = False, verbose: bool = False) -> str:
    reporter = build_reporter("text", ReportOptions(color=color, verbose=verbose))
    run = CheckRun(DriftResult("desired.yaml", functions), exit_code=0, generated_at=WHEN)
    return reporter.render(run)


def test_registry_drives_the_format_names() -> None:
    assert "text" in REPORTER_BY_NAME


def test_each_change_kind_has_its_line() -> None:
    text = render(
        drifted(
            change("timeout", ChangeKind.CHANGED, 5, 10),
            change("envs.LOG_LEVEL", ChangeKind.CHANGED, "info", "debug"),
            change("envs.FEATURE_X", ChangeKind.ADDED, "on", None),
            change("envs.OLD_FLAG", ChangeKind.REMOVED, None, "1"),
            change("enable_api_key", ChangeKind.CHANGED, True, None),
        )
    )
    assert text.splitlines() == [
        "~ prod-api/hello  (project 1, region 1)  desired.yaml:3",
        "    ~ timeout: 10 -> 5",
        '    ~ envs.LOG_LEVEL: "debug" -> "info"',
        '    + envs.FEATURE_X: "on"  (declared, not live)',
        '    - envs.OLD_FLAG: "1"  (live, not declared)',  # not secret: shown
        "    ~ enable_api_key: null -> true",
        "",
        "1 function: 0 in sync, 1 drifted, 0 missing, 0 not checked.",
    ]


def test_multi_line_text_is_shown_as_a_unified_diff_live_to_desired() -> None:
    text = render(drifted(change("code_text", ChangeKind.CHANGED, "a\nb\nc\n", "a\nB\nc\n")))
    assert (
        "    ~ code_text:\n        --- live\n        +++ desired\n        @@ -1,3 +1,3 @@\n" in text
    )
    assert "         a\n        -B\n        +b\n         c\n" in text


def test_a_missing_final_newline_is_spelled_out_like_git() -> None:
    text = render(drifted(change("code_text", ChangeKind.CHANGED, "x\ny\n", "x\ny")))
    assert "        -y\n        \\ No newline at end of file\n        +y\n" in text


def test_sensitive_values_are_never_shown() -> None:
    text = render(
        drifted(
            change("envs.DB_PASSWORD", ChangeKind.CHANGED, "hunter2", "hunter3", sensitive=True),
            change("envs.API_TOKEN", ChangeKind.ADDED, "tok-desired", None, sensitive=True),
            change("envs.OLD_SECRET", ChangeKind.REMOVED, None, "old-live", sensitive=True),
        )
    )
    assert "    ~ envs.DB_PASSWORD: (sensitive, changed)" in text
    assert "    + envs.API_TOKEN: (sensitive)  (declared, not live)" in text
    for secret in ("hunter2", "hunter3", "tok-desired", "old-live"):
        assert secret not in text


def test_missing_and_not_checked_lines_and_summary() -> None:
    text = render(
        FunctionResult(identity("resize"), FunctionStatus.MISSING, HERE),
        FunctionResult(
            identity("thumb", "media"),
            FunctionStatus.NOT_CHECKED,
            HERE,
            reason="HTTP 502 from Gcore",
        ),
        FunctionResult(identity("ok"), FunctionStatus.IN_SYNC, HERE),
    )
    assert text.splitlines() == [
        "! prod-api/resize  (project 1, region 1)  missing: no such function in Gcore",
        "? media/thumb  (project 1, region 1)  not checked: HTTP 502 from Gcore",
        "",
        "3 functions: 1 in sync, 0 drifted, 1 missing, 1 not checked.",
    ]


def test_in_sync_functions_only_with_verbose() -> None:
    in_sync = FunctionResult(identity("ok"), FunctionStatus.IN_SYNC, HERE)
    assert "prod-api/ok" not in render(in_sync)
    assert "= prod-api/ok  (project 1, region 1)  in sync\n" in render(in_sync, verbose=True)


def test_each_function_names_the_file_and_line_it_is_declared_at() -> None:
    functions = (
        dataclasses.replace(drifted(change("timeout", ChangeKind.CHANGED, 5, 9)), source="a.yaml"),
        FunctionResult(identity("b"), FunctionStatus.MISSING, Position(12, 3), source="b/c.yaml"),
        FunctionResult(identity("stray"), FunctionStatus.UNMANAGED, HERE),
    )
    assert render(*functions).splitlines()[:4] == [
        "~ prod-api/hello  (project 1, region 1)  a.yaml:3",
        "    ~ timeout: 9 -> 5",
        "! prod-api/b  (project 1, region 1)  missing: no such function in Gcore",
        "- prod-api/stray  (project 1, region 1)  unmanaged",
    ]


def unchecked(name: str, reason: str) -> FunctionResult:
    return FunctionResult(identity(name), FunctionStatus.NOT_CHECKED, HERE, reason=reason)


def test_functions_not_checked_for_one_reason_are_one_line_with_their_count() -> None:
    dns = "cannot resolve api.gcore.com: Name or service not known"
    functions = [unchecked(f"f{n}", dns) for n in range(500)]
    functions.insert(3, unchecked("other", "HTTP 502 from Gcore"))

    lines = render(*functions).splitlines()

    assert lines == [
        f"? 500 functions not checked: {dns}",
        "    prod-api/f0, prod-api/f1, prod-api/f2, prod-api/f3, prod-api/f4 and 495 more"
        " (-v lists each)",
        "? prod-api/other  (project 1, region 1)  not checked: HTTP 502 from Gcore",
        "",
        "501 functions: 0 in sync, 0 drifted, 0 missing, 501 not checked.",
    ]


def test_five_functions_with_one_reason_are_grouped_four_are_not_and_verbose_lists_each() -> None:
    five = [unchecked(name, "HTTP 503") for name in "abcde"]

    assert render(*five).splitlines()[:2] == [
        "? 5 functions not checked: HTTP 503",
        "    prod-api/a, prod-api/b, prod-api/c, prod-api/d, prod-api/e",
    ]
    each = [f"? prod-api/{name}  (project 1, region 1)  not checked: HTTP 503" for name in "abcde"]
    assert render(*five, verbose=True).splitlines()[:5] == each
    assert render(*five[:4]).splitlines()[:4] == each[:4]


def test_no_functions_is_just_the_summary() -> None:
    assert render() == "0 functions: 0 in sync, 0 drifted, 0 missing, 0 not checked.\n"


def test_colour_only_when_asked() -> None:
    plain = render(drifted(change("timeout", ChangeKind.CHANGED, 5, 10)))
    coloured = render(drifted(change("timeout", ChangeKind.CHANGED, 5, 10)), color=True)
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured
    assert click.unstyle(coloured) == plain


def test_the_summary_line_counts_new_known_and_resolved_in_the_issues_words() -> None:
    moment = datetime(2026, 11, 30, 5, 17, tzinfo=timezone.utc)
    baseline = dataclasses.replace(
        baseline_of(timeout("a", 10), timeout("b", 10), timeout("c", 10)), generated_at=moment
    )
    synced = [in_sync(f"s{index}", index) for index in range(8)]
    result = night(timeout("a", 10), timeout("b", 10), timeout("d", 10), in_sync("c", 9), *synced)
    memory = dataclasses.replace(
        tonight(result, baseline),
        baseline=BaselineUsed("last.json", moment),
    )
    run = CheckRun(result, exit_code=ExitCode.DRIFT, generated_at=moment, memory=memory)

    text = build_reporter("text", ReportOptions()).render(run)

    assert text.splitlines()[-1] == (
        "12 functions: 9 in sync, 3 drifted (1 new, 2 known), 1 resolved since 2026-11-30."
    )
