"""The nightly audit's memory: tonight's findings compared with a baseline (an earlier report).

* ``known``: the baseline holds the same fingerprint; it keeps the baseline's ``first_seen``
  and ``value_since``.
* ``changed``: the baseline holds the same kind, function and path with another live value; it
  keeps the path's ``first_seen``, and its value is new tonight (``value_since``).
* ``new``: neither; first seen tonight.

A finding of the baseline that tonight did not see is *resolved* only when tonight's run could
have seen it: its function was checked (in sync, drifted, or missing: Gcore said so), or it is
declared no more; for an unmanaged function, its namespace was listed whole for ``--unmanaged``
(or it is declared now). Otherwise it is *kept*, unchanged, for the next run: a function that
could not be checked, or that ``--only``/``--exclude`` left out, proves nothing.

A report older than fingerprints holds none: its findings are matched by kind, function and
path alone (known, never changed; there is no telling, that first night). Ages are whole UTC
days from ``first_seen`` to the run's day. Pure: the caller gives the clock, salt and secrets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from faasdrift.errors import UsageError
from faasdrift.judge.fingerprints import HoldsSecret, findings_of
from faasdrift.judge.scope import Scope
from faasdrift.model import (
    HISTORY_LIMIT,
    Baseline,
    BaselineStatus,
    BaselineUsed,
    Carried,
    DriftResult,
    Finding,
    FindingKey,
    FindingKind,
    Fingerprint,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    Memory,
    NamespaceKey,
    Remembered,
)

NOT_CHECKED_TONIGHT = "its function could not be checked tonight"
OUT_OF_SCOPE = "its function is outside this run's --only/--exclude"
NOT_LISTED = "unmanaged functions were not looked for in its namespace tonight"


class BaselineMismatchError(UsageError):
    """The baseline is a report of another API: comparing with it would mean nothing."""


@dataclass(frozen=True)
class Recall:
    """What tonight's run brings to its memory besides its result."""

    salt: bytes
    today: date
    holds_secret: HoldsSecret
    used: BaselineUsed | None = None  # None: no --baseline
    baseline: Baseline | None = None  # None with ``used``: a first run (no file yet)
    declared: frozenset[FunctionId] = frozenset()  # every declared function, selected or not
    scope: Scope = dataclasses.field(default_factory=Scope)
    listed: frozenset[NamespaceKey] = frozenset()  # listed whole for --unmanaged tonight
    fail_on_age: int | None = None
    base_url: str | None = None
    warnings: tuple[str, ...] = ()  # about the baseline: a first run, another file checked


def remember(result: DriftResult, recall: Recall) -> Memory:
    """The run's memory: its findings, and what the baseline's became."""
    found, ignored = findings_of(result, recall.salt, recall.holds_secret, recall.today)
    memory = Memory(
        recall.salt,
        tuple(found),
        ignored,
        recall.used,
        base_url=recall.base_url,
        today=recall.today,
    )
    baseline = recall.baseline
    if recall.used is None or baseline is None:
        return memory
    by_print = {old.fingerprint: old for old in baseline.findings if old.fingerprint}
    by_key = {old.key: old for old in baseline.findings}
    compared = tuple(_compared(finding, by_print, by_key, memory, recall) for finding in found)
    seen = {finding.key for finding in found}
    functions = {function.identity: function for function in result.functions}
    resolved: list[Carried] = []
    kept: list[Carried] = []
    for old in baseline.findings:
        if old.key not in seen:
            reason, keep = _fate(old, functions.get(old.key.identity), recall)
            (kept if keep else resolved).append(Carried(old, reason))
    history = (*baseline.history, baseline.totals)[-HISTORY_LIMIT:]
    return dataclasses.replace(
        memory, findings=compared, resolved=tuple(resolved), kept=tuple(kept), history=history
    )


def _compared(
    finding: Finding,
    by_print: Mapping[Fingerprint, Remembered],
    by_key: Mapping[FindingKey, Remembered],
    memory: Memory,
    recall: Recall,
) -> Finding:
    same = by_print.get(finding.fingerprint)
    at = same if same is not None and same.key == finding.key else by_key.get(finding.key)
    if at is None:
        return finding
    if at.fingerprint is None or at.fingerprint == finding.fingerprint:
        status, since = BaselineStatus.KNOWN, at.value_since
    else:
        status, since = BaselineStatus.CHANGED, recall.today
    limit = recall.fail_on_age
    overdue = status is BaselineStatus.KNOWN and limit is not None
    overdue = overdue and memory.age(at.first_seen) > (limit or 0)
    return dataclasses.replace(
        finding, status=status, first_seen=at.first_seen, value_since=since, overdue=overdue
    )


def _fate(old: Remembered, function: FunctionResult | None, recall: Recall) -> tuple[str, bool]:
    """Why a finding the run did not see is resolved, or kept (True) for the next run."""
    identity = old.key.identity
    declared = identity in recall.declared
    if old.key.kind is FindingKind.UNMANAGED:
        return _unmanaged_fate(identity, declared, recall)
    if function is None and declared:
        return OUT_OF_SCOPE, True
    if function is None or function.status is FunctionStatus.UNMANAGED:
        return "no longer declared", False
    if function.status is FunctionStatus.NOT_CHECKED:
        return NOT_CHECKED_TONIGHT, True
    return _gone(old, function), False


def _unmanaged_fate(identity: FunctionId, declared: bool, recall: Recall) -> tuple[str, bool]:
    if declared:
        return "declared now", False
    if identity.namespace_key in recall.listed and recall.scope.selects(identity):
        return "no longer live", False
    return NOT_LISTED, True


def _gone(old: Remembered, function: FunctionResult) -> str:
    """Why a finding of a function checked tonight is gone."""
    if old.key.kind is FindingKind.MISSING:
        return "the function exists"
    if old.key.kind is FindingKind.NOT_CHECKED:
        return "checked again"
    if function.status is FunctionStatus.MISSING:
        return "the function is missing"
    if any(item.change.path == old.key.path for item in function.ignored):
        return "an ignore rule accepts it now"
    return "no longer differs"


def check_baseline(
    baseline: Baseline, *, base_url: str | None, source: str, now: datetime
) -> tuple[str, ...]:
    """Warnings about the baseline; ``BaselineMismatchError`` (exit 2, before any request) when
    it is a report of another API, whose findings say nothing of this one."""
    where = baseline.path
    if base_url and baseline.base_url and base_url != baseline.base_url:
        raise BaselineMismatchError(
            f"--baseline {where} is a report of {baseline.base_url}, but this run asks "
            f"{base_url}: its findings say nothing of this API (use a report of this API, or "
            "start again without that file)"
        )
    warnings = []
    if baseline.source != source:
        warnings.append(
            f"--baseline {where} checked {baseline.source!r}, this run checks {source!r}: "
            "findings are matched by function, whatever file declares them"
        )
    if baseline.generated_at > now:
        warnings.append(
            f"--baseline {where} was written after this run started "
            f"({baseline.generated_at:%Y-%m-%d %H:%M} UTC): ages are counted to today"
        )
    return tuple(warnings)
