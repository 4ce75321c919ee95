"""Untrusted text on one line that cannot act as a CI workflow command."""

from __future__ import annotations

import pytest

from faasdrift.model import Position, Problem
from faasdrift.text import line_safe, printable, shown_path


def test_printable_spells_out_controls_and_lone_surrogates() -> None:
    assert printable("a\nb\x1b[31m\u2028\ud800\tc") == "a\\nb\\x1b[31m\\u2028\\ud800\tc"
    assert printable("a\tb", keep_tabs=False) == "a\\tb"
    assert printable("plain ü") == "plain ü"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("::error title=Deploy OK::x.yaml", "./::error title=Deploy OK::x.yaml"),
        ("  ::add-mask::x.yaml", "./  ::add-mask::x.yaml"),
        ("a##[error]b.yaml", "a##\\[error]b.yaml"),  # the runner's legacy form acts anywhere
        ("dir/::x.yaml", "dir/::x.yaml"),  # a command only at the start of a line
        ("new\nline.yaml", "new\\nline.yaml"),
    ],
)
def test_a_file_name_never_starts_a_command(name: str, shown: str) -> None:
    assert shown_path(name) == shown


def test_a_diagnostic_line_holds_no_command() -> None:
    assert line_safe("::error::forged") == "\\::error::forged"
    assert (
        line_safe("faasdrift: reason ##[add-mask]x\x1b") == "faasdrift: reason ##\\[add-mask]x\\x1b"
    )


def test_a_problem_in_a_file_named_like_a_command_is_not_one() -> None:
    problem = Problem("::error title=OK::d.yaml", Position(1, 2), "a", "##[warning]x\ny")
    assert str(problem) == "./::error title=OK::d.yaml:1:2: a: ##\\[warning]x\\ny"
