"""``--baseline FILE``: the JSON report of an earlier run, read back as the memory of tonight's.

A baseline is an input like a snapshot: restored from a CI cache or artifact that others can
write, so it is read with the same limits (``snapshot.json_file``) and checked against the
report's own schema before anything in it is believed. What it may be:

* absent: a first run (every finding is new; the caller warns once);
* a JSON report of a ``format_version`` this faasdrift reads, written by any version of it: one
  older than fingerprints holds none, and its findings are matched by their place alone;
* anything else is exit 2: not a regular file, too big or deep, not JSON, not a faasdrift
  report (a snapshot is named as one), a newer ``format_version``, a report that holds a
  fingerprint without its salt or one finding twice, or is dated nowhere.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from faasdrift.errors import UsageError
from faasdrift.model import (
    Baseline,
    ChangeKind,
    FindingKey,
    FindingKind,
    Fingerprint,
    FunctionId,
    Remembered,
    RunTotals,
)
from faasdrift.report.formats.json_memory import FUNCTION_KINDS
from faasdrift.report.formats.json_report import FORMAT_VERSION
from faasdrift.schemas import (
    TwoSpeedValidator,
    load_schema,
    strict_pattern_validator,
)
from faasdrift.snapshot.format import is_snapshot
from faasdrift.snapshot.json_file import read_json_file

# A report keeps 32 M characters of values, then cuts them: 10,000 functions fit well within.
MAX_BASELINE_BYTES = 256 * 1024 * 1024
MAX_BASELINE_VALUES = 5_000_000
READABLE_VERSIONS = (FORMAT_VERSION,)  # every format_version a faasdrift report ever had
REPORT_SCHEMA = "report.schema.json"
_KIND_BY_STATUS = {status.value: kind for status, kind in FUNCTION_KINDS.items()}


class BaselineError(UsageError):
    """The baseline cannot be read, or is not a faasdrift report this version reads."""


def load_baseline(path: Path) -> Baseline | None:
    """The baseline at ``path``, or None when there is no such file (a first run)."""
    if not os.path.lexists(path):
        return None
    if not path.exists():  # a symlink to nothing: a broken restore, not a first run
        raise BaselineError(
            f"cannot read --baseline {path}: a symlink to a file that does not exist"
        )
    data = read_json_file(
        path,
        what="--baseline",
        max_bytes=MAX_BASELINE_BYTES,
        max_values=MAX_BASELINE_VALUES,
        error=BaselineError,
    )
    return parse_baseline(data, path=str(path))


def parse_baseline(data: Any, *, path: str) -> Baseline:
    """A report's JSON data as a baseline; ``BaselineError`` saying why it is not one."""
    _refuse_foreign(data, path)
    generated_at = data["generated_at"]
    if generated_at is None:
        raise BaselineError(f"--baseline {path} has no generated_at: it is not a run's report")
    try:  # a date the schema's pattern let through may still be no date (2026-13-45)
        moment = _moment(generated_at)
        salt = data.get("salt")
        findings = [*_seen(data["functions"], moment.date()), *map(_carried, data.get("kept", []))]
        history = tuple(_run(entry) for entry in data.get("history", []))
    except ValueError as error:
        raise BaselineError(f"--baseline {path} was edited or is damaged: {error}") from None
    _refuse_damaged(findings, salt, path)
    return Baseline(
        path=path,
        generated_at=moment,
        source=data["source"],
        findings=tuple(findings),
        totals=_totals(data["totals"], moment),
        history=history,
        salt=bytes.fromhex(salt) if salt else None,
        base_url=data.get("base_url"),
    )


def _refuse_foreign(data: Any, path: str) -> None:
    if is_snapshot(data):
        raise BaselineError(
            f"--baseline {path} is a faasdrift snapshot, not a report (check --live reads "
            "snapshots; --baseline takes the JSON report of an earlier check)"
        )
    if isinstance(data, dict) and data.get("kind") == "gate":
        raise BaselineError(
            f"--baseline {path} is the report of a faasdrift gate, not of a check: --baseline "
            "takes the JSON report of an earlier check"
        )
    foreign = f"--baseline {path} is not a faasdrift JSON report"
    if not isinstance(data, dict) or not isinstance(data.get("tool"), dict):
        raise BaselineError(f"{foreign} (write one with --report json=PATH)")
    version = data.get("format_version")
    if data["tool"].get("name") == "faasdrift" and version not in READABLE_VERSIONS:
        raise BaselineError(
            f"--baseline {path} is a report of format_version {version!r}, which this faasdrift "
            f"does not read ({', '.join(READABLE_VERSIONS)}): upgrade faasdrift, or start again "
            "without that file"
        )
    error = next(iter(sorted(_validator().iter_errors(data), key=lambda e: list(e.path))), None)
    if error is not None:
        where = ".".join(str(part) for part in error.absolute_path) or "the document"
        raise BaselineError(f"{foreign}: {where}: {error.message}"[:500])


