"""How faasdrift shows text it does not control: on one line, and unable to act as a command.

Names, reasons from the API, env names, code lines and file names may hold a newline, a terminal
escape or a lone surrogate. Printed raw, a newline could start a line of its own, an escape could
repaint the terminal, and a lone surrogate cannot even be written as UTF-8: every such character
is spelled out instead.

A CI log is also a command channel. The GitHub Actions runner acts on a line that starts with
``::`` once leading spaces are trimmed (``::error::``, ``::add-mask::``), and on the legacy form
``##[command]`` *anywhere* in a line (``actions/runner``, ``ActionCommand.TryParse``). So a
diagnostic line never starts with ``::`` and never holds ``##[``.
"""

from __future__ import annotations

COMMAND_PREFIX = "::"  # a workflow command, at the start of a line (after spaces)
LEGACY_COMMAND = "##["  # the runner's legacy command form, anywhere in a line
_LEGACY_SHOWN = "##\\["


def counted(count: int, noun: str) -> str:
    """``1 function``, ``2 functions``: a count with its noun, plural unless it is one."""
    return f"{count} {noun}{'s' * (count != 1)}"


def printable(text: str, *, keep_tabs: bool = True) -> str:
    """``text`` with every non-printable character spelled out as Python does (``\\n``,
    ``\\x1b``, ``\\u2028``, ``\\ud800``); tabs stay unless ``keep_tabs`` is false (they are common
    in code, and harmless)."""
    if text.isprintable():
        return text  # the common case, without building a new string
    return "".join(
        char if char.isprintable() or (keep_tabs and char == "\t") else _escaped(char)
        for char in text
    )


def _escaped(char: str) -> str:
    return repr(char)[1:-1]


def without_legacy_commands(text: str) -> str:
    """``text`` with ``##[`` spelled ``##\\[``: the runner's legacy commands act anywhere."""
    return text.replace(LEGACY_COMMAND, _LEGACY_SHOWN) if LEGACY_COMMAND in text else text


def shown_path(name: str) -> str:
    """A file name as the start of a message line: printable, and never a command.

    A desired file may be *named* ``::error title=Deploy OK::x.yaml``; a problem line starts with
    the file's name, so it would be a workflow command. ``./`` in front names the same file.
    """
    shown = without_legacy_commands(printable(name, keep_tabs=False))
    return f"./{shown}" if shown.lstrip().startswith(COMMAND_PREFIX) else shown


def line_safe(line: str) -> str:
    """One diagnostic line as it may be printed: printable, no command anywhere in it."""
    shown = without_legacy_commands(printable(line))
    return f"\\{shown}" if shown.lstrip().startswith(COMMAND_PREFIX) else shown
