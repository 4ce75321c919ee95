"""Wall time and peak memory of faasdrift on each hostile input, as SECURITY.md reports them.

Three groups, each input a real process (``python -m faasdrift ...``), its peak memory taken
from ``wait4``:

- desired files, checked with no API key (nothing touches a network): a refused file stops at
  its one-line problem, a file that loads stops right after at "no API key" ("loaded" below);
- ``--live`` snapshots (offline);
- a hostile API server: the bundled emulator on 127.0.0.1 with a fault (a decompression bomb, a
  server that trickles or hangs, a list claiming a million functions in huge pages).

Python's own start-up and the CLI's imports (the --debug --help row, which goes through click;
--version and a bare --help answer before click is imported, bench/startup.py) are part of
every number. The issue's bar: every hostile
input refused in under 2 s and 100 MB.

    make bench-hostile        # or: .venv/bin/python bench/hostile.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from faasdrift.desired.yaml_limits import MAX_FILE_BYTES
from faasdrift.emulator import BodyFault, Emulator, Faults, parse_state
from faasdrift.emulator.hostile import gzip_bomb

HEAD = "defaults: {project_id: 1, region_id: 1, namespace: prod}\nfunctions:\n"
VALID = HEAD + "  - name: hello\n    code_text: |\n      def main():\n          return 1\n"
KEY = "1$bench-hostile-key"
LIVE_FUNCTION = {
    "name": "hello",
    "code_text": "def main():\n    return 1\n",
    "envs": {},
    "flavor": "80mCPU-128MB",
    "timeout": 5,
    "autoscaling": {"min_instances": 1, "max_instances": 2},
    "runtime": "python3.10.13",
    "main_method": "main",
    "description": "",
    "dependencies": "",
    "enable_api_key": False,
}


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


def write_one_code_file_for_all(path: Path) -> None:
    # 100,000 characters of 4 bytes: the largest valid code file (400 KB), named 10,000 times.
    (path.parent / "big.py").write_text("\U0001f600" * 100_000, encoding="utf-8")
    entries = "".join(f"  - {{name: f{n}, code_file: big.py}}\n" for n in range(10_000))
    path.write_text(HEAD + entries)


def number(text: str) -> str:
    return f"{HEAD}  - name: hello\n    timeout: {text}\n"


Input = str | bytes | Callable[[Path], None]
DESIRED: dict[str, Input] = {
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
    "timeout: 0x + 3,600 hex digits": number("0x" + "f" * 3_600),
    "timeout: 0b + 20,000 binary digits": number("0b" + "1" * 20_000),
    "project_id of 5,000 digits": number("9" * 5_000),
    "sexagesimal 1:0:0:... (800 KB)": number("1" + ":0" * 400_000),
    "sexagesimal 1:0:0:... (2 MB)": number("1" + ":0" * 1_000_000),
    "10,000 functions naming one 400 KB code file": write_one_code_file_for_all,
    "UTF-8 BOM": b"\xef\xbb\xbf" + VALID.encode(),
    "CRLF line endings": VALID.replace("\n", "\r\n"),
    "32 MiB file (at the limit)": write_padded_to_limit,
    "10,000 functions, 10 envs each (270,000 values)": functions(10_000, 10),
}


def fifo(path: Path) -> None:
    os.mkfifo(path)


SNAPSHOTS: dict[str, Input] = {
    "/dev/zero": "/dev/zero",
    "a FIFO": fifo,
    "100,000 levels of JSON nesting": "[" * 100_000 + "]" * 100_000,
    "2,000,001 values": "[" + "1," * 2_000_000 + "1]",
    "a 5,000-digit number": '{"a": ' + "9" * 5000 + "}",
}

PER_FUNCTION = ["--fetch", "per-function", "--max-retries", "0"]
# name -> (faults, extra check options): every fault a hostile server can send.
SERVERS: dict[str, tuple[Faults, list[str]]] = {
    "gzip, gzip: 5 KB inflating to 3.2 GB": (
        Faults(bomb=frozenset({"hello"}), bomb_bytes=int(3.2 * 1024**3)),
        PER_FUNCTION,
    ),
    "a list page that is a 3.2 GB bomb": (
        Faults(list_faults={"prod": BodyFault.BOMB}, bomb_bytes=int(3.2 * 1024**3)),
        [],
    ),
    "1 byte every 0.1 s (--connect-timeout 0.5 --read-timeout 0.5)": (
        Faults(trickle=frozenset({"hello"}), trickle_seconds=0.1),
        [*PER_FUNCTION, "--connect-timeout", "0.5", "--read-timeout", "0.5"],
    ),
    "an answer hanging 60 s (--deadline 1)": (
        Faults(hang=frozenset({"hello"}), hang_seconds=60),
        [*PER_FUNCTION, "--deadline", "1"],
    ),
    "list pages of 19 MB, count 10^6": (
        Faults(list_count_extra=10**6, list_page_padding=19 * 1024 * 1024),
        [],
    ),
    "list pages of 9 MB, count 10^6": (
        Faults(list_count_extra=10**6, list_page_padding=9 * 1024 * 1024),
        [],
    ),
    "list pages of 9 MB, count 10^6, --unmanaged": (
        Faults(list_count_extra=10**6, list_page_padding=9 * 1024 * 1024),
        ["--unmanaged"],
    ),
}


def materialise(path: Path, content: Input) -> Path:
    if content == "/dev/zero":
        return Path("/dev/zero")
    if callable(content):
        content(path)
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


# Linux keeps a process's peak memory across exec, so a child forked from this (large) process
# would report this one's size. A small launcher forks faasdrift instead and reports its rusage.
LAUNCHER = """
import json, os, subprocess, sys, tempfile, time
with tempfile.TemporaryFile() as out:
    started = time.perf_counter()
    child = subprocess.Popen(sys.argv[1:], stdout=out)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    out.seek(0)
    lines = [line for line in out.read(65536).decode(errors="replace").splitlines() if line]
