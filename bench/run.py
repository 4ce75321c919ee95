"""`make bench`: how fast `faasdrift check` is, measured as a user runs it, all in one go.

Starts the bundled emulator on 127.0.0.1 with generated state and injected latency, runs the
installed `faasdrift` as a separate process (one process per figure, nothing kept warm) and
prints every figure, the ratios between them and a verdict against the targets of issue #4.
Bounded: each run is killed after RUN_TIMEOUT seconds. Nothing leaves this machine.
"""

from __future__ import annotations

import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from faasdrift.compare import compare_function
from faasdrift.emulator import Emulator, Faults, parse_state
from faasdrift.model import (
    CheckRun,
    DesiredFunction,
    DriftResult,
    FunctionId,
    LiveResult,
    LiveStatus,
    Position,
)
from faasdrift.report.formats import ReportOptions, build_reporter

API_KEY = "1$bench-key-0123456789"  # shaped like a Gcore token, or faasdrift refuses it
RUN_TIMEOUT = 180.0
LATENCY = 0.050
FUNCTIONS, NAMESPACES = 1_000, 10
BIG = 10_000
CODE_BYTES = 2_048
DIFF_BYTES = 100_000


@dataclass(frozen=True)
class Run:
    seconds: float
    code: int
    max_rss_mb: float
    requests: int
    summary: str


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float | None = None  # the figure must be at most this (or at least, for ratios)
    at_least: bool = False

    def verdict(self) -> str:
        if self.target is None:
            return ""
        met = self.value >= self.target if self.at_least else self.value <= self.target
        bound = "≥" if self.at_least else "≤"
        return f"{'ok  ' if met else 'MISS'} (target {bound} {self.target:g} {self.unit})"


# --- generated state and desired files ------------------------------------------------------------


def code(number: int, size: int = CODE_BYTES) -> str:
    """Plausible Python of about ``size`` bytes, different for every function."""
    lines = ["import json", "import os", "", "", "def main(event, context):"]
    lines.append(f"    # handler {number}: validate the event, enrich it, hand it on")
    index = 0
    while sum(len(line) + 1 for line in lines) < size - 40:
        lines.append(f"    value_{index} = event.get('field_{index}', {number + index})  # step")
        index += 1
    lines.append("    return json.dumps({'ok': True})")
    return "\n".join(lines) + "\n"


def live_function(number: int, code_bytes: int) -> dict[str, Any]:
    return {
        "name": f"fn-{number:05d}",
        "code_text": code(number, code_bytes),
        "envs": {"LOG_LEVEL": "info", "REGION": "eu"},
        "flavor": "80mCPU-128MB",
        "timeout": 5,
        "autoscaling": {"min_instances": 1, "max_instances": 2},
        "runtime": "python3.10.13",
        "main_method": "main",
        "description": "",
        "dependencies": "",
        "enable_api_key": False,
    }


def state(functions: int, namespaces: int, code_bytes: int) -> dict[str, Any]:
    per = functions // namespaces
    return {
        "namespaces": [
            {
                "project_id": 1,
                "region_id": 1,
                "name": f"ns-{space:02d}",
                "functions": [live_function(space * per + n, code_bytes) for n in range(per)],
            }
            for space in range(namespaces)
        ]
    }


def desired_yaml(functions: int, namespaces: int, code_bytes: int) -> str:
    """The desired file a team would keep: every function in sync but every 100th (timeout)."""
    per = functions // namespaces
    out = ["version: 1", "defaults:", "  project_id: 1", "  region_id: 1", "functions:"]
    for number in range(functions):
        out += [
            f"  - name: fn-{number:05d}",
            f"    namespace: ns-{number // per:02d}",
            "    flavor: 80mCPU-128MB",
            f"    timeout: {6 if number % 100 == 0 else 5}",
            "    autoscaling: {min_instances: 1, max_instances: 2}",
            "    envs: {LOG_LEVEL: info, REGION: eu}",
            "    code_text: |",
            *(f"      {line}" if line else "" for line in code(number, code_bytes).splitlines()),
        ]
    return "\n".join(out) + "\n"


