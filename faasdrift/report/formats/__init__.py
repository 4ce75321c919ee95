"""Output formats. Each reporter renders a string from a ``CheckRun`` alone, and its gate
sibling (``gate_<format>``, a subclass) a ``GateRun`` too.

``REPORTER_BY_NAME`` is the one registry: it drives the ``--format`` and ``--report`` choices of
``check`` and ``gate``, so adding a format is adding a class here (and its gate sibling) and
nothing in the CLI. ``render`` picks the renderer for the run it is given.
"""

from __future__ import annotations

from faasdrift.model import CheckRun, GateRun
from faasdrift.report.formats.base import GateReporter, Reporter, ReportOptions
from faasdrift.report.formats.gate_github import GithubGateReporter
from faasdrift.report.formats.gate_json import JsonGateReporter
from faasdrift.report.formats.gate_junit import JunitGateReporter
from faasdrift.report.formats.gate_markdown import MarkdownGateReporter
from faasdrift.report.formats.gate_sarif import SarifGateReporter
from faasdrift.report.formats.gate_text import TextGateReporter
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

# The same formats for a gate run, by the same names (a test holds the two to the same keys).
GATE_REPORTER_BY_NAME: dict[str, type[GateReporter]] = {
    reporter.name: reporter
    for reporter in (
        TextGateReporter,
        JsonGateReporter,
        JunitGateReporter,
        SarifGateReporter,
        GithubGateReporter,
        MarkdownGateReporter,
    )
}

__all__ = [
    "GATE_REPORTER_BY_NAME",
    "REPORTER_BY_NAME",
    "ReportOptions",
    "Reporter",
    "build_reporter",
    "render",
]


def build_reporter(name: str, options: ReportOptions) -> Reporter:
    """The reporter registered as ``name``, configured with ``options``."""
    return REPORTER_BY_NAME[name](options=options)


def render(name: str, options: ReportOptions, run: CheckRun | GateRun) -> str:
    """``run`` in the format registered as ``name``: a check's report or a gate's."""
    if isinstance(run, GateRun):
        return GATE_REPORTER_BY_NAME[name](options=options).render_gate(run)
    return build_reporter(name, options).render(run)
