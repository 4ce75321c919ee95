"""``python -m faasdrift.emulator``: the emulator alone, with the same one-line error reporting.

Useful in another project's CI, and before the command is reachable as ``faasdrift emulator``.
"""

from __future__ import annotations

import sys

import click

from faasdrift.emulator.command import emulator_command
from faasdrift.errors import FaasdriftError


def main() -> None:
    try:
        emulator_command.main(prog_name="faasdrift emulator", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except FaasdriftError as error:
        click.echo(f"faasdrift emulator: error: {error}", err=True)
        sys.exit(int(error.exit_code))


if __name__ == "__main__":
    main()
