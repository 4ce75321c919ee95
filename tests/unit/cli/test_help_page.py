"""The stored help page (``faasdrift/cli/help_page.py``) is click's rendering, and ``entry``
answers from it only where click renders that page: the width computed exactly as click does.
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import shutil
import signal
import struct
import subprocess
import sys
import termios
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from faasdrift.cli import entry, help_page
from faasdrift.cli import main as cli_main
from tests.support import PROJECT, project_script

tool = project_script("tools/help_page.py")


def test_the_stored_page_is_clicks_rendering() -> None:
    width, page = tool.rendered()
    assert (width, page) == (help_page.WIDTH, help_page.PAGE)
    assert not tool.stale(PROJECT)
    assert width == 78  # click 8's width for 80 columns and more: the comparison below needs it


def test_a_stale_page_is_caught_and_rewritten(tmp_path: Path) -> None:
    stored = tmp_path / tool.PAGE_MODULE
    stored.parent.mkdir(parents=True)
    shutil.copy(PROJECT / tool.PAGE_MODULE, stored)
    assert not tool.stale(tmp_path)
    stored.write_text(stored.read_text().replace("Show tracebacks", "Show the tracebacks"))
    assert tool.stale(tmp_path)
    assert tool.stale(tmp_path, write=True)
    assert stored.read_text() == (PROJECT / tool.PAGE_MODULE).read_text()
    check = [sys.executable, str(PROJECT / "tools/help_page.py"), "--check"]
    assert subprocess.run(check, check=False, capture_output=True).returncode == 0


@pytest.fixture
def sigterm_kept() -> Iterator[None]:
    """The full path installs its SIGTERM handler: this test process keeps its own."""
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)


@pytest.mark.usefixtures("sigterm_kept")
# At 79 columns click happens to print the same page (no line of it needs the 78th column),
# through click: entry answers only where it knows click's width.
@pytest.mark.parametrize(("columns", "same_page"), [("60", False), ("79", True), ("80", True)])
@pytest.mark.parametrize("option", ["--help", "-h"])
def test_in_process_the_answer_is_the_full_paths(
    columns: str,
    same_page: bool,
    option: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("_FAASDRIFT_COMPLETE", raising=False)
    printed = {}
    for main in (cli_main.main, entry.main):
        with pytest.raises(SystemExit) as exited:
            main([option])
        assert exited.value.code == 0
        printed[main] = capsys.readouterr()
    assert printed[entry.main] == printed[cli_main.main]
    assert (printed[entry.main].out == help_page.PAGE) == same_page


@pytest.mark.parametrize(
    "columns", [None, "", "0", "-1", "1", "79", "80", " 120 ", "1_000", "+90", "x", "8e1"]
)
@pytest.mark.parametrize("lines", [None, "0", "30"])
@pytest.mark.parametrize(
    "stdout", ["terminal of 100", "terminal of 0", "pipe", "closed", "none", "no fileno"]
)
def test_the_columns_are_shutils(
    columns: str | None, lines: str | None, stdout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in (("COLUMNS", columns), ("LINES", lines)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    with standard_output(stdout) as stream:
        monkeypatch.setattr(sys, "__stdout__", stream)
        assert entry.terminal_columns() == shutil.get_terminal_size().columns
        if (stdout, columns) == ("terminal of 100", None):
            assert entry.terminal_columns() == 100  # the terminal is really asked


@contextmanager
def standard_output(kind: str) -> Iterator[object]:
    """What ``sys.__stdout__`` can be: a terminal, a pipe, closed, None, not a file."""
    if kind.startswith("terminal of "):
        controller, program = terminal(int(kind.removeprefix("terminal of ")))
        try:  # open while it is asked: a terminal whose controller is gone has no size
            with open(program, "w") as stream:
                yield stream
        finally:
            os.close(controller)
    elif kind in ("pipe", "closed"):
        read_end, write_end = os.pipe()
        os.close(read_end)
        with open(write_end, "w") as stream:
            if kind == "closed":
                stream.close()
            yield stream
    else:
        yield None if kind == "none" else io.StringIO()


def terminal(columns: int) -> tuple[int, int]:
    """A pseudo-terminal of ``columns`` columns: (its controlling side, the program's side)."""
    controller, program = pty.openpty()
    fcntl.ioctl(program, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    return controller, program


def on_terminal(columns: int, module: str, option: str) -> tuple[int, bytes, str]:
    """``module``'s main run on a terminal of ``columns``: exit code, what the terminal got,
    stderr (with whether click was imported)."""
    controller, program = terminal(columns)
    script = f"from faasdrift.cli.{module} import main; main()"
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('click' in sys.modules, file=sys.stderr))\n"
    )
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("COLUMNS", "_FAASDRIFT_COMPLETE")
    }
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe + script, option],
            stdout=program,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
            timeout=60,
        )
    finally:
        os.close(program)
    shown = b""
    try:
        while chunk := os.read(controller, 65536):
            shown += chunk
    except OSError:  # EIO: the program's side is closed, everything was read
        pass
    finally:
        os.close(controller)
    return done.returncode, shown, done.stderr.decode()


@pytest.mark.parametrize("columns", [60, 79, 80, 132])
def test_on_a_real_terminal_the_answer_is_the_full_paths(columns: int) -> None:
    stored = columns >= 80
    for option in ("--help", "-h"):
        full = on_terminal(columns, "main", option)
        answered = on_terminal(columns, "entry", option)
        assert full[:2] == answered[:2]
        assert full[0] == 0
        assert full[1].startswith(b"Usage: faasdrift [OPTIONS]")
        assert (full[2], answered[2]) == ("True\n", "False\n" if stored else "True\n")
        # The terminal shows each line ending as \r\n.
        assert (full[1] == help_page.PAGE.replace("\n", "\r\n").encode()) == (columns != 60)
