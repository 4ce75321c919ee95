"""Output formats. Each reporter renders a string from a ``CheckRun`` alone.

``REPORTER_BY_NAME`` is the one registry: it drives the ``--format`` and ``--report`` choices, so
adding a format is adding a class here and nothing in the CLI.
"""

from __future__ import annotations

from faasdrift.report.formats.base import Reporter, ReportOptions
from faasdrift.report.formats.github import GithubReporter
from faasdrift.report.formats.json_report import JsonReporter
from faasdrift.report.formats.junit import JunitReporter
from faasdrift.report.formats.markdown import MarkdownReporter
from faasdrift.report.formats.sarif import SarifReporter
from faasdrift.report.formats.text import TextReporter

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
