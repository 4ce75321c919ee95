"""The progress line: only on a terminal, only after a second, erased at the end."""

from __future__ import annotations

import io

from faasdrift.cli.progress import ProgressLine


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_silent_when_stderr_is_not_a_terminal() -> None:
    stream, clock = io.StringIO(), Clock()
    with ProgressLine(stream, clock=clock) as progress:
        clock.now += 5
        progress(1, 2)
    assert stream.getvalue() == ""


def test_silent_during_the_first_second_then_drawn_in_place_and_erased() -> None:
    stream, clock = Terminal(), Clock()
    with ProgressLine(stream, clock=clock) as progress:
        progress(1, 500)
        assert stream.getvalue() == ""
        clock.now += 1.5
        progress(120, 500)
        progress(121, 500)  # too soon to redraw
        clock.now += 0.2
        progress(130, 500)
        progress(500, 500)  # the last one is always drawn
    assert stream.getvalue() == (
        "\r\x1b[Kchecked 120/500\r\x1b[Kchecked 130/500\r\x1b[Kchecked 500/500\r\x1b[K"
    )


def test_a_quick_check_leaves_no_trace_on_a_terminal() -> None:
    stream = Terminal()
    with ProgressLine(stream, clock=Clock()) as progress:
        progress(1, 1)
    assert stream.getvalue() == ""
