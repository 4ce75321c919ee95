"""What a check remembers from ``--baseline``: the earlier report, checked against this run.

Read before any request, so an unreadable or foreign baseline (exit 2) costs nothing. A missing
file is a first run: every finding is new, and the run says so once. The salt is the
baseline's, carried forward, so tonight's sensitive fingerprints compare with last night's; a
first run (or a baseline older than fingerprints) draws a new one.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from faasdrift.judge.memory import Recall, check_baseline
from faasdrift.judge.verdict import Judged, Judging, Prepared
from faasdrift.model import BaselineUsed
from faasdrift.report.baseline_file import load_baseline
from faasdrift.secrets import Secrets

SALT_BYTES = 16


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def recall_baseline(
    path: Path | None,
    secrets: Secrets,
    *,
    base_url: str | None,
    source: str,
    judging: Judging,
) -> Recall:
    """The memory a run starts from; ``BaselineError`` or ``BaselineMismatchError`` (exit 2)
    when the baseline cannot be used."""

    def holds_secret(text: str) -> bool:  # asked after the fetch, when the key is known too
        return secrets.redact(text) != text

    recall = Recall(new_salt(), judging.day(), holds_secret, base_url=base_url)
    if path is None:
        return recall
    used = BaselineUsed(str(path))
    baseline = load_baseline(path)
    if baseline is None:
        warning = f"--baseline {path} does not exist yet: a first run, every finding is new"
        return Recall(
            recall.salt, recall.today, holds_secret, used, base_url=base_url, warnings=(warning,)
        )
    warnings = check_baseline(baseline, base_url=base_url, source=source, now=judging.moment())
    used = BaselineUsed(str(path), baseline.generated_at, baseline.source)
    salt = baseline.salt or recall.salt
    return Recall(
        salt, recall.today, holds_secret, used, baseline, base_url=base_url, warnings=warnings
    )


def tonight(recall: Recall | None, prepared: Prepared, judged: Judged, judging: Judging) -> Recall:
    """``recall`` (or a memory without baseline or secrets) with what the run found out."""
    recall = recall or Recall(new_salt(), judging.day(), holds_secret=lambda _text: False)
    return dataclasses.replace(
        recall,
        today=judging.day(),
        declared=prepared.declared,
        scope=judging.scope,
        listed=judged.listed,
        fail_on_age=judging.fail_on_age,
    )