@cache
def _validator() -> TwoSpeedValidator:
    # A nightly report of 10,000 functions took jsonschema 5.5 s to find valid: the compiled
    # validator decides "valid", jsonschema still words the error of an invalid one. Its $refs
    # all point into its own $defs, which the compiled validator resolves by itself.
    schema = load_schema(REPORT_SCHEMA)
    return TwoSpeedValidator(schema, lambda: strict_pattern_validator()(schema))


def _refuse_damaged(findings: list[Remembered], salt: str | None, path: str) -> None:
    damaged = f"--baseline {path} was edited or is damaged"
    if salt is None and any(finding.fingerprint for finding in findings):
        raise BaselineError(f"{damaged}: it holds fingerprints but no salt")
    seen: set[FindingKey] = set()
    for finding in findings:
        if finding.key in seen:
            identity, where = finding.key.identity, finding.key.path or "the function"
            raise BaselineError(
                f"{damaged}: it holds one finding twice ({identity.label} in project "
                f"{identity.project_id}, region {identity.region_id}: {where})"
            )
        seen.add(finding.key)


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _day(text: str | None, default: date) -> date:
    return date.fromisoformat(text) if text else default


def _identity(entry: Mapping[str, Any]) -> FunctionId:
    return FunctionId(entry["project_id"], entry["region_id"], entry["namespace"], entry["name"])


def _seen(functions: list[Mapping[str, Any]], day: date) -> Iterator[Remembered]:
    """The findings a report saw: its functions' own, and their changes; a report written
    without --baseline dates them all to its own day."""
    for entry in functions:
        identity = _identity(entry)
        kind = _KIND_BY_STATUS.get(entry["status"])
        if kind is not None:
            yield _remembered(FindingKey(kind, identity), entry, day)
        for change in entry["changes"]:
            key = FindingKey(FindingKind.VALUE, identity, change["path"])
            yield _remembered(key, change, day, ChangeKind(change["kind"]))


def _remembered(
    key: FindingKey, entry: Mapping[str, Any], day: date, change_kind: ChangeKind | None = None
) -> Remembered:
    first_seen = _day(entry.get("first_seen"), day)
    return Remembered(
        key=key,
        fingerprint=_fingerprint(entry.get("fingerprint")),
        first_seen=first_seen,
        value_since=_day(entry.get("value_since"), first_seen),
        sensitive=bool(entry.get("sensitive", False)),
        change_kind=change_kind,
    )


def _carried(entry: Mapping[str, Any]) -> Remembered:
    key = FindingKey(FindingKind(entry["finding"]), _identity(entry), entry["path"] or "")
    return Remembered(
        key=key,
        fingerprint=_fingerprint(entry["fingerprint"]),
        first_seen=date.fromisoformat(entry["first_seen"]),
        value_since=date.fromisoformat(entry["value_since"]),
        sensitive=entry["sensitive"],
        change_kind=ChangeKind(entry["kind"]) if entry["kind"] else None,
    )


def _fingerprint(text: str | None) -> Fingerprint | None:
    return Fingerprint(bytes.fromhex(text)) if text else None


def _totals(totals: Mapping[str, Any], moment: datetime) -> RunTotals:
    findings = totals.get("findings") or {}
    return RunTotals(
        generated_at=moment,
        in_sync=totals["in_sync"],
        drifted=totals["drifted"],
        missing=totals["missing"],
        not_checked=totals["not_checked"],
        unmanaged=totals.get("unmanaged", 0),
        new=findings.get("new"),
        changed=findings.get("changed"),
        known=findings.get("known"),
        resolved=findings.get("resolved"),
    )


def _run(entry: Mapping[str, Any]) -> RunTotals:
    counts = ("in_sync", "drifted", "missing", "not_checked", "unmanaged")
    counted = ("new", "changed", "known", "resolved")
    return RunTotals(
        _moment(entry["generated_at"]),
        *(int(entry[name]) for name in counts),
        *(entry[name] for name in counted),
    )
