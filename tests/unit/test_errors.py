"""Problems render as exactly one printable line, whatever the desired file held."""

from __future__ import annotations

from faasdrift.model import Position, Problem


def test_a_problem_is_file_line_column_path_message() -> None:
    problem = Problem("d.yaml", Position(3, 5), "functions[0].timeout", "too big")
    assert str(problem) == "d.yaml:3:5: functions[0].timeout: too big"


def test_without_position_or_path() -> None:
    assert str(Problem("d.yaml", None, "", "does not exist")) == "d.yaml: does not exist"


def test_unicode_stays_as_written() -> None:
    problem = Problem("d.yaml", Position(1, 1), "envs.GRÜSSE", "'日本 ✓' is bad")
    assert str(problem) == "d.yaml:1:1: envs.GRÜSSE: '日本 ✓' is bad"


def test_line_breaks_and_terminal_escapes_are_shown_escaped() -> None:
    # A key from a pull request must not start a CI log line of its own ("::error::...").
    problem = Problem("d.yaml", Position(2, 1), "a\n::error::x", "bad \x1b[31m\r\u2028\u202e\t")
    assert str(problem) == "d.yaml:2:1: a\\n::error::x: bad \\x1b[31m\\r\\u2028\\u202e\\t"
    assert str(problem).isprintable()
