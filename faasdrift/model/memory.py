"""Memory between runs: findings, their fingerprints, and what a baseline says of them.

A *finding* is one drifted value (a function and a path), one missing function, one unmanaged
function or one function that could not be checked. Each has a ``Fingerprint``: a digest of its
kind, the function's identity, the path and the live value, so the same live value is the same
finding from one run to the next, and a new live value is a new one. ``judge.fingerprints``
computes them, ``judge.memory`` compares them with a baseline (the JSON report of an earlier
run): ``new``, ``known``, ``changed``, and the baseline's findings that are ``resolved`` or
``kept`` (not looked at tonight, so neither resolved nor seen).

Digests, the salt and dates are bytes and dates here, never text: the run is redacted as data
before it is rendered, and a short secret could otherwise spell a piece of a digest and change it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from enum import Enum
from functools import cached_property

from faasdrift.model.change_kind import ChangeKind
from faasdrift.model.desired import FunctionId

HISTORY_LIMIT = 90  # earlier runs a report carries forward


class FindingKind(Enum):
    VALUE = "value"  # one drifted value: a function and a path
    MISSING = "missing"
    UNMANAGED = "unmanaged"
    NOT_CHECKED = "not_checked"


class BaselineStatus(Enum):
    """How a finding of tonight compares with the baseline."""

    NEW = "new"  # not in the baseline
    CHANGED = "changed"  # the same function and path, another live value
    KNOWN = "known"  # the same fingerprint


@dataclass(frozen=True)
class Fingerprint:
    """A finding's digest (SHA-256, or HMAC-SHA-256 keyed by the salt for a sensitive value)."""

    digest: bytes

    @property
    def hex(self) -> str:
        return self.digest.hex()

    def __str__(self) -> str:
        return self.hex


@dataclass(frozen=True)
class FindingKey:
    """Where a finding is: its kind, its function, and for a value its dotted path ("" else)."""

    kind: FindingKind
    identity: FunctionId
    path: str = ""


@dataclass(frozen=True)
class Finding:
    """A finding of this run, and how it compares with the baseline (``NEW`` without one).

    ``first_seen`` is the first run (UTC day) a baseline saw drift at this place; ``value_since``
    the first that saw this live value there. ``overdue``: known, and older than --fail-on-age.
    """

    key: FindingKey
    fingerprint: Fingerprint
    first_seen: date
    value_since: date
    status: BaselineStatus = BaselineStatus.NEW
    sensitive: bool = False  # the digest is keyed by the salt
    change_kind: ChangeKind | None = None  # a value's: changed, added or removed
    overdue: bool = False


@dataclass(frozen=True)
class Remembered:
    """A finding as a baseline holds it. ``fingerprint`` is None in a report written before
    fingerprints were: then it is matched by its key alone."""

    key: FindingKey
    fingerprint: Fingerprint | None
    first_seen: date
    value_since: date
    sensitive: bool = False
    change_kind: ChangeKind | None = None


@dataclass(frozen=True)
class Carried:
    """A finding of the baseline that tonight's run says something of without seeing it:
    resolved (its function was checked and the finding is gone), or kept (it was not looked at:
    the function could not be checked, or lies outside the run's scope)."""

    finding: Remembered
    reason: str  # "no longer differs", "the function could not be checked tonight", ...


@dataclass(frozen=True)
class RunTotals:
    """One run's counts, as the history of later reports carries them. The finding counts are
    None for a run that had no baseline."""

    generated_at: datetime
    in_sync: int = 0
    drifted: int = 0
    missing: int = 0
    not_checked: int = 0
    unmanaged: int = 0
    new: int | None = None
    changed: int | None = None
    known: int | None = None
    resolved: int | None = None


@dataclass(frozen=True)
class Baseline:
    """What the JSON report of an earlier run remembers."""

    path: str  # as given to --baseline
    generated_at: datetime
    source: str  # the desired files it checked
    findings: tuple[Remembered, ...]  # the ones it saw, and the ones it kept
    totals: RunTotals
    history: tuple[RunTotals, ...] = ()
    salt: bytes | None = None  # None: an older report, which holds no fingerprint
    base_url: str | None = None  # None: an older report, which does not say


