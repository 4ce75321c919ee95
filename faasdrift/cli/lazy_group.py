"""A click group whose commands are imported only when one is run (click's lazy-group pattern).

Each command module imports its workflow and, through it, httpx, jsonschema and deepdiff. Listing
the commands in ``--help`` uses the short help written beside each name here, so neither
``faasdrift --help`` nor ``--version`` imports any of them. A test checks that the short helps
written here are the ones the commands themselves would show.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True)
class LazyCommand:
    name: str
    target: str  # "package.module:attribute", the click command object
    short_help: str  # the first sentence of its help, as ``faasdrift --help`` lists it


class LazyGroup(click.Group):
    def __init__(self, *args: Any, lazy_commands: Sequence[LazyCommand] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy_commands = {command.name: command for command in lazy_commands}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = self.lazy_commands.get(cmd_name)
        if lazy is not None and cmd_name not in self.commands:
            self.add_command(load(lazy), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, from the short helps here: nothing is imported to show it."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, self._short_help(name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _short_help(self, name: str, limit: int) -> str:
        # A stand-in command with the same help shortens it exactly as the real one would.
        shown = self.commands.get(name) or click.Command(
            name, help=self.lazy_commands[name].short_help
        )
        return shown.get_short_help_str(limit)


def load(lazy: LazyCommand) -> click.Command:
    module_name, _, attribute = lazy.target.partition(":")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{lazy.target} is not a click command")
    return command