print(json.dumps([wall, usage.ru_maxrss, os.waitstatus_to_exitcode(status), lines[:1]]))
"""


def measure(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS in MB, exit code and the first stderr line of one run."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("GCORE_")}
    completed = subprocess.run(
        [sys.executable, "-c", LAUNCHER, sys.executable, "-m", "faasdrift", *args],
        capture_output=True,
        env={**base, **(env or {})},
        check=True,
    )
    wall, peak_kb, code, stdout = json.loads(completed.stdout)
    stderr = completed.stderr.decode(errors="replace")
    lines = [line for line in stderr.splitlines() if not line.startswith("faasdrift: debug")]
    lines += stdout  # the report's first line, for a run that printed nothing on stderr
    return float(wall), int(peak_kb) / 1024, int(code), lines[0] if lines else ""


def row(name: str, size: str, result: tuple[float, float, int, str], path: Path | None) -> None:
    wall, peak, code, first = result
    first = "loaded" if first.startswith("faasdrift: error: no API key") else first
    first = first.replace(str(path), "FILE") if path is not None else first
    print(f"{name:48} {size:>11} {code:>4} {wall:7.2f} {peak:8.0f}  {first[:110]}")


def desired_files(tmp: Path) -> None:
    print("\nDesired files (faasdrift check FILE, no API key):")
    for name, content in DESIRED.items():
        folder = Path(tempfile.mkdtemp(dir=tmp))
        path = materialise(folder / "desired.yaml", content)
        size = "endless" if path == Path("/dev/zero") else f"{path.stat().st_size:,}"
        row(name, size, measure(["check", str(path)]), path)


def snapshots(tmp: Path) -> None:
    print("\nSnapshots (faasdrift check desired.yaml --live FILE):")
    desired = materialise(tmp / "live-desired.yaml", VALID)
    for name, content in SNAPSHOTS.items():
        path = materialise(Path(tempfile.mkdtemp(dir=tmp)) / "live.json", content)
        size = "" if not path.is_file() else f"{path.stat().st_size:,}"
        row(name, size, measure(["check", str(desired), "--live", str(path)]), path)


@contextmanager
def server(faults: Faults) -> Iterator[Emulator]:
    state: dict[str, Any] = {"namespaces": [{"project_id": 1, "region_id": 1, "name": "prod"}]}
    state["namespaces"][0]["functions"] = [LIVE_FUNCTION]
    emulator = Emulator(parse_state(state, source="bench"), api_key=KEY, faults=faults).start()
    try:
        yield emulator
    finally:
        emulator.stop()


def servers(tmp: Path) -> None:
    print("\nA hostile API server (faasdrift check against the emulator on 127.0.0.1):")
    desired = materialise(tmp / "server-desired.yaml", HEAD + "  - {name: hello, timeout: 5}\n")
    for name, (faults, options) in SERVERS.items():
        if faults.bomb or faults.list_faults:
            gzip_bomb(faults.bomb_bytes)  # built before the clock starts: it is the server's work
        with server(faults) as emulator:
            env = {"GCORE_API_KEY": KEY, "GCORE_BASE_URL": emulator.url}
            result = measure(["check", str(desired), *options], env)
        row(name, "", result, desired)


def main() -> None:
    print(f"{'input':48} {'size':>11} {'exit':>4} {'wall s':>7} {'peak MB':>8}  first line")
    row("(start-up, click and the CLI: --debug --help)", "", measure(["--debug", "--help"]), None)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        desired_files(tmp)
        snapshots(tmp)
        servers(tmp)
    print("\n" + json.dumps({"python": sys.version.split()[0], "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
