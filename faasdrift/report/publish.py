"""Where reports go: stdout, ``--report FORMAT=PATH`` files and GitHub's job summary.

Reporters only render strings; this module decides which format stdout gets (``auto``), writes
the files and the step summary, and knows the destinations' limits. Every path is checked before
the check runs, so a typo in ``--report`` fails in a second, not after fetching 500 functions:
no symlink, no two outputs that are one file, none that is an input (``outputs``).

The run is redacted *as data* here, before any reporter encodes a value (JSON escapes, XML
entities, GitHub's ``%2C``): a secret is recognised by its bytes, and escaping changes them.
Every rendered text is redacted again for the API key, as the last line of defence
(``Secrets.redact_document``: never in a way that could break the document's syntax).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from faasdrift.errors import OutputFileError, ReportFileError
from faasdrift.model import FAILING, CheckRun, FunctionStatus, GateClass, GateRun
from faasdrift.outputs import Output, check_outputs, write_atomically
from faasdrift.report.formats import REPORTER_BY_NAME, ReportOptions, render
from faasdrift.report.formats.github import without_commands
from faasdrift.secrets import Secrets

AUTO = "auto"
STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
STEP_SUMMARY_LIMIT = 1024 * 1024  # GitHub drops a step's summary that is larger than 1 MiB
TRUNCATED_NOTE = (
    "\n_The report was cut here to fit GitHub's 1 MiB job summary limit; "
    "the job log and `--report` files hold all of it._\n"
)


@dataclass(frozen=True)
class ReportTarget:
    """One ``--report FORMAT=PATH``."""

    format: str
    path: Path

    def __str__(self) -> str:
        return f"{self.format}={self.path}"


def parse_report_target(text: str) -> ReportTarget:
    """``junit=drift.xml`` -> a target; raises ``ValueError`` saying what is wrong."""
    name, equals, path = text.partition("=")
    if not equals or not path:
        raise ValueError(f"{text!r} is not FORMAT=PATH (e.g. junit=drift.xml)")
    if name not in REPORTER_BY_NAME:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(REPORTER_BY_NAME)}")
    return ReportTarget(name, Path(path))


def resolve_format(name: str, environ: Mapping[str, str]) -> str:
    """``auto`` is ``github`` inside a GitHub Actions job and ``text`` anywhere else."""
    if name != AUTO:
        return name
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


@dataclass(frozen=True)
class OutputSettings:
    """Everything about where the report goes, as plain values; built by the CLI."""

    format: str = "text"  # a registered format or "auto"
    reports: tuple[ReportTarget, ...] = ()
    quiet: bool = False
    step_summary: bool = False
    verbose: bool = False  # also list in-sync functions and ignored differences
    color: bool = False
    log_requests: bool = False  # each request on stderr (-vv); the console does the logging


class Publisher:
    """Writes one run (a check's or a gate's) to every destination the settings name.

    ``secrets`` redacts the run before it is rendered (and each text after), ``out`` writes
    stdout, ``warn`` a line on stderr.
    """

    def __init__(
        self,
        settings: OutputSettings,
        *,
        environ: Mapping[str, str],
        secrets: Secrets,
        out: Callable[[str], None],
        warn: Callable[[str], None],
    ) -> None:
        self.settings = settings
        self.stdout_format = resolve_format(settings.format, environ)
        self.in_github_actions = environ.get("GITHUB_ACTIONS") == "true"
        summary = environ.get(STEP_SUMMARY_ENV, "")
        self.step_summary = Path(summary) if settings.step_summary and summary else None
        self.secrets, self.out, self.warn = secrets, out, warn

    def prepare(self) -> tuple[Output, ...]:
        """Refuse, before anything runs, a destination that cannot or must not be written; the
        outputs, for the run to refuse any that is one of its inputs once it knows them."""
        targets = [(f"--report {target}", target.path) for target in self.settings.reports]
        if self.step_summary is not None:
            targets.append((f"{STEP_SUMMARY_ENV} ({self.step_summary})", self.step_summary))
        elif self.settings.step_summary:
            self.warn(
                f"faasdrift: --step-summary: {STEP_SUMMARY_ENV} is not set; no summary written"
            )
        try:
            return check_outputs(targets)
        except OutputFileError as error:
            raise ReportFileError(str(error)) from None

    def publish(self, run: CheckRun | GateRun) -> None:
        """Files first, then the step summary, then stdout, then the run's warnings on stderr."""
        run = self.secrets.redact_data(run)
        for target in self.settings.reports:
            text = self._render(target.format, run)
            self._write(target.path, text, what=f"--report {target}")
        if self.step_summary is not None:
            self._append_summary(self._render("markdown", run))
        if not self.settings.quiet or _has_news(run):
            self.out(self._stdout_text(run))
        for warning in run.warnings:  # after the report, so they are the last thing a log shows
            self.warn(f"faasdrift: warning: {warning}")

    def _stdout_text(self, run: CheckRun | GateRun) -> str:
        text = self._render(self.stdout_format, run, stdout=True)
        if not self.in_github_actions or REPORTER_BY_NAME[self.stdout_format].guards_commands:
            return text
        # In an Actions log every line of stdout is read for workflow commands: a report for
        # people (a code line "::error::x", a name holding "##[add-mask]") is wrapped so that none
        # of its lines can act as one. Machine formats escape it within their own syntax.
        return "\n".join(without_commands(text.splitlines())) + "\n"

    def _render(self, name: str, run: CheckRun | GateRun, *, stdout: bool = False) -> str:
        options = ReportOptions(
            color=stdout and self.settings.color,
            verbose=self.settings.verbose,
            # Mask commands carry live secrets: only for the Actions runner, which consumes them.
            add_masks=stdout and self.in_github_actions,
        )
        # The last line of defence (for the API key: a document's syntax must survive), but
        # never inside faasdrift's own digests and dates: a baseline whose fingerprints were cut
        # would be damaged for good.
        return self.secrets.redact_document(render(name, options, run), keep=run.own_tokens())

    def _append_summary(self, text: str) -> None:
        assert self.step_summary is not None
        try:
            used = self.step_summary.stat().st_size if self.step_summary.exists() else 0
        except OSError:
            used = 0
        room = STEP_SUMMARY_LIMIT - used
        summary = fit_markdown(text, room)
        self._write(self.step_summary, summary, what=STEP_SUMMARY_ENV, append=True)

    @staticmethod
    def _write(path: Path, text: str, *, what: str, append: bool = False) -> None:
        try:
            write_atomically(path, text, what=what, append=append)
        except OutputFileError as error:
            raise ReportFileError(str(error)) from None


