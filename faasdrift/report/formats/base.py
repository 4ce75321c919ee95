"""The reporter interface shared by every output format, for a check and for a gate."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from faasdrift.model import CheckRun, GateRun


@dataclass(frozen=True)
class ReportOptions:
    """How to render; chosen by the CLI, never by a reporter looking at the environment.

    ``add_masks`` lets the GitHub format print ``::add-mask::`` commands carrying live secret
    values. Only the Actions runner may see those, so the CLI sets it only for stdout inside a
    GitHub Actions job, never for a file.
    """

    color: bool = False
    verbose: bool = False
    add_masks: bool = False


class Reporter(ABC):
    """Turns a drift result into text. Pure: no I/O, no API, no clock beyond what it is given."""

    name: ClassVar[str]
    description: ClassVar[str]  # one line for `--help`
    file_suffix: ClassVar[str] = ".txt"  # what a file of this format is usually called
    # Whether no line it renders can act as a CI workflow command (``::…`` at a line's start,
    # ``##[…`` anywhere), whatever the values hold; the others are wrapped on an Actions stdout.
    guards_commands: ClassVar[bool] = False

    def __init__(self, *, options: ReportOptions) -> None:
        self.options = options

    @abstractmethod
    def render(self, run: CheckRun) -> str:
        """The whole report as one string, ending with a newline."""


class GateReporter(Reporter):
    """A format that renders a gate run too: each format's gate module subclasses the format's
    reporter with this, so both commands share its name, file suffix and guarantees."""

    @abstractmethod
    def render_gate(self, run: GateRun) -> str:
        """The whole gate report as one string, ending with a newline."""