def desired_with_code_files(folder: Path, functions: int, namespaces: int, code_bytes: int) -> Path:
    """A desired file whose code lives in one file per function, as in a repository.

    10,000 functions with 2 KB of code each inline would be over 20 MB of YAML; code files are
    also how a repository of that size keeps its code.
    """
    (folder / "code").mkdir()
    per = functions // namespaces
    out = ["version: 1", "defaults:", "  project_id: 1", "  region_id: 1", "functions:"]
    for number in range(functions):
        name = f"fn-{number:05d}"
        (folder / "code" / f"{name}.py").write_text(code(number, code_bytes))
        out += [
            f"  - name: {name}",
            f"    namespace: ns-{number // per:02d}",
            f"    timeout: {6 if number % 100 == 0 else 5}",
            "    envs: {LOG_LEVEL: info, REGION: eu}",
            f"    code_file: code/{name}.py",
        ]
    desired = folder / "desired-10k.yaml"
    desired.write_text("\n".join(out) + "\n")
    return desired


# --- running faasdrift ----------------------------------------------------------------------------


def faasdrift() -> list[str]:
    script = Path(sys.executable).with_name("faasdrift")
    return [str(script)] if script.exists() else [sys.executable, "-m", "faasdrift"]


def run(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int, float, str]:
    """Wall seconds, exit code, peak RSS (MB) and stdout of one `faasdrift` process."""
    with tempfile.TemporaryFile() as out:
        began = time.perf_counter()
        process = subprocess.Popen(
            [*faasdrift(), *args], stdout=out, stderr=subprocess.STDOUT, env=env
        )
        killer = threading.Timer(RUN_TIMEOUT, lambda: os.kill(process.pid, signal.SIGKILL))
        killer.start()
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this one child
        seconds = time.perf_counter() - began
        killer.cancel()
        out.seek(0)
        text = out.read().decode(errors="replace")
    return seconds, os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, text


def check(emulator: Emulator, desired: Path, *options: str) -> Run:
    env = {**os.environ, "GCORE_API_KEY": API_KEY, "GCORE_BASE_URL": emulator.url}
    before = len(emulator.requests)
    seconds, code, rss, text = run(["check", *options, str(desired)], env)
    if code not in (0, 1):
        raise SystemExit(f"bench: faasdrift check {' '.join(options)} exited {code}:\n{text}")
    summary = text.strip().splitlines()[-1]
    return Run(seconds, code, rss, len(emulator.requests) - before, summary)


@contextmanager
def emulator(data: dict[str, Any], latency: float) -> Iterator[Emulator]:
    with Emulator(parse_state(data), api_key=API_KEY, faults=Faults(latency=latency)) as started:
        yield started


# --- the benchmarks -------------------------------------------------------------------------------


def network(folder: Path) -> list[Figure]:
    desired = folder / "desired-1k.yaml"
    desired.write_text(desired_yaml(FUNCTIONS, NAMESPACES, CODE_BYTES))
    with emulator(state(FUNCTIONS, NAMESPACES, CODE_BYTES), LATENCY) as api:
        bulk = check(api, desired)
        c8 = check(api, desired, "--fetch", "per-function", "--concurrency", "8")
        c32 = check(api, desired, "--fetch", "per-function", "--concurrency", "32")
        sequential = check(api, desired, "--fetch", "per-function", "--concurrency", "1")
    for name, result in [("bulk", bulk), ("c8", c8), ("c32", c32), ("sequential", sequential)]:
        line = f"{result.seconds:7.2f} s  {result.requests:5d} requests  {result.summary}"
        print(f"  {name:<11} {line}")
    # What a run costs besides waiting: the bulk run less its two rounds of list requests (10
    # namespaces, 8 at a time): start-up, loading the file, comparing, reporting.
    rest = bulk.seconds - rounds(NAMESPACES, 8) * LATENCY
    floor = rounds(FUNCTIONS, 32) * LATENCY + rest
    print(f"  c32 floor   {floor:7.2f} s  ({rounds(FUNCTIONS, 32)} rounds of 50 ms + {rest:.2f} s)")
    ideal = FUNCTIONS * LATENCY
    return [
        Figure("bulk, 1k functions, 10 namespaces, 50 ms", bulk.seconds, "s", 1.0),
        Figure("bulk requests (pages)", bulk.requests, "requests", pages(FUNCTIONS)),
        Figure("per-function c=8", c8.seconds, "s", 1.25 * ideal / 8),
        Figure("per-function c=32", c32.seconds, "s", 1.25 * ideal / 32),
        Figure("per-function c=32, floor (waits + the rest)", floor, "s"),
        Figure("per-function c=8 requests", c8.requests, "requests", FUNCTIONS),
        Figure("sequential per-function (c=1)", sequential.seconds, "s"),
        Figure("bulk vs sequential", sequential.seconds / bulk.seconds, "x", 20, at_least=True),
        Figure("c=32 vs sequential", sequential.seconds / c32.seconds, "x"),
    ]


