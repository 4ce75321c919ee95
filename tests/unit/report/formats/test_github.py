"""The GitHub Actions format: escaping as @actions/core does, groups, annotation limits, masks."""

from __future__ import annotations

import hashlib

from faasdrift.errors import ExitCode
from faasdrift.model import ChangeKind, CheckRun, DriftResult
from faasdrift.report.formats import ReportOptions, build_reporter
from faasdrift.report.formats.github import escape_data, escape_property
from tests.unit.report.cases import CASES, LIVE_SECRET, change, drifted, result


def render(drift: CheckRun, *, add_masks: bool = False) -> list[str]:
    return build_reporter("github", ReportOptions(add_masks=add_masks)).render(drift).splitlines()


def many_changes(count: int) -> DriftResult:
    changes = [
        change(f"envs.V{n:02}", ChangeKind.CHANGED, "new", "old", n + 1) for n in range(count)
    ]
    return result(ExitCode.DRIFT, drifted("hello", 1, *changes))


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b"
    assert escape_property("100%\r\nnext: a,b") == "100%25%0D%0Anext%3A a%2Cb"


def test_an_error_annotation_per_drifted_value_at_its_line_inside_a_group() -> None:
    lines = render(CASES["not_checked"])
    token = hashlib.sha256(b"    ~ timeout: 10 -> 5").hexdigest()[:32]
    assert lines == [
        "? media/resize  (project 1, region 2)  not checked: HTTP 502 from Gcore: Bad Gateway "
        "(request id 7f3a)",
        "::warning file=deploy/desired.yaml,line=30,col=5,title=media/resize%3A not checked::"
        "not checked: HTTP 502 from Gcore: Bad Gateway (request id 7f3a)",
        "::group::~ prod-api/hello  (project 1, region 1)",
        f"::stop-commands::{token}",
        "    ~ timeout: 10 -> 5",
        f"::{token}::",
        "::error file=deploy/desired.yaml,line=9,col=14,title=prod-api/hello%3A timeout drifted::"
        "timeout: 10 -> 5 (live -> desired)",
        "::endgroup::",
        "2 functions: 0 in sync, 1 drifted, 0 missing, 1 not checked.",
    ]


def test_ten_errors_are_all_annotated() -> None:
    lines = render(many_changes(10))
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert not any("more drifted values" in line for line in lines)


def test_past_ten_the_tenth_annotation_counts_the_rest() -> None:
    lines = render(many_changes(14))
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 10
    assert errors[-1] == (
        "::error file=deploy/desired.yaml,title=faasdrift%3A 5 more drifted values::"
        "5 more drifted values not annotated (GitHub shows 10 per step); the log lists them all"
    )
    assert sum(line.startswith("    ~ envs.V") for line in lines) == 14  # the log keeps them all


def test_warnings_have_their_own_limit() -> None:
    lines = render(CASES["many"])
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10


def test_masks_come_first_and_only_when_allowed() -> None:
    masked = render(CASES["sensitive"], add_masks=True)
    masks = [line for line in masked if line.startswith("::add-mask::")]
    assert masked[: len(masks)] == masks
    assert f"::add-mask::{LIVE_SECRET}" in masks
    assert not any(line.startswith("::add-mask::") for line in render(CASES["sensitive"]))


def test_a_multi_line_secret_is_masked_line_by_line_and_tiny_values_not_at_all() -> None:
    key = "-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n"
    secret = change("envs.PRIVATE_KEY", ChangeKind.CHANGED, "x", key, 2, sensitive=True)
    lines = render(result(ExitCode.DRIFT, drifted("hello", 1, secret)), add_masks=True)
    assert lines[:4] == [
        "::add-mask::-----BEGIN KEY-----",
        "::add-mask::AAAA",
        "::add-mask::-----END KEY-----",
        "::group::~ prod-api/hello  (project 1, region 1)",
    ]
