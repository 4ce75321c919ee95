"""What of an API key is redacted: the key, and the secret after its id in both of Gcore's forms."""

from __future__ import annotations

import pytest

from faasdrift.secrets import REDACTED, api_key_fragments, redact


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
