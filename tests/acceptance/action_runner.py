"""Runs action.yml's steps the way the GitHub runner does, on this machine, for the tests.

What the runner would do and this does too: ``${{ … }}`` expressions are substituted into each
step (inputs with their defaults, ``github.action_path``, an earlier step's outputs), each
``run`` is written to a script and run with its step's ``shell`` (bash as
``bash --noprofile --norc -eo pipefail``), with the step's ``env`` on top of the job's, and
``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``, ``GITHUB_ACTION_PATH`` and ``RUNNER_TEMP`` set.
The action path is a clean copy of the repository's files (what ``actions/checkout`` of the
action would give), never this working tree.

What differs, and why: ``actions/setup-python`` (a ``uses:`` step) is not run: its
``python-path`` output is this interpreter's base Python. Tests reach no package index, so the
install step runs with ``PIP_NO_INDEX=1`` and this test virtualenv's site-packages on
``PYTHONPATH``: pip finds faasdrift's dependencies and setuptools there ("already satisfied")
and still builds and installs faasdrift itself from the copy into the action's virtualenv.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(?P<expression>[^}]*?)\s*\}\}")
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


def clean_copy(destination: Path) -> Path:
    """The repository's files (tracked, and new ones not ignored) copied to ``destination``;
    symlinks stay symlinks (``faasdrift/schemas``)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source, target = ROOT / name, destination / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not committed yet
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    return destination


def base_python() -> str:
    """The interpreter this virtualenv was made from: what setup-python would put in place."""
    return str(getattr(sys, "_base_executable", sys.executable))


@dataclass(frozen=True)
class StepResult:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


@dataclass
class ActionRunner:
    action_path: Path
    runner_temp: Path
    step_outputs: dict[str, dict[str, str]]

    def expression(self, expression: str, inputs: Mapping[str, str]) -> str:
        if expression == "github.action_path":
            return str(self.action_path)
        if expression.startswith("inputs."):
            name = expression.removeprefix("inputs.")
            declared: dict[str, Any] = ACTION["inputs"][name]  # KeyError: an undeclared input
            return inputs.get(name, str(declared.get("default", "")))
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if match:
            return self.step_outputs[match[1]][match[2]]
        raise AssertionError(f"the test runner does not know the expression {expression!r}")

    def substitute(self, text: str, inputs: Mapping[str, str]) -> str:
        return EXPRESSION.sub(lambda m: self.expression(m["expression"], inputs), text)

    def run_step(
        self,
        step: dict[str, Any],
        *,
        inputs: Mapping[str, str],
        job_env: Mapping[str, str],
        workspace: Path,
    ) -> StepResult:
        assert step["shell"] == "bash", step
        script = workspace.parent / f"step-{step.get('id', 'anonymous')}.sh"
        script.write_text(self.substitute(step["run"], inputs), encoding="utf-8")
        output_file = workspace.parent / "github_output"
        summary_file = workspace.parent / "step_summary.md"
        for file in (output_file, summary_file):
            file.write_text("", encoding="utf-8")
        step_env = {
            name: self.substitute(str(value), inputs) for name, value in step["env"].items()
        }
        env = {
            **runner_environment(),
            **job_env,
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary_file),
            "GITHUB_ACTION_PATH": str(self.action_path),
            "RUNNER_TEMP": str(self.runner_temp),
            **step_env,
        }
        completed = subprocess.run(
            [*BASH, str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        outputs = parse_github_output(output_file.read_text(encoding="utf-8"))
        summary = summary_file.read_text(encoding="utf-8")
        self.step_outputs[step.get("id", "")] = outputs
        return StepResult(
            completed.returncode, completed.stdout, completed.stderr, outputs, summary
        )

    def outputs(self) -> dict[str, str]:
        """The action's outputs, as its ``outputs:`` map them from the steps' outputs."""
        resolved = {}
        for name, declared in ACTION["outputs"].items():
            match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", _expression(declared))
            assert match, declared
            value = self.step_outputs.get(match[1], {}).get(match[2])
            if value is not None:
                resolved[name] = value
        return resolved


def _expression(declared: dict[str, str]) -> str:
    match = EXPRESSION.fullmatch(declared["value"])
    assert match, declared
    return match["expression"]


def runner_environment() -> dict[str, str]:
    """A runner's environment: this machine's, less Gcore and GitHub variables, plus what keeps
    pip offline (see the module's docstring) and GITHUB_ACTIONS=true."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GCORE_", "GITHUB_", "INPUT_", "PIP_", "PYTHON"))
    }
    return {
        **base,
        "GITHUB_ACTIONS": "true",
        "PIP_NO_INDEX": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
    }


def parse_github_output(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: ``name=value`` lines and ``name<<DELIMITER`` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value: list[str] = []
            for body in lines:
                if body == delimiter:
                    break
                value.append(body)
            else:
                raise AssertionError(f"output {name!r}: delimiter never closed")
            outputs[name] = "\n".join(value)
        elif line:
            name, value_text = line.split("=", 1)
            outputs[name] = value_text
    return outputs


def steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = ACTION["runs"]["steps"]
    return steps
