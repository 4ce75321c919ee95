"""The gate runs every format is rendered from, one per case of the gate's golden tests.

Each case is one situation a pull request's gate must show: a safe deploy, every class at once
(from a base read at a git ref), secrets in each of the three states, a hand change accepted by
an ignore rule, a function that could not be checked, nothing declared, and more lost hand
changes than GitHub annotates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from faasdrift.errors import ExitCode
from faasdrift.judge.three_way import TAKE_OVER
from faasdrift.model import (
    ABSENT,
    FunctionId,
    GateChange,
    GateClass,
    GateFunction,
    GateResult,
    GateRun,
    IgnoredGateChange,
    IgnoreRule,
    Position,
)
from tests.unit.report.cases import WHEN

SOURCE = "deploy/app.yaml"
BASE_SOURCE = "origin/main:deploy/app.yaml"
COMMIT = "3f2a9c0d1e4b5a6978877665544332211ffeeddc"
BASE_SECRET = "base-Pa55word-value"
LIVE_SECRET = "live-Pa55word-value"
NEW_SECRET = "new-Pa55word-value"
SECRETS = (BASE_SECRET, LIVE_SECRET, NEW_SECRET)
OLD_CODE = "def main():\n    return 'Hello'\n"
HOTFIX = "def main():\n    return 'Hello, hotfix'\n"
NEW_CODE = "def main():\n    return 'Hello World'\n"


def identity(name: str, namespace: str = "prod-api") -> FunctionId:
    return FunctionId(1, 1, namespace, name)


def value(  # noqa: PLR0917 - a table of cases reads best positionally
    path: str,
    gate_class: GateClass,
    base: Any,
    live: Any,
    new: Any,
    line: int,
    column: int = 14,
    *,
    sensitive: bool = False,
) -> GateChange:
    return GateChange(path, gate_class, base, live, new, Position(line, column), sensitive)


def function(
    name: str,
    gate_class: GateClass,
    line: int,
    *changes: GateChange,
    in_base: bool = True,
    in_new: bool = True,
    reason: str | None = None,
    ignored: tuple[IgnoredGateChange, ...] = (),
    source: str = SOURCE,
) -> GateFunction:
    return GateFunction(
        identity(name),
        gate_class,
        Position(line, 5),
        source,
        in_base,
        in_new,
        changes,
        ignored,
        reason,
    )


def run(
    exit_code: ExitCode, *functions: GateFunction, warnings: tuple[str, ...] = (), **result: Any
) -> GateRun:
    gate = GateResult(SOURCE, result.pop("base_source", "deploy/last.yaml"), functions, **result)
    return GateRun(gate, exit_code=exit_code, generated_at=WHEN, warnings=warnings)


def _every_class() -> GateRun:
    hello = function(
        "hello",
        GateClass.CONFLICT,
        10,
        value("disabled", GateClass.OVERWRITE, False, True, False, 11, 15),  # off by hand
        value("code_text", GateClass.CONFLICT, OLD_CODE, HOTFIX, NEW_CODE, 12),
        value("envs.HOTFIX", GateClass.OVERWRITE, ABSENT, "on", ABSENT, 10),  # added by hand
        value("timeout", GateClass.OVERWRITE, 5, 30, 5, 16),
        value("flavor", GateClass.DEPLOY, "80mCPU-128MB", "80mCPU-128MB", "160mCPU-256MB", 17),
        value("autoscaling.max_instances", GateClass.ADOPTED, 2, 5, 5, 18, 46),
        value("description", GateClass.RELEASED, "old", "edited by hand", ABSENT, 10),
    )
    functions = (
        hello,
        function(
            "gone", GateClass.OVERWRITE, 20, reason="deleted by hand: the deploy would recreate it"
        ),
        function(
            "tmp-debug",
            GateClass.CONFLICT,
            24,
            value("timeout", GateClass.CONFLICT, ABSENT, 60, 10, 25),
            in_base=False,
            reason=TAKE_OVER,
        ),
        function("orders", GateClass.DEPLOY, 28, value("timeout", GateClass.DEPLOY, 5, 5, 6, 29)),
        function("resize", GateClass.CREATE, 32, in_base=False),
        function(
            "legacy",
            GateClass.DELETE,
            7,
            value("timeout", GateClass.DELETE, 5, 9, ABSENT, 8),
            in_new=False,
            source=BASE_SOURCE,
        ),
        function("billing", GateClass.UNCHANGED, 36),
    )
    moved = (
        "prod-api2/hello (project 1, region 1) is new, and prod-api/hello (project 1, region 1) is "
        "no longer declared: the deploy would create one and delete the other, not move it"
    )
    return run(
        ExitCode.DRIFT,
        *functions,
        warnings=(moved,),
        base_source=BASE_SOURCE,
        base_ref="origin/main",
        base_commit=COMMIT,
    )


def _sensitive() -> GateRun:
    billing = function(
        "billing",
        GateClass.CONFLICT,
        8,
        value(
            "envs.DB_PASSWORD",
            GateClass.OVERWRITE,
            BASE_SECRET,
            LIVE_SECRET,
            BASE_SECRET,
            9,
            sensitive=True,
        ),
        value(
            "envs.API_TOKEN",
            GateClass.CONFLICT,
            BASE_SECRET,
            LIVE_SECRET,
            NEW_SECRET,
            10,
            sensitive=True,
        ),
        value(
            "envs.SEED", GateClass.DEPLOY, LIVE_SECRET, LIVE_SECRET, NEW_SECRET, 11, sensitive=True
        ),
        value(
            "envs",
            GateClass.RELEASED,
            {"OLD_SECRET": BASE_SECRET},
            {"OLD_SECRET": LIVE_SECRET},
            ABSENT,
            8,
            sensitive=True,
        ),
    )
    return run(ExitCode.DRIFT, billing)


RULE = IgnoreRule(
    "timeout", "raised by hand during the incident", SOURCE, Position(4, 5), until=date(2027, 1, 31)
)


def _ignored() -> GateRun:
    accepted = IgnoredGateChange(value("timeout", GateClass.OVERWRITE, 5, 30, 5, 13), RULE)
    hello = function(
        "hello",
        GateClass.DEPLOY,
        10,
        value("flavor", GateClass.DEPLOY, "a", "a", "b", 12),
        ignored=(accepted,),
    )
    quiet = function(
        "orders",
        GateClass.UNCHANGED,
        18,
        ignored=(IgnoredGateChange(value("timeout", GateClass.CONFLICT, 5, 30, 20, 19), RULE),),
    )
    return run(ExitCode.IN_SYNC, hello, quiet)


def _not_checked() -> GateRun:
    return run(
        ExitCode.INCOMPLETE,
        function(
            "hello", GateClass.OVERWRITE, 6, value("timeout", GateClass.OVERWRITE, 5, 9, 5, 7)
        ),
        function(
            "resize",
            GateClass.NOT_CHECKED,
            30,
            reason="HTTP 502 from Gcore: Bad Gateway (request id 7f3a)",
        ),
        warnings=("the run's deadline passed: 1 function not checked",),
    )


def _many() -> GateRun:
    functions = [
        function(
            f"worker-{index}",
            GateClass.OVERWRITE,
            10 * index,
            *(
                value(
                    f"envs.VAR_{n}",
                    GateClass.OVERWRITE,
                    f"old-{n}",
                    f"hand-{n}",
                    f"old-{n}",
                    10 * index + n,
                )
                for n in range(1, 5)
            ),
        )
        for index in range(1, 4)
    ]
    unchecked = [
        function(f"flaky-{n}", GateClass.NOT_CHECKED, 50 + n, reason="HTTP 502")
        for n in range(1, 12)
    ]
    return run(ExitCode.INCOMPLETE, *functions, *unchecked)


GATE_CASES: dict[str, GateRun] = {
    "safe": run(
        ExitCode.IN_SYNC,
        function("orders", GateClass.DEPLOY, 6, value("timeout", GateClass.DEPLOY, 5, 5, 6, 7)),
        function(
            "hello",
            GateClass.ADOPTED,
            10,
            value("autoscaling.max_instances", GateClass.ADOPTED, 2, 5, 5, 11, 46),
        ),
        function("billing", GateClass.UNCHANGED, 14),
        function("resize", GateClass.CREATE, 18, in_base=False),
    ),
    "every_class": _every_class(),
    "sensitive": _sensitive(),
    "ignored": _ignored(),
    "not_checked": _not_checked(),
    "many": _many(),
    "empty": run(ExitCode.IN_SYNC),
}
