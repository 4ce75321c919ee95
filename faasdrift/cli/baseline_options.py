"""The nightly audit's options of ``check``: ``--baseline``, ``--fail-on-age`` and the clock.

``--now`` (or ``FAASDRIFT_NOW``) sets the run's clock: the report's ``generated_at``, the day
ages and ignore rules are judged by. Hidden from ``--help``: it is for tests and demos, which
must pin "tonight"; a CI job never needs it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click

from faasdrift.cli.options import opt

NOW_ENV = "FAASDRIFT_NOW"


def parse_now(_ctx: click.Context, _param: click.Parameter, value: str | None) -> object:
    """``2026-11-30T05:17:03Z`` or ``2026-11-30`` (midnight UTC) -> an aware datetime."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a time: use 2026-11-30T05:17:03Z", param_hint="'--now'"
        ) from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


BASELINE_OPTIONS = (
    opt(
        "--baseline",
        type=click.Path(path_type=Path, dir_okay=False),
        metavar="REPORT.json",
        help="Compare with the JSON report of an earlier run (--report json=...): only new and "
        "changed findings count for --fail-on; known ones show their age. A missing file is a "
        "first run.",
    ),
    opt(
        "--fail-on-age",
        group="judging",
        type=click.IntRange(min=0),
        metavar="DAYS",
        help="With --baseline: a known finding first seen more than DAYS days ago counts again.",
    ),
    opt("--now", group="judging", envvar=NOW_ENV, hidden=True, callback=parse_now),
)
