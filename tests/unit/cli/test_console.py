"""The console redacts the API key from everything it writes."""

from __future__ import annotations

import io

from faasdrift.cli.console import Console
from faasdrift.secrets import REDACTED


def test_key_and_its_secret_part_are_redacted_on_both_streams() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    console = Console(stdout=stdout, stderr=stderr)
    console.add_secret("1234$abcdefsecret")
    console.out("header APIKey 1234$abcdefsecret\n")
    console.err("token abcdefsecret leaked")
    assert stdout.getvalue() == f"header APIKey {REDACTED}\n"
    assert stderr.getvalue() == f"token {REDACTED} leaked\n"


def test_short_fragments_are_not_redacted_everywhere() -> None:
    console = Console(stdout=io.StringIO(), stderr=io.StringIO())
    console.add_secret("1$ab")
    assert console.redact("a table, a cab, 1$ab") == f"a table, a cab, {REDACTED}"


def test_the_console_redacts_values_of_four_characters_or_more() -> None:
    stderr = io.StringIO()
    console = Console(stdout=io.StringIO(), stderr=stderr)
    console.add_secret_value("on")
    console.add_secret_value("s3cret-in-description")
    console.err("on: s3cret-in-description")
    assert stderr.getvalue() == "on: ***\n"