@dataclass(frozen=True)
class BaselineUsed:
    """The baseline a run compared with; ``generated_at`` None: the file did not exist yet
    (a first run: every finding is new)."""

    path: str
    generated_at: datetime | None = None
    source: str | None = None

    @property
    def day(self) -> date | None:
        return self.generated_at.date() if self.generated_at else None


@dataclass(frozen=True)
class Memory:
    """What a run remembers: its findings with their fingerprints and, with --baseline, how they
    compare with it, what it resolved and kept, and the totals of the runs before."""

    salt: bytes
    findings: tuple[Finding, ...]
    ignored: Mapping[FindingKey, Fingerprint] = field(default_factory=dict)  # accepted by rules
    baseline: BaselineUsed | None = None  # None: no --baseline
    resolved: tuple[Carried, ...] = ()
    kept: tuple[Carried, ...] = ()
    history: tuple[RunTotals, ...] = ()  # earlier runs, oldest first, at most HISTORY_LIMIT
    base_url: str | None = None  # the API the run asked (or its snapshot was taken from)
    today: date | None = None  # the run's UTC day, ages are counted to it

    @cached_property
    def _by_key(self) -> dict[FindingKey, Finding]:
        return {finding.key: finding for finding in self.findings}

    @cached_property
    def _by_function(self) -> dict[FunctionId, list[Finding]]:
        grouped: dict[FunctionId, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.key.identity, []).append(finding)
        return grouped

    def finding(self, key: FindingKey) -> Finding | None:
        return self._by_key.get(key)

    def of_function(self, identity: FunctionId) -> list[Finding]:
        return self._by_function.get(identity, [])

    def state_of(self, identity: FunctionId) -> BaselineStatus | None:
        """A function's place against the baseline: its newest finding's (new, then changed,
        then known); None when it has no finding or the run had no baseline."""
        if self.baseline is None:
            return None
        statuses = {finding.status for finding in self.of_function(identity)}
        return next((status for status in BaselineStatus if status in statuses), None)

    def count(self, status: BaselineStatus) -> int:
        return sum(1 for finding in self.findings if finding.status is status)

    def fingerprint(self, key: FindingKey) -> Fingerprint | None:
        """A finding's fingerprint, or an ignored difference's (SARIF marks both)."""
        found = self._by_key.get(key)
        return found.fingerprint if found is not None else self.ignored.get(key)

    def kept_of(self, identity: FunctionId) -> Iterator[Carried]:
        return (item for item in self.kept if item.finding.key.identity == identity)

    def age(self, day: date) -> int:
        """Whole UTC days from ``day`` to the run's day, never negative."""
        return max(0, ((self.today or day) - day).days)

    def tokens(self) -> frozenset[str]:
        """Texts a report spells from this memory that no redaction may touch: digests, the
        salt and dates. A short secret could spell a piece of one by chance, and none of them
        holds anything of a secret (each sensitive digest is keyed by the salt)."""
        prints: list[Fingerprint | None] = [finding.fingerprint for finding in self.findings]
        prints += [item.finding.fingerprint for item in (*self.resolved, *self.kept)]
        texts = {fp.hex for fp in (*prints, *self.ignored.values()) if fp is not None}
        days = [day for finding in self.findings for day in _days(finding)]
        days += [d for item in (*self.resolved, *self.kept) for d in _days(item.finding)]
        moments = [totals.generated_at for totals in self.history]
        if self.baseline is not None and self.baseline.generated_at is not None:
            moments.append(self.baseline.generated_at)
        texts |= {day.isoformat() for day in (*days, *(moment.date() for moment in moments))}
        return frozenset({self.salt.hex(), *texts, *map(utc_text, moments)})


def _days(finding: Finding | Remembered) -> tuple[date, date]:
    return finding.first_seen, finding.value_since


def utc_text(moment: datetime) -> str:
    """``2026-11-30T05:17:03Z``: how every report writes a moment."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
