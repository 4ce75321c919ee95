"""Hostile and broken desired files at the CLI boundary: each works or is one clear line, exit 2.

A drift checker runs in CI on files from pull requests, with a production API key. Every input
here is refused while loading, before any request is made, or (a BOM, CRLF, tabs inside values)
simply works. Wall time and peak memory of each are measured by bench/hostile.py, not here.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from faasdrift.cli.app_state import AppState
from faasdrift.cli.console import Console
from faasdrift.cli.main import run
from faasdrift.desired.files import OUTSIDE_HINT
from faasdrift.desired.yaml_limits import MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES
from faasdrift.emulator import Emulator, parse_state
from tests.support import folder_beside_secret

API_KEY = "77$hostile-inputs-key"
CODE = "def main():\n    return 'ok'\n"
SECRET = "FAASDRIFT-TEST-SECRET-7f3a"
VALID = """\
defaults: {project_id: 1, region_id: 1, namespace: prod}
functions:
  - name: hello
    code_text: |
      def main():
          return 'ok'
    timeout: 5
"""


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    live = [
        {"name": "hello", "code_text": CODE, "timeout": 5, "description": ""},
        {"name": "outside", "code_text": SECRET + "\n"},
    ]
    state = {"namespaces": [{"project_id": 1, "region_id": 1, "name": "prod", "functions": live}]}
    with Emulator(parse_state(state), api_key=API_KEY) as started:
        yield started


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return folder_beside_secret(tmp_path, SECRET)


def check(desired: Path, *args: str, emulator: Emulator | None = None) -> Outcome:
    """Run ``faasdrift check`` in-process, as main() would, and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    argv = ["check", str(desired), "--no-color", *args]
    if emulator is not None:
        key_file = desired.parent / "api-key"
        key_file.write_text(API_KEY)
        argv += ["--base-url", emulator.url, "--api-key-file", str(key_file)]
    code = run(AppState(console=Console(stdout=out, stderr=err)), argv)
    outcome = Outcome(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in outcome.stdout + outcome.stderr
    assert SECRET not in outcome.stdout + outcome.stderr
    return outcome


def refused_in_one_line(desired: Path, *args: str) -> str:
    """Check ``desired``: exit 2, one problem line and the summary; return the problem line."""
    outcome = check(desired, *args)
    assert outcome.code == 2, outcome
    assert outcome.stdout == ""
    problem, summary = outcome.lines
    assert summary == "faasdrift: 1 problem found; nothing was checked"
    return problem


def write(folder: Path, data: str | bytes, name: str = "desired.yaml") -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def billion_laughs() -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def many_functions(count: int) -> str:
    entries = "".join(f"  - name: f{i}\n" for i in range(count))
    return f"defaults: {{project_id: 1, region_id: 1, namespace: prod}}\nfunctions:\n{entries}"


HOSTILE: dict[str, tuple[str | bytes, str]] = {
    "alias bomb": (billion_laughs(), f"6:25: more than {MAX_VALUES:,} values once aliases"),
    "recursive alias": ("functions: &f [*f]\n", "1:16: an alias refers to a value that contains"),
    "too many aliases": (
        "a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n",
        f"more than {MAX_ALIASES:,} aliases",
    ),
    "too many values": ("a: [" + "1," * MAX_VALUES + "]\n", f"more than {MAX_VALUES:,} values"),
    "deep flow nesting": ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", "nest"),
    "deep block nesting": ("a:\n" + "- " * 10_000 + "x\n", "nest"),
    "nesting over the limit": (
        "a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
        f"nested deeper than {MAX_DEPTH} levels",
    ),
    "NUL bytes": (b"\0" * 4096, "1:1: holds a NUL byte: binary or UTF-16 data"),
    "invalid UTF-8": (b"functions: [\xff]\n", "1:13: not UTF-8: invalid byte 0xff"),
    "UTF-16": ("functions: []\n".encode("utf-16"), "1:1: is UTF-16 or UTF-32 text, not UTF-8"),
    "UTF-16 without BOM": ("functions: []\n".encode("utf-16-be"), "1:1: holds a NUL byte"),
    "tab indentation": ("functions:\n\t- name: x\n", "2:1: invalid YAML: found character"),
    "control character": ("functions: []\nx: \x07\n", "2:4: invalid YAML: "),
    "too many functions": (many_functions(10_001), "3:3: functions: has 10,001 items; the max"),
    "a name too long for a URL": (
        many_functions(0) + "  - name: " + "\U0001d518" * 256 + "\n",
        "3:11: functions[0].name: '",  # then "…' is too long: 256 characters (the maximum is 255)"
    ),
    "!!python/object/apply": (
        "functions: !!python/object/apply:os.system ['touch pwned']\n",
        "1:12: tag '!!python/object/apply:os.system' is not allowed; only plain YAML data",
    ),
    "!!python/name": ("a: !!python/name:os.system\n", "tag '!!python/name:os.system' is not"),
    "!!python/object": ("a: !!python/object:os.Foo {}\n", "tag '!!python/object:os.Foo' is not"),
    "!!binary": ("a: !!binary aGk=\n", "tag '!!binary' is not allowed"),
    "!!set": ("a: !!set {x}\n", "tag '!!set' is not allowed"),
    "!!omap": ("a: !!omap [x: 1]\n", "tag '!!omap' is not allowed"),
    "local tag": ("a: !Ref x\n", "tag '!Ref' is not allowed"),
    "merge key": ("a: &x {b: 1}\nc: {<<: *x}\n", "merge keys ('<<') are not supported"),
}


@pytest.mark.parametrize(("data", "expected"), HOSTILE.values(), ids=HOSTILE.keys())
def test_refused_in_one_clear_line(folder: Path, data: str | bytes, expected: str) -> None:
    desired = write(folder, data)
    line = refused_in_one_line(desired)
    assert re.match(rf"{re.escape(str(desired))}:\d+:\d+: ", line), line
    assert expected in line


def test_no_output_line_can_be_forged(folder: Path) -> None:
    # A newline in a key must not start a line of its own in a CI log ("::error::" and friends).
    key = json.dumps("X\n::error::forged")
    desired = write(folder, f"functions: []\n{key}: 1\n{key}: 2\nenvs: {{{key}: 1}}\n")
    outcome = check(desired)
    assert outcome.code == 2
    *problems, summary = outcome.lines
    assert summary == f"faasdrift: {len(problems)} problems found; nothing was checked"
    assert all(line.startswith(f"{desired}:") for line in problems), problems
    assert any("X\\n::error::forged" in line for line in problems)


def test_nothing_in_a_python_tag_runs(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    write(folder, f"a: !!python/object/apply:os.system ['touch {folder / 'pwned'}']\n")
    refused_in_one_line(folder / "desired.yaml")
    assert not (folder / "pwned").exists()


def test_a_50_mb_file_is_refused_unread(folder: Path) -> None:
    desired = folder / "desired.yaml"
    with desired.open("wb") as file:
        file.write(VALID.encode())
        file.write(b"# padding\n" * (5 * 1024 * 1024))
    assert refused_in_one_line(desired) == f"{desired}: is larger than 32 MiB, the limit"


def test_a_file_at_the_size_limit_is_read(folder: Path, emulator: Emulator) -> None:
    padding = MAX_FILE_BYTES - len(VALID)
    desired = write(folder, VALID + "#" * (padding - 1) + "\n")
    assert desired.stat().st_size == MAX_FILE_BYTES
    assert check(desired, emulator=emulator).code == 0


@pytest.mark.skipif(os.name != "posix", reason="/dev/zero")
def test_an_endless_desired_file_is_refused() -> None:
    outcome = check(Path("/dev/zero"))
    assert (outcome.code, outcome.lines[0]) == (2, "/dev/zero: is larger than 32 MiB, the limit")


# --- what simply works --------------------------------------------------------------------------

WORKS = {
    "UTF-8 BOM": b"\xef\xbb\xbf" + VALID.encode(),
    "CRLF line endings": VALID.replace("\n", "\r\n").encode(),
    "BOM and CRLF": b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode(),
    "tabs inside values": VALID.replace("timeout: 5", 'timeout: 5\t\n    description: "a\\tb"'),
    "unicode everywhere": VALID.replace("timeout: 5", "timeout: 5\n    description: Ünï ✓ 日本"),
}


@pytest.mark.parametrize("data", WORKS.values(), ids=WORKS.keys())
def test_works(folder: Path, emulator: Emulator, data: str | bytes) -> None:
    outcome = check(write(folder, data), "-v", emulator=emulator)
    assert outcome.code in (0, 1), outcome  # 1: the description differs, which is drift
    assert "prod/hello" in outcome.stdout


def test_crlf_code_text_is_compared_as_lf(folder: Path, emulator: Emulator) -> None:
    # YAML turns every line break in a block scalar into \n, as the live code has.
    outcome = check(write(folder, VALID.replace("\n", "\r\n")), "-v", emulator=emulator)
    assert outcome.code == 0, outcome


# --- code_file may not leave the desired file's folder ------------------------------------------


def code_file_at(folder: Path, code_file: str) -> Path:
    """A desired file whose function "outside" (its live code is the secret) reads ``code_file``."""
    head = VALID.split("  - name:", maxsplit=1)[0]
    return write(folder, f"{head}  - name: outside\n    code_file: {json.dumps(code_file)}\n")


OUTSIDE = f"is outside the folder of the desired file; {OUTSIDE_HINT}"


@pytest.mark.parametrize("code_file", ["../secret.txt", "sub/../../secret.txt", "/etc/passwd"])
def test_code_file_outside_the_folder_is_refused(folder: Path, code_file: str) -> None:
    line = refused_in_one_line(code_file_at(folder, code_file))
    assert line.endswith(OUTSIDE)
    assert ": functions[0].code_file: cannot read " in line


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlink_is_resolved_before_the_check(folder: Path) -> None:
    (folder / "main.py").symlink_to(folder.parent / "secret.txt")
    assert refused_in_one_line(code_file_at(folder, "main.py")).endswith(OUTSIDE)


def test_allow_outside_paths_reads_it(folder: Path, emulator: Emulator) -> None:
    desired = code_file_at(folder, "../secret.txt")
    outcome = check(desired, "--allow-outside-paths", "-v", emulator=emulator)
    assert outcome.code == 0, outcome  # the live code is the secret: in sync


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and devices")
@pytest.mark.parametrize("code_file", ["pipe", "/dev/zero"])
def test_code_file_that_is_no_regular_file(folder: Path, code_file: str) -> None:
    os.mkfifo(folder / "pipe")
    line = refused_in_one_line(code_file_at(folder, code_file), "--allow-outside-paths")
    assert line.endswith("is not a regular file (a device, pipe or socket)")


def test_code_file_too_big_to_be_code_text(folder: Path) -> None:
    (folder / "big.py").write_bytes(b"#" * 400_001)
    line = refused_in_one_line(code_file_at(folder, "big.py"))
    assert line.endswith("is larger than 400,000 bytes, the limit")