def rounds(requests: int, concurrency: int) -> int:
    return -(-requests // concurrency)


def pages(functions: int) -> int:
    """List pages of 1000 needed for ``functions`` spread over NAMESPACES namespaces."""
    return NAMESPACES * -(-(functions // NAMESPACES) // 1000)


def cpu(folder: Path) -> list[Figure]:
    desired = desired_with_code_files(folder, BIG, NAMESPACES, CODE_BYTES)
    size = desired.stat().st_size / 1024 / 1024
    with emulator(state(BIG, NAMESPACES, CODE_BYTES), 0.0) as api:
        big = check(api, desired)  # the product as shipped: 10,000 is the schema's maximum
    print(f"  10k        {big.seconds:7.2f} s  {big.requests:5d} requests  {big.summary}")
    print(f"             desired file {size:.1f} MB + code files; peak RSS {big.max_rss_mb:.0f} MB")
    return [
        Figure("10k functions (2 KB code), no latency", big.seconds, "s", 10.0),
        Figure("10k functions, peak RSS", big.max_rss_mb, "MB", 200.0),
        Figure("10k functions requests (pages)", big.requests, "requests", pages(BIG)),
    ]


def diff() -> list[Figure]:
    """Compare and render one pair of 100 KB code_texts that differ every few lines."""
    live_code = code(1, DIFF_BYTES)
    lines = live_code.splitlines(keepends=True)
    desired_code = "".join(
        line.replace("step", "STEP") if n % 7 == 0 else line for n, line in enumerate(lines)
    )
    identity = FunctionId(1, 1, "ns", "big")
    desired = DesiredFunction(identity, {"code_text": desired_code}, Position(1, 1))
    live = LiveResult(identity, LiveStatus.FOUND, data={"code_text": live_code})
    reporter = build_reporter("text", ReportOptions(color=False, verbose=False))

    def once() -> None:
        result = compare_function(desired, live)
        reporter.render(CheckRun(DriftResult("d.yaml", (result,)), 1, datetime.now(timezone.utc)))

    times = timed(once, 7)
    changed = sum(1 for a, b in zip(lines, desired_code.splitlines(True), strict=True) if a != b)
    print(f"  diff       {len(lines)} lines, {changed} changed: median {times[0] * 1000:.1f} ms")
    return [Figure("diff + render of 100 KB code_text", times[0] * 1000, "ms", 50.0)]


def timed(action: Callable[[], None], repeat: int) -> tuple[float, float]:
    """(median, first) seconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples), samples[0]


def version() -> list[Figure]:
    samples = [run(["--version"])[0] * 1000 for _ in range(11)]
    median = statistics.median(samples)
    print(f"  --version  median {median:.0f} ms, min {min(samples):.0f} ms")
    return [Figure("faasdrift --version", median, "ms", 150.0)]


def machine() -> str:
    model = "unknown CPU"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GB RAM"
    return (
        f"{platform.system()} {platform.release()}, {model}, {os.cpu_count()} CPUs{memory}, "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    print(f"faasdrift benchmark on {machine()}")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="faasdrift-bench-") as scratch:
        folder = Path(scratch)
        latency = f"{LATENCY * 1000:.0f} ms per request"
        print(f"network-bound: {FUNCTIONS} functions, {NAMESPACES} namespaces, {latency}")
        figures += network(folder)
        print(f"CPU-bound: {BIG} functions with {CODE_BYTES} B of code, no latency")
        figures += cpu(folder)
    figures += diff()
    figures += version()
    print()
    width = max(len(figure.name) for figure in figures)
    for figure in figures:
        print(f"{figure.name:<{width}}  {figure.value:9.2f} {figure.unit:<8}  {figure.verdict()}")
    missed = [figure for figure in figures if figure.verdict().startswith("MISS")]
    print(
        f"\n{len(figures) - len(missed)} of {len(figures)} figures meet their target"
        if missed
        else "\nevery target met"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
