"""The run's one Secrets registry: what it holds (the API key in both of Gcore's forms), and how
it redacts data before it is encoded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import Enum
from urllib.parse import quote

import pytest

from faasdrift.model import Change, ChangeKind, Position
from faasdrift.secrets import REDACTED, Secrets, api_key_fragments, redact

PEM = "-----BEGIN KEY-----\nb3BlbnNzaC1rZXk,&<>\n-----END KEY-----"


def test_a_value_and_each_of_its_lines_are_secrets_but_short_ones_are_not() -> None:
    secrets = Secrets()
    secrets.add_value(PEM)
    secrets.add_value("on")
    assert PEM in secrets
    assert "b3BlbnNzaC1rZXk,&<>" in secrets  # a diff or a mask prints it line by line
    assert "on" not in secrets
    assert secrets.redact("line: b3BlbnNzaC1rZXk,&<> on") == f"line: {REDACTED} on"


def test_the_api_key_and_its_secret_part_are_secrets() -> None:
    secrets = Secrets()
    secrets.add_api_key(" 1234$abcdefsecret\n")
    assert set(secrets) == {"1234$abcdefsecret", "abcdefsecret"}
    assert secrets.redact("APIKey 1234$abcdefsecret") == f"APIKey {REDACTED}"


def test_the_longest_secret_is_replaced_first() -> None:
    secrets = Secrets()
    secrets.add_value("abcd")
    secrets.add_value("abcdefgh")
    assert secrets.redact("abcdefgh abcd") == f"{REDACTED} {REDACTED}"


class Kind(Enum):
    SECRET_NAME = "name-that-is-abcd"  # an enum's value is a fixed name, never data


@dataclass(frozen=True)
class Holder:
    text: str
    values: tuple[object, ...]
    day: date
    kind: Kind


def test_data_is_redacted_however_deep_keys_included_before_any_encoding() -> None:
    secrets = Secrets()
    secret = 'Can,ary&<"%:\n\x1b'
    secrets.add_value(secret)
    change = Change("envs", ChangeKind.CHANGED, {secret: [secret]}, {"k": secret}, Position(1, 2))
    holder = Holder(f"a {secret}", (change, [secret], {secret}), date(2027, 1, 1), Kind.SECRET_NAME)
    redacted = secrets.redact_data(holder)
    assert redacted.text == f"a {REDACTED}"
    assert redacted.values[0] == Change(
        "envs", ChangeKind.CHANGED, {REDACTED: [REDACTED]}, {"k": REDACTED}, Position(1, 2)
    )
    assert redacted.values[1:] == ([REDACTED], {REDACTED})
    assert (redacted.day, redacted.kind) == (date(2027, 1, 1), Kind.SECRET_NAME)
    # Encoded after redaction, no form of the secret survives; encoded before, every form would.
    for encode in (json.dumps, quote, repr):
        assert "Can" not in encode(redacted.text)
        assert secrets.redact(encode(holder.text)) != encode(redacted.text)


def test_data_without_any_secret_is_returned_as_it_is() -> None:
    holder = Holder("x", (), date(2027, 1, 1), Kind.SECRET_NAME)
    assert Secrets().redact_data(holder) is holder
    secrets = Secrets()
    secrets.add_value("unrelated")
    assert secrets.redact_data(holder) is holder  # nothing changed: not even rebuilt


@pytest.mark.parametrize(
    ("key", "fragments"),
    [
        ("29841$c767d6a0b1f2", ("29841$c767d6a0b1f2", "c767d6a0b1f2")),
        ("29841_c767d6a0b1f2", ("29841_c767d6a0b1f2", "c767d6a0b1f2")),  # as Gcore shows it now
        ("29841_c767$d6a0_b1", ("29841_c767$d6a0_b1", "c767$d6a0_b1")),  # the first separator
        ("29841$abc", ("29841$abc",)),  # too short to replace everywhere: only the whole key
        ("plainkeywithoutid", ("plainkeywithoutid",)),
    ],
)
def test_the_secret_part_of_either_form_is_a_fragment(key: str, fragments: tuple[str, ...]) -> None:
    assert api_key_fragments(key) == fragments


@pytest.mark.parametrize("separator", ["$", "_"])
def test_a_message_showing_the_id_shows_only_the_id(separator: str) -> None:
    key = f"29841{separator}c767d6a0b1f2e3"
    for echoed in (f"Bad permanent token: {key}", "secret c767d6a0b1f2e3 was refused"):
        shown = redact(echoed, api_key_fragments(key))
        assert "c767" not in shown
        assert REDACTED in shown
    assert redact("Bad permanent token: 29841", api_key_fragments(key)) == (
        "Bad permanent token: 29841"
    )


@pytest.mark.parametrize("separator", ["$", "_"])
def test_the_registry_learns_the_secret_part_of_either_form(separator: str) -> None:
    secrets = Secrets()
    secrets.add_api_key(f"29841{separator}c767d6a0b1f2e3")
    assert secrets.redact("Bad permanent token: 29841, secret c767d6a0b1f2e3") == (
        f"Bad permanent token: 29841, secret {REDACTED}"
    )


def test_a_document_is_redacted_again_only_for_the_api_keys_long_fragments() -> None:
    secrets = Secrets()
    secrets.add_api_key("29841$c767d6a0b1f2a3c4d5e6")
    secrets.add_value("null")  # a value from the environment that is a JSON literal too
    document = (
        '{"reason": null, "echo": "29841$c767d6a0b1f2a3c4d5e6", "alone": "c767d6a0b1f2a3c4d5e6"}'
    )

    assert secrets.redact_document(document) == (
        f'{{"reason": null, "echo": "{REDACTED}", "alone": "{REDACTED}"}}'
    )
    # A line of a diagnostic is still redacted for every secret: it has no syntax to keep.
    assert secrets.redact("reason: null") == f"reason: {REDACTED}"


def test_a_short_key_registered_anyway_never_rewrites_a_document() -> None:
    secrets = Secrets()
    secrets.add_api_key("test")  # the CLI refuses it; a library caller might not
    assert secrets.redact_document("<testsuites/>") == "<testsuites/>"
