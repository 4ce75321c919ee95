"""The reporter interface shared by every output format."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

from faasdrift.models import DriftResult


@dataclass(frozen=True)
class ReportOptions:
    """How to render; chosen by the CLI, never by a reporter looking at the environment."""

    color: bool = False
    verbose: bool = False


class Reporter(ABC):
    """Turns a drift result into text. Pure: no I/O, no API, no clock beyond what it is given."""

    name: ClassVar[str]

    def __init__(self, *, options: ReportOptions) -> None:
        self.options = options

    @abstractmethod
    def render(self, result: DriftResult) -> str:
        """The whole report as one string, ending with a newline."""
