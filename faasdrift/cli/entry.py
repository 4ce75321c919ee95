"""The console script (``faasdrift``) and ``python -m faasdrift``: ``--version`` answered
before click and the commands are imported (click alone is most of a 60 ms budget), everything
else handed to ``main``.
"""

from __future__ import annotations

import sys

from faasdrift import __version__

# What click's version_option prints for ``--version`` (main.py): the same line, byte for byte.
VERSION_LINE = f"faasdrift, version {__version__}\n"


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: ``main.main``, with ``--version`` answered first."""
    if (sys.argv[1:] if argv is None else argv) == ["--version"] and _wrote(VERSION_LINE):
        sys.exit(0)
    from faasdrift.cli.main import main as full_main  # noqa: PLC0415 - see the module's docstring

    full_main(argv)


def _wrote(text: str) -> bool:
    """Whether ``text`` reached stdout; if not (a full disk, a closed pipe), click's own
    ``--version`` runs and fails as it always did."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (OSError, ValueError):
        return False
    return True
