"""Wall time and peak memory of `faasdrift check` on each hostile desired file.

Every input runs as a real process (``python -m faasdrift check FILE``) with no API key, so
nothing touches a network: a refused file stops at its one-line problem, and a file that loads
stops right after at "no API key" (that is what "loaded" means below). The issue's bar: refused
in under a second, in bounded memory. Python's own start-up (the --version row) is part of every
number.

    .venv/bin/python bench/hostile.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from faasdrift.desired.yaml_limits import MAX_FILE_BYTES

HEAD = "defaults: {project_id: 1, region_id: 1, namespace: prod}\nfunctions:\n"
VALID = HEAD + "  - name: hello\n    code_text: |\n      def main():\n          return 1\n"


def billion_laughs() -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def functions(count: int, envs: int = 0) -> str:
    env_lines = "".join(f"      VAR_{j}: value-{j}\n" for j in range(envs))
    entry = "  - name: f{i}\n    timeout: 5\n" + ("    envs:\n" + env_lines if envs else "")
    return HEAD + "".join(entry.format(i=i) for i in range(count))


def write_50_mb(path: Path) -> None:
    with path.open("wb") as file:
        file.write(VALID.encode())
        for _ in range(50):
            file.write(b"# " + b"x" * (1024 * 1024 - 3) + b"\n")


def write_padded_to_limit(path: Path) -> None:
    # The largest file read: 32 MiB, one function, the rest a comment.
    path.write_bytes(VALID.encode() + b"#" * (MAX_FILE_BYTES - len(VALID) - 1) + b"\n")


Input = str | bytes | Callable[[Path], None]
INPUTS: dict[str, Input] = {
    "alias bomb (10^9 values)": billion_laughs(),
    "nesting 10,000 levels, flow": "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "nesting 10,000 levels, block": "a:\n" + "- " * 10_000 + "x\n",
    "50 MB file": write_50_mb,
    "/dev/zero": "/dev/zero",
    "NUL bytes (1 MB)": b"\0" * (1024 * 1024),
    "invalid UTF-8": b"functions: [caf\xe9]\n",
    "UTF-16": VALID.encode("utf-16"),
    "tab indentation": "functions:\n\t- name: x\n",
    "!!python/object/apply": "a: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
    "300,001 values (600 KB)": "a: [" + "1," * 300_000 + "]\n",
    "10,001 functions": functions(10_001),
    "UTF-8 BOM": b"\xef\xbb\xbf" + VALID.encode(),
    "CRLF line endings": VALID.replace("\n", "\r\n"),
    "32 MiB file (at the limit)": write_padded_to_limit,
    "10,000 functions, 10 envs each (270,000 values)": functions(10_000, 10),
}


def materialise(path: Path, content: Input) -> Path:
    if content == "/dev/zero":
        return Path("/dev/zero")
    if callable(content):
        content(path)
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def measure(args: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB, exit code and the first stderr line of one run."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GCORE_")}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "faasdrift", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stderr is not None
    stderr = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    first = stderr.splitlines()[0] if stderr else ""
    return wall, usage.ru_maxrss / 1024, process.returncode, first


def main() -> None:
    print(f"{'input':32} {'size':>9} {'exit':>4} {'wall s':>7} {'peak MB':>8}  first line")
    wall, peak, code, _ = measure(["--version"])
    print(f"{'(python start-up: --version)':32} {'':>9} {code:>4} {wall:7.2f} {peak:8.0f}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in INPUTS.items():
            path = materialise(Path(tmp) / "desired.yaml", content)
            size = "endless" if path == Path("/dev/zero") else f"{path.stat().st_size:,}"
            wall, peak, code, first = measure(["check", str(path)])
            first = "loaded" if first.startswith("faasdrift: error: no API key") else first
            first = first.replace(str(path), "FILE")
            print(f"{name:32} {size:>9} {code:>4} {wall:7.2f} {peak:8.0f}  {first[:90]}")


if __name__ == "__main__":
    main()
