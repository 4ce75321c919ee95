"""The drift results every report format is rendered from, one per case of the golden tests.

Each case is one situation a CI consumer must handle: all in sync, every kind of drift, a missing
function, one that could not be checked, secrets, nothing declared, more drift than GitHub
annotates. The secrets are spelled here once so tests can assert they never appear.

Every run gets its memory as a real run does (fingerprints keyed by a fixed salt, so the golden
files are stable); ``baseline_cases`` adds runs compared with a baseline.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone

from faasdrift.errors import ExitCode
from faasdrift.judge.memory import Recall, remember
from faasdrift.model import (
    Change,
    ChangeKind,
    CheckRun,
    DriftResult,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    IgnoredChange,
    IgnoreRule,
    Position,
)

SOURCE = "deploy/desired.yaml"
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
DESIRED_SECRET = "desired-Pa55word-value"
LIVE_SECRET = "live-Pa55word-value"
INTERPOLATED_DESIRED = "postgres://app:desired-dsn-secret@db/app"
INTERPOLATED_LIVE = "postgres://app:live-dsn-secret@db/app"
SECRETS = (DESIRED_SECRET, LIVE_SECRET, INTERPOLATED_DESIRED, INTERPOLATED_LIVE, "dsn-secret")
SALT = bytes.fromhex("5a17" * 8)


def holds_secret(text: str) -> bool:
    return any(secret in text for secret in SECRETS)


def remembered(run: CheckRun, recall: Recall | None = None) -> CheckRun:
    """``run`` with the memory a real run would have: fingerprints, and with ``recall``'s
    baseline what it says of them."""
    recall = recall or Recall(SALT, run.generated_at.date(), holds_secret)
    return dataclasses.replace(run, memory=remember(run.result, recall))


def identity(
    name: str, namespace: str = "prod-api", project: int = 1, region: int = 1
) -> FunctionId:
    return FunctionId(project, region, namespace, name)


def change(  # noqa: PLR0917 - a table of cases reads best positionally
    path: str,
    kind: ChangeKind,
    desired: object,
    live: object,
    line: int,
    column: int = 14,
    *,
    sensitive: bool = False,
) -> Change:
    return Change(path, kind, desired, live, Position(line, column), sensitive=sensitive)


def in_sync(name: str, line: int) -> FunctionResult:
    return FunctionResult(identity(name), FunctionStatus.IN_SYNC, Position(line, 5))


def drifted(name: str, line: int, *changes: Change, namespace: str = "prod-api") -> FunctionResult:
    return FunctionResult(
        identity(name, namespace), FunctionStatus.DRIFTED, Position(line, 5), changes=changes
    )


def result(exit_code: ExitCode, *functions: FunctionResult) -> CheckRun:
    return remembered(
        CheckRun(DriftResult(SOURCE, functions), exit_code=exit_code, generated_at=WHEN)
    )


def _every_kind() -> CheckRun:
    code = change(
        "code_text",
        ChangeKind.CHANGED,
        "def main():\n    return 'Hello World!'\n",
        "def main():\n    return 'Hello World'\n",
        line=13,
    )
    hello = drifted(
        "hello",
        10,
        change("disabled", ChangeKind.CHANGED, False, True, 11, 15),  # switched off by hand
        code,
        change("envs.LOG_LEVEL", ChangeKind.CHANGED, "info", "debug", 17, 18),
        change("envs.FEATURE_X", ChangeKind.ADDED, "on", None, 18, 18),
        change("envs.OLD_FLAG", ChangeKind.REMOVED, None, "1", 16, 7),
        change("timeout", ChangeKind.CHANGED, 5, 10, 19),
        change("autoscaling.max_instances", ChangeKind.CHANGED, 2, 5, 20, 46),
        change("description", ChangeKind.CHANGED, 'Say "hi" | 100%, ok: yes', "", 21),
        change("enable_api_key", ChangeKind.CHANGED, True, None, 22, 21),
        change("keys.billing-key", ChangeKind.ADDED, "billing-key", None, 23, 9),
        change("keys.old-key", ChangeKind.REMOVED, None, "old-key", 23, 11),
    )
    return result(ExitCode.DRIFT, hello, in_sync("orders", 24))


def _many() -> CheckRun:
    functions = tuple(
        drifted(
            f"worker-{index}",
            10 * index + 1,
            *(
                change(f"envs.VAR_{n}", ChangeKind.CHANGED, f"new-{n}", f"old-{n}", 10 * index + n)
                for n in range(1, 5)
            ),
        )
        for index in range(1, 4)
    )
    unchecked = tuple(
        FunctionResult(
            identity(f"flaky-{n}"),
            FunctionStatus.NOT_CHECKED,
            Position(50 + n, 5),
            reason="HTTP 502",
        )
        for n in range(1, 12)
    )
    return result(ExitCode.INCOMPLETE, *functions, *unchecked)


RULE = IgnoreRule("envs.BUILD_ID", "set by the deploy pipeline", SOURCE, Position(4, 5))
SECRET_RULE = IgnoreRule(
    "envs.*_TOKEN", "rotated by the vault agent", SOURCE, Position(7, 9), until=date(2027, 1, 31)
)
OTHER_SOURCE = "deploy/media.yaml"  # a second desired file checked in the same run


def _ignored() -> CheckRun:
    """Ignore rules at work: one function still drifts beside an accepted difference, one is in
    sync only because of them (its accepted difference is a secret)."""
    build = change("envs.BUILD_ID", ChangeKind.CHANGED, "1", "2", 12, 17)
    token = change(
        "envs.DEPLOY_TOKEN", ChangeKind.CHANGED, DESIRED_SECRET, LIVE_SECRET, 20, 21, sensitive=True
    )
    hello = dataclasses.replace(
        drifted("hello", 10, change("timeout", ChangeKind.CHANGED, 5, 10, 13)),
        ignored=(IgnoredChange(build, RULE),),
    )
    accepted = (IgnoredChange(token, SECRET_RULE),)
    orders = dataclasses.replace(in_sync("orders", 18), ignored=accepted)
    return result(ExitCode.DRIFT, hello, orders)


def _unmanaged() -> CheckRun:
    """--unmanaged over two files: an unmanaged function per namespace, one namespace unlisted."""
    resize = dataclasses.replace(in_sync("resize", 6), source=OTHER_SOURCE)
    resize = dataclasses.replace(resize, identity=identity("resize", "media"))
    functions = (
        dataclasses.replace(in_sync("hello", 6), source=SOURCE),
        resize,
        FunctionResult(
            identity("tmp-debug"), FunctionStatus.UNMANAGED, Position(6, 5), source=SOURCE
        ),
        FunctionResult(
            identity("old-resize", "media"),
            FunctionStatus.UNMANAGED,
            Position(6, 5),
            source=OTHER_SOURCE,
        ),
    )
    warning = "unmanaged functions in 1/2/edge not checked: HTTP 502 from Gcore: Bad Gateway"
    run = result(ExitCode.INCOMPLETE, *functions)
    both = dataclasses.replace(
        run.result, source=f"{SOURCE}, {OTHER_SOURCE}", unmanaged_checked=True
    )
    return dataclasses.replace(run, result=both, warnings=(warning,))


CASES: dict[str, CheckRun] = {
    "in_sync": result(ExitCode.IN_SYNC, in_sync("hello", 6), in_sync("orders", 12)),
    "every_kind": _every_kind(),
    "missing": result(
        ExitCode.DRIFT,
        FunctionResult(identity("thumbnail", "media"), FunctionStatus.MISSING, Position(40, 5)),
        in_sync("hello", 6),
        FunctionResult(  # its namespace does not exist either: a typo in the file, most likely
            identity("orders", "prod-apii"),
            FunctionStatus.MISSING,
            Position(44, 5),
            reason="namespace 'prod-apii' does not exist in project 1, region 1",
        ),
    ),
    "not_checked": result(
        ExitCode.INCOMPLETE,
        FunctionResult(
            identity("resize", "media", region=2),
            FunctionStatus.NOT_CHECKED,
            Position(30, 5),
            reason="HTTP 502 from Gcore: Bad Gateway (request id 7f3a)",
        ),
        drifted("hello", 6, change("timeout", ChangeKind.CHANGED, 5, 10, 9)),
    ),
    "sensitive": result(
        ExitCode.DRIFT,
        drifted(
            "billing",
            8,
            change(
                "envs.DB_PASSWORD",
                ChangeKind.CHANGED,
                DESIRED_SECRET,
                LIVE_SECRET,
                11,
                20,
                sensitive=True,
            ),
            change(
                "envs.DATABASE_URL",
                ChangeKind.CHANGED,
                INTERPOLATED_DESIRED,
                INTERPOLATED_LIVE,
                12,
                21,
                sensitive=True,
            ),
            change(
                "envs.API_TOKEN", ChangeKind.ADDED, DESIRED_SECRET, None, 13, 18, sensitive=True
            ),
            change("envs.OLD_SECRET", ChangeKind.REMOVED, None, LIVE_SECRET, 10, 7, sensitive=True),
            change("envs.LOG_LEVEL", ChangeKind.CHANGED, "info", "debug", 14, 18),
        ),
    ),
    "empty": result(ExitCode.IN_SYNC),
    "many": _many(),
    "ignored": _ignored(),
    "unmanaged": _unmanaged(),
}


from tests.unit.report.baseline_cases import baseline_cases  # noqa: E402 - it builds on the above

CASES.update(baseline_cases())