def _has_news(run: CheckRun | GateRun) -> bool:
    """Whether ``--quiet`` has something to say: any function that is not in sync; for a gate,
    a hand change the deploy would lose, or a function that could not be checked."""
    if isinstance(run, GateRun):
        news = {*FAILING, GateClass.NOT_CHECKED}
        return any(function.classes & news for function in run.result.functions)
    return any(function.status is not FunctionStatus.IN_SYNC for function in run.result.functions)


def fit_markdown(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` UTF-8 bytes, else cut at a line with blocks closed."""
    if len(text.encode()) <= limit:
        return text
    budget = limit - len(TRUNCATED_NOTE.encode())
    lines = text.encode()[: max(budget, 0)].decode(errors="ignore").splitlines(keepends=True)
    lines = lines[:-1]  # the last one may be cut in the middle
    while lines:
        fitted = "".join(lines) + _closers("".join(lines)) + TRUNCATED_NOTE
        if len(fitted.encode()) <= limit:
            return fitted
        lines.pop()
    return TRUNCATED_NOTE if len(TRUNCATED_NOTE.encode()) <= limit else ""


def _closers(text: str) -> str:
    """What closes the code fence and ``<details>`` blocks left open at the end of ``text``."""
    fence, depth = "", 0
    for line in text.splitlines():
        if fence:
            fence = "" if line == fence else fence
        elif line.startswith("```"):
            fence = line[: len(line) - len(line.lstrip("`"))]
        elif line.startswith(("<details>", "<details ")):
            depth += 1
        elif line.startswith("</details>"):
            depth -= 1
    return (f"{fence}\n" if fence else "") + "\n</details>\n" * max(depth, 0)
