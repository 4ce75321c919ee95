"""Fingerprints: stable across runs, file order, positions and formats; new with a new live value;
a sensitive value's digest keyed by the salt, and no redaction can alter one."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import date

from faasdrift.judge.fingerprints import canonical, findings_of, fingerprint
from faasdrift.model import (
    ChangeKind,
    DriftResult,
    FindingKey,
    FindingKind,
    FunctionResult,
    Position,
)
from faasdrift.report.formats import ReportOptions, build_reporter
from faasdrift.secrets import Secrets
from tests.unit.report.cases import CASES, SALT, change, drifted, holds_secret, identity

DAY = date(2026, 11, 20)
OTHER_SALT = bytes.fromhex("77" * 16)


def prints(*functions: FunctionResult, salt: bytes = SALT) -> dict[FindingKey, str]:
    found, _ignored = findings_of(DriftResult("d.yaml", functions), salt, holds_secret, DAY)
    return {finding.key: finding.fingerprint.hex for finding in found}


def hello(desired: object = 5, live: object = 10, line: int = 9, **kw: bool) -> FunctionResult:
    return drifted("hello", 6, change("timeout", ChangeKind.CHANGED, desired, live, line, **kw))


def test_the_same_live_value_is_the_same_fingerprint_on_every_run() -> None:
    assert prints(hello()) == prints(hello())
    assert prints(hello()) == prints(hello(), salt=OTHER_SALT)  # not sensitive: no salt in it


def test_file_order_positions_and_the_desired_side_do_not_count() -> None:
    orders = drifted("orders", 20, change("description", ChangeKind.CHANGED, "x", "y", 21))
    assert prints(hello(), orders) == prints(orders, hello())
    assert prints(hello()) == prints(hello(line=99))
    assert prints(hello()) == prints(hello(desired=7))  # a fix not deployed: the same drift


def test_a_new_live_value_is_a_new_fingerprint_and_numbers_compare_by_value() -> None:
    assert prints(hello()) != prints(hello(live=11))
    assert prints(hello()) == prints(hello(live=10.0))
    assert prints(hello(live="10")) != prints(hello())  # a string is another value


def test_kind_function_and_path_each_count() -> None:
    key = FindingKey(FindingKind.VALUE, identity("hello"), "timeout")
    base = fingerprint(key, ["live", 10])
    assert base != fingerprint(dataclasses.replace(key, path="memory"), ["live", 10])
    assert base != fingerprint(dataclasses.replace(key, identity=identity("hello", "dev")), 10)
    assert base != fingerprint(dataclasses.replace(key, kind=FindingKind.MISSING), ["live", 10])
    assert fingerprint(FindingKey(FindingKind.MISSING, identity("a"))) != fingerprint(
        FindingKey(FindingKind.NOT_CHECKED, identity("a"))
    )


def test_a_sensitive_value_is_keyed_by_the_salt_and_never_an_unsalted_digest() -> None:
    secret = hello(desired="old-Pa55word", live="new-Pa55word", sensitive=True)
    salted = prints(secret)
    assert salted == prints(secret)  # stable with the same salt, carried forward
    assert salted != prints(secret, salt=OTHER_SALT)
    key = next(iter(salted))
    unsalted = {
        hashlib.sha256(canonical(payload).encode()).hexdigest()
        for payload in (["live", "new-Pa55word"], "new-Pa55word")
    }
    assert salted[key] not in unsalted
    assert salted[key] != fingerprint(key, ["live", "new-Pa55word"]).hex
    assert prints(secret) != prints(hello(desired="x", live="other", sensitive=True))


def test_a_value_holding_a_run_secret_is_keyed_too() -> None:
    live = "postgres://app:live-dsn-secret@db/app"  # holds a ${VAR} value of the run
    found, _ = findings_of(DriftResult("d.yaml", (hello(live=live),)), SALT, holds_secret, DAY)
    assert found[0].sensitive
    assert found[0].fingerprint != fingerprint(found[0].key, ["live", live])


def test_every_format_carries_the_same_fingerprint() -> None:
    run = CASES["every_kind"]
    assert run.memory is not None
    expected = {finding.fingerprint.hex for finding in run.memory.findings}
    document = json.loads(build_reporter("json", ReportOptions()).render(run))
    in_json = {
        item["fingerprint"]
        for entry in document["functions"]
        for item in [entry, *entry["changes"]]
        if "fingerprint" in item
    }
    sarif = json.loads(build_reporter("sarif", ReportOptions()).render(run))
    in_sarif = {
        result["partialFingerprints"]["faasdrift/v2"] for result in sarif["runs"][0]["results"]
    }
    markdown = build_reporter("markdown", ReportOptions()).render(run)
    in_markdown = {
        part
        for match in re.finditer(r"fingerprints=([0-9a-f,]+)", markdown)
        for part in match.group(1).split(",")
    }
    assert expected == in_json == in_sarif == in_markdown


def test_a_short_hex_secret_cannot_cut_a_fingerprint_but_is_redacted_elsewhere() -> None:
    run = CASES["every_kind"]
    assert run.memory is not None
    digest = run.memory.findings[0].fingerprint.hex
    secrets = Secrets()
    secrets.add_value(digest[10:16])  # a secret of six hex digits that a digest spells
    text = f"{digest} and the secret {digest[10:16]} itself"

    redacted = secrets.redact(text, keep=run.own_tokens())

    assert redacted == f"{digest} and the secret *** itself"
    assert secrets.redact(text) != redacted  # without keep, the digest would be cut
    unknown = "f" * 64
    secrets.add_value("ffff")
    assert "ffff" not in secrets.redact(unknown, keep=run.own_tokens())  # not ours: redacted


def test_a_position_is_not_part_of_a_finding() -> None:
    moved = dataclasses.replace(hello(), position=Position(1, 1))
    assert prints(moved) == prints(hello())
