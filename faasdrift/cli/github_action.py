"""The GitHub Action's entry point (``action.yml``): the action's inputs as one ordinary
faasdrift invocation, and its outputs, read from the JSON report, appended to GITHUB_OUTPUT.

Composite actions get no ``INPUT_*`` variables from the runner (actions/runner#665), so
action.yml hands each input to this step through its ``env:`` as ``INPUT_<NAME>``, which also
keeps every input out of the shell line. Nothing here prints an input's value: an input may
hold anything a workflow (or the branch name it interpolates) put there. The API key is never an
input: faasdrift reads it from ``GCORE_API_KEY`` as always.

Run as ``python -m faasdrift.cli.github_action``; the exit code is faasdrift's.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from faasdrift import __version__
from faasdrift.cli.app_state import AppState
from faasdrift.cli.error_boundary import handle_error
from faasdrift.cli.main import prepare_process, run
from faasdrift.errors import OutputFileError, UsageError
from faasdrift.outputs import write_atomically

COMMANDS = ("check", "gate", "validate")
OUTPUT_ENV = "GITHUB_OUTPUT"
# Output name -> the key of the JSON report's totals that it takes, where the report has it.
COUNTS = {
    "in-sync": "in_sync",
    "drifted": "drifted",
    "missing": "missing",
    "not-checked": "not_checked",
    "unmanaged": "unmanaged",
}
# The gate's classes of a function that the overwrites output counts: a hand change the deploy
# would revert, or one it would meet with a different change of its own.
GATE_FAILING = ("overwrite", "conflict")
# Inputs that only some commands take: given to another, they are a mistake, not noise.
ONLY_FOR = {"base-ref": ("gate",), "baseline": ("check",)}
# Check and gate only (format and summary have defaults, so validate ignores those two).
REPORTING = ("fail-on", "reports", "sarif")


@dataclass(frozen=True)
class ActionInputs:
    command: str
    paths: tuple[str, ...]
    base_ref: str = ""
    baseline: str = ""
    fail_on: str = ""
    format: str = "github"
    reports: tuple[str, ...] = ()
    sarif: str = ""
    summary: bool = True
    args: tuple[str, ...] = ()


def read_inputs(environ: Mapping[str, str]) -> ActionInputs:
    """The inputs from ``INPUT_*``; raises ``UsageError`` naming the input, never its value."""

    def given(name: str) -> str:
        return environ.get("INPUT_" + name.upper().replace("-", "_"), "").strip()

    command = given("command") or "check"
    if command not in COMMANDS:
        raise UsageError(f"input 'command' must be one of {', '.join(COMMANDS)}")
    for name, commands in ONLY_FOR.items():
        if given(name) and command not in commands:
            raise UsageError(f"input '{name}' is for command {' or '.join(commands)} only")
    for name in REPORTING if command == "validate" else ():
        if given(name):
            raise UsageError(f"input '{name}' is for commands check and gate; validate has none")
    summary = given("summary").lower() or "true"
    if summary not in ("true", "false"):
        raise UsageError("input 'summary' must be true or false")
    paths = _words("paths", given("paths"))
    if not paths:
        raise UsageError("input 'paths' names no desired file or folder")
    return ActionInputs(
        command=command,
        paths=paths,
        base_ref=given("base-ref"),
        baseline=given("baseline"),
        fail_on=given("fail-on"),
        format=given("format") or "github",
        reports=_words("reports", given("reports")),
        sarif=given("sarif"),
        summary=summary == "true",
        args=_words("args", given("args")),
    )


def _words(name: str, text: str) -> tuple[str, ...]:
    """Words separated by spaces or newlines, quoted as a shell quotes them."""
    try:
        return tuple(shlex.split(text))
    except ValueError as error:  # shlex's reason ("No closing quotation") holds no input
        raise UsageError(f"input '{name}' cannot be split into words: {error}") from None


def faasdrift_argv(inputs: ActionInputs, json_report: Path | None) -> list[str]:
    """The faasdrift command line the inputs mean; ``json_report`` is where the run's JSON
    report goes (the outputs are read from it), None for validate."""
    argv = [inputs.command, *inputs.paths]
    if json_report is None:
        return [*argv, *inputs.args]
    argv += ["--format", inputs.format, "--report", f"json={json_report}"]
    for report in inputs.reports:
        argv += ["--report", report]
    if inputs.sarif:
        argv += ["--report", f"sarif={inputs.sarif}"]
    if inputs.summary:
        argv.append("--step-summary")
    options = {"--fail-on": inputs.fail_on, "--base-ref": inputs.base_ref}
    options["--baseline"] = inputs.baseline
    for option, value in options.items():
        argv += [option, value] if value else []
    return [*argv, *inputs.args]


def outputs_of(code: int, inputs: ActionInputs | None, json_report: Path | None) -> dict[str, str]:
    """The step's outputs: the exit code and version always; the counts and report files only
    when this run wrote its report (a run refused before it started has none)."""
    outputs = {"exit-code": str(code), "version": __version__}
    if inputs is None or json_report is None or not json_report.is_file():
        return outputs
    report = json.loads(json_report.read_text(encoding="utf-8"))
    totals = report.get("totals", {})
    outputs |= {name: str(totals[key]) for name, key in COUNTS.items() if key in totals}
    if report.get("kind") == "gate":  # the functions a deploy must not go ahead with
        outputs["overwrites"] = str(sum(totals.get(key, 0) for key in GATE_FAILING))
    findings = totals.get("findings")  # with --baseline: findings, not functions
    if isinstance(findings, dict) and "new" in findings:
        outputs["new"] = str(findings["new"])
    outputs["json-report"] = str(json_report)
    if inputs.sarif:
        outputs["sarif-file"] = inputs.sarif
    return outputs


def github_output_text(outputs: Mapping[str, str]) -> str:
    """``outputs`` in GITHUB_OUTPUT's multi-line form, each value between two lines of a random
    delimiter that no value holds, so no value can end its own entry and forge another."""
    entries = []
    for name, value in outputs.items():
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        while delimiter in value:  # cannot happen by chance; checked rather than assumed
            delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        entries.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(entries)


def run_action(app: AppState, environ: Mapping[str, str]) -> int:
    """Run the action's step: faasdrift as the inputs say, then the outputs; the exit code."""
    inputs: ActionInputs | None = None
    json_report: Path | None = None
    try:
        inputs = read_inputs(environ)
        if inputs.command != "validate":
            folder = tempfile.mkdtemp(prefix="faasdrift-", dir=environ.get("RUNNER_TEMP") or None)
            json_report = Path(folder) / "report.json"
        code = run(app, faasdrift_argv(inputs, json_report))
    except UsageError as error:  # the action's own inputs; faasdrift's errors are run's
        code = handle_error(error, app.console, debug=app.debug)
    destination = environ.get(OUTPUT_ENV, "")
    if not destination:
        app.console.err(f"faasdrift: warning: {OUTPUT_ENV} is not set; no outputs written")
        return code
    text = github_output_text(outputs_of(code, inputs, json_report))
    try:
        write_atomically(Path(destination), text, what=OUTPUT_ENV, append=True)
    except OutputFileError as error:  # a symlink, a folder, no room: said in one line
        return max(code, handle_error(error, app.console, debug=app.debug))
    return code


def main() -> None:
    prepare_process()
    sys.exit(run_action(AppState(), os.environ))


if __name__ == "__main__":
    main()
