"""Runs compared with a baseline, for the golden tests: three nights, and a first run.

Each night's JSON report is rendered and read back as the next night's baseline, through the
real writer and reader, so the golden files show what a nightly audit really prints.

Night 1 (2026-11-10): ``hello``'s timeout drifts. Night 2 (2026-11-20): also its LOG_LEVEL,
``orders``' description, ``resize``'s timeout, ``flaky``'s envs and ``billing``'s secret;
``thumbnail`` is missing. Night 3 (2026-12-01, ``--fail-on-age 14``): the timeout is 21 days
old (overdue), LOG_LEVEL 11 (known); ``orders`` has a new live value (changed); ``resize`` is
fixed (resolved); ``flaky`` could not be checked (its envs kept); a key was added (new); an
unmanaged function appeared (new); billing's secret and the missing function are known.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

from faasdrift.errors import ExitCode
from faasdrift.judge.memory import Recall
from faasdrift.model import (
    BaselineUsed,
    ChangeKind,
    CheckRun,
    DriftResult,
    FunctionResult,
    FunctionStatus,
    Position,
)
from faasdrift.report.baseline_file import parse_baseline
from faasdrift.report.formats import ReportOptions, build_reporter
from tests.unit.report.cases import (
    DESIRED_SECRET,
    LIVE_SECRET,
    SALT,
    SOURCE,
    change,
    drifted,
    holds_secret,
    identity,
    in_sync,
    remembered,
)

NIGHTS = [
    datetime(2026, month, day, 5, 17, tzinfo=timezone.utc)
    for month, day in ((11, 10), (11, 20), (12, 1))
]
BASELINE = "nightly/last.json"


def _timeout(live: int = 10) -> object:
    return change("timeout", ChangeKind.CHANGED, 5, live, 9)


def _secret() -> object:
    return change(
        "envs.DB_PASSWORD", ChangeKind.CHANGED, DESIRED_SECRET, LIVE_SECRET, 31, 20, sensitive=True
    )


def _night(number: int, *functions: FunctionResult, code: ExitCode = ExitCode.DRIFT) -> CheckRun:
    return CheckRun(DriftResult(SOURCE, functions), exit_code=code, generated_at=NIGHTS[number])


def _compared(
    run: CheckRun, baseline_run: CheckRun | None, fail_on_age: int | None = None
) -> CheckRun:
    """``run`` compared with ``baseline_run``'s JSON report, read back as --baseline reads it."""
    baseline = None
    if baseline_run is not None:
        text = build_reporter("json", ReportOptions()).render(baseline_run)
        baseline = parse_baseline(json.loads(text), path=BASELINE)
    used = BaselineUsed(
        BASELINE, baseline.generated_at if baseline else None, SOURCE if baseline else None
    )
    recall = Recall(
        baseline.salt if baseline and baseline.salt else SALT,
        run.generated_at.date(),
        holds_secret,
        used,
        baseline,
        declared=frozenset(
            f.identity for f in run.result.functions if f.status is not FunctionStatus.UNMANAGED
        ),
        fail_on_age=fail_on_age,
        base_url="https://api.gcore.com",
    )
    return remembered(run, recall)


def _first() -> CheckRun:
    hello = drifted("hello", 6, _timeout())
    return _compared(_night(0, hello, in_sync("orders", 12)), None)


def _second(first: CheckRun) -> CheckRun:
    run = _night(
        1,
        drifted(
            "hello",
            6,
            _timeout(),
            change("envs.LOG_LEVEL", ChangeKind.CHANGED, "info", "debug", 8, 18),
        ),
        drifted("orders", 12, change("description", ChangeKind.CHANGED, "Orders", "hotfix 1", 14)),
        drifted("resize", 18, change("timeout", ChangeKind.CHANGED, 30, 60, 20)),
        drifted("flaky", 24, change("envs.MODE", ChangeKind.CHANGED, "fast", "slow", 26, 13)),
        drifted("billing", 30, _secret()),
        FunctionResult(identity("thumbnail", "media"), FunctionStatus.MISSING, Position(40, 5)),
    )
    return _compared(run, first)


def _third(second: CheckRun) -> CheckRun:
    unmanaged = FunctionResult(identity("tmp-debug"), FunctionStatus.UNMANAGED, Position(6, 5))
    hello = drifted(
        "hello",
        6,
        _timeout(),
        change("envs.LOG_LEVEL", ChangeKind.CHANGED, "info", "debug", 8, 18),
        change("keys.ci-key", ChangeKind.ADDED, "ci-key", None, 10, 9),
    )
    run = _night(
        2,
        hello,
        drifted("orders", 12, change("description", ChangeKind.CHANGED, "Orders", "hotfix 2", 14)),
        in_sync("resize", 18),
        FunctionResult(
            identity("flaky"), FunctionStatus.NOT_CHECKED, Position(24, 5), reason="HTTP 502"
        ),
        drifted("billing", 30, _secret()),
        FunctionResult(identity("thumbnail", "media"), FunctionStatus.MISSING, Position(40, 5)),
        unmanaged,
        code=ExitCode.INCOMPLETE,
    )
    run = dataclasses.replace(run, result=dataclasses.replace(run.result, unmanaged_checked=True))
    return _compared(run, second, fail_on_age=14)


def baseline_cases() -> dict[str, CheckRun]:
    first = _first()
    second = _second(first)
    return {"first_run": first, "known_and_new": second, "three_nights": _third(second)}


__all__ = ["NIGHTS", "baseline_cases"]
