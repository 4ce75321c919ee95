"""Output formats. Each reporter renders a string from a ``DriftResult`` alone.

``REPORTER_BY_NAME`` is the one registry: it drives the ``--format`` and ``--report`` choices, so
adding a format is adding a class here and nothing in the CLI.
"""

from __future__ import annotations

from faasdrift.reporters.base import Reporter, ReportOptions
from faasdrift.reporters.github import GithubReporter
from faasdrift.reporters.json_report import JsonReporter
from faasdrift.reporters.junit import JunitReporter
from faasdrift.reporters.markdown import MarkdownReporter
from faasdrift.reporters.sarif import SarifReporter
from faasdrift.reporters.text import TextReporter

REPORTER_BY_NAME: dict[str, type[Reporter]] = {
    reporter.name: reporter
    for reporter in (
        TextReporter,
        JsonReporter,
        JunitReporter,
        SarifReporter,
        GithubReporter,
        MarkdownReporter,
    )
}

__all__ = ["REPORTER_BY_NAME", "ReportOptions", "Reporter", "build_reporter"]


def build_reporter(name: str, options: ReportOptions) -> Reporter:
    """The reporter registered as ``name``, configured with ``options``."""
    return REPORTER_BY_NAME[name](options=options)
