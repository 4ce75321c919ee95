"""`make bench`: how fast `faasdrift check` is, measured as a user runs it, all in one go.

Starts the bundled emulator on 127.0.0.1 with generated state and injected latency, runs the
`faasdrift` a user runs (this tree's wheel, installed in a throwaway venv) as a separate
process (one process per figure, nothing kept warm) and prints every figure, the ratios between
them and a verdict against the targets of issue #12. Bounded: each run is killed after
RUN_TIMEOUT seconds. Nothing leaves this machine.
"""

from __future__ import annotations

import dataclasses
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

import startup

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


# --- running faasdrift and its limits, side by side ---------------------------------------------

BENCH = Path(__file__).resolve().parent
ROUNDS = int(os.environ.get("FAASDRIFT_BENCH_ROUNDS", "5"))


@dataclass(frozen=True)
class Sample:
    seconds: float
    cpu: float  # user + system seconds of the process
    max_rss_mb: float
    requests: int
    output: str


# The faasdrift every figure runs: this tree's wheel, installed by ``main`` in a venv of its own
# (bench/startup.py). That is what a user runs, with its modules compiled to bytecode when pip
# installs it; the development venv's editable install adds setuptools' finder to every start,
# and under PYTHONDONTWRITEBYTECODE it would compile every module on every run as well.
INSTALLED: list[Path] = []


def faasdrift() -> list[str]:
    return [str(INSTALLED[0])]


def run(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[Sample, int]:
    """One process, timed: its sample (wall, CPU, peak RSS, stdout) and its exit code."""
    with tempfile.TemporaryFile() as out:
        began = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
        killer = threading.Timer(RUN_TIMEOUT, lambda: os.kill(process.pid, signal.SIGKILL))
        killer.start()
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this one child
        seconds = time.perf_counter() - began
        killer.cancel()
        out.seek(0)
        text = out.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(seconds, cpu, usage.ru_maxrss / 1024, 0, text), os.waitstatus_to_exitcode(status)


def counted(api: Emulator, args: Sequence[str], env: dict[str, str], ok: Sequence[int]) -> Sample:
    before = len(api.requests)
    sample, code = run(args, env)
    if code not in ok:
        raise SystemExit(f"bench: {' '.join(args)} exited {code}:\n{sample.output}")
    return dataclasses.replace(sample, requests=len(api.requests) - before)


def side_by_side(
    api: Emulator, ours: Sequence[str], limit: Sequence[str], rounds: int = ROUNDS
) -> tuple[list[Sample], list[Sample]]:
    """``rounds`` runs of faasdrift and of its limit, interleaved (the order alternating), so
    that whatever else the machine does weighs on both alike."""
    env = {**os.environ, "GCORE_API_KEY": API_KEY, "GCORE_BASE_URL": api.url}
    mine: list[Sample] = []
    theirs: list[Sample] = []
    for number in range(rounds):
        steps = [(mine, [*faasdrift(), *ours], (0, 1)), (theirs, list(limit), (0,))]
        for samples, args, ok in steps if number % 2 == 0 else steps[::-1]:
            samples.append(counted(api, args, env, ok))
    return mine, theirs


def median(samples: Sequence[Sample], what: str = "seconds") -> float:
    return float(statistics.median(getattr(sample, what) for sample in samples))


def limit_script(*args: str) -> list[str]:
    return [sys.executable, str(BENCH / "limit.py"), *args]


@contextmanager
def emulator(data: dict[str, Any], latency: float) -> Iterator[Emulator]:
    with Emulator(parse_state(data), api_key=API_KEY, faults=Faults(latency=latency)) as started:
        yield started


def show(name: str, ours: Sequence[Sample], limit: Sequence[Sample]) -> float:
    """Print one pair of medians and return their ratio."""
    mine, theirs = median(ours), median(limit)
    spread = f"faasdrift {min(s.seconds for s in ours):.2f}-{max(s.seconds for s in ours):.2f} s"
    print(
        f"  {name:<24} {mine:6.2f} s  limit {theirs:6.2f} s  ratio {mine / theirs:5.2f}  ({spread})"
    )
    return mine / theirs


# --- the benchmarks -------------------------------------------------------------------------------


def pages(functions: int) -> int:
    """List pages of 1000 needed for ``functions`` spread over NAMESPACES namespaces."""
    return NAMESPACES * -(-(functions // NAMESPACES) // 1000)


def namespaces() -> list[str]:
    return [f"ns-{space:02d}" for space in range(NAMESPACES)]


def network(folder: Path) -> list[Figure]:
    desired = folder / "desired-1k.yaml"
    desired.write_text(desired_yaml(FUNCTIONS, NAMESPACES, CODE_BYTES))
    paths = [
        f"cloud/v1/faas/namespaces/1/1/ns-{n // (FUNCTIONS // NAMESPACES):02d}/fn-{n:05d}"
        for n in range(FUNCTIONS)
    ]
    figures: list[Figure] = []
    with emulator(state(FUNCTIONS, NAMESPACES, CODE_BYTES), LATENCY) as api:
        bulk_limit = limit_script("bulk", api.url, API_KEY, str(desired), *namespaces())
        bulk = side_by_side(api, ["check", str(desired)], bulk_limit)
        ratio = show("bulk 1k/10 ns/50 ms", *bulk)
        figures += [
            Figure("bulk 1k/10 ns/50 ms", median(bulk[0]), "s"),
            Figure("bulk 1k, its limit (same run)", median(bulk[1]), "s"),
            Figure("bulk 1k ratio to the limit", ratio, "x", 1.3),
            Figure("bulk requests (pages)", bulk[0][0].requests, "requests", pages(FUNCTIONS)),
        ]
        for lanes in (8, 32):
            ours = ["check", "--fetch", "per-function", "--concurrency", str(lanes), str(desired)]
            pair = side_by_side(
                api, ours, limit_script("get", api.url, API_KEY, str(lanes), *paths)
            )
            ratio = show(f"per-function c={lanes}", *pair)
            figures += [
                Figure(f"per-function c={lanes}", median(pair[0]), "s"),
                Figure(f"per-function c={lanes}, its limit", median(pair[1]), "s"),
                Figure(f"per-function c={lanes} ratio to the limit", ratio, "x", 1.15),
            ]
        naive_args = [sys.executable, str(BENCH / "naive.py"), api.url, API_KEY, str(desired)]
        naive = side_by_side(api, ["check", str(desired)], naive_args)
        speedup = median(naive[1]) / median(naive[0])
        print(
            f"  naive requests+DeepDiff  {median(naive[1]):6.2f} s  bulk is {speedup:.0f}x faster"
        )
    return [
        *figures,
        Figure("naive sequential requests + DeepDiff", median(naive[1]), "s"),
        Figure("bulk vs naive script", speedup, "x", 40, at_least=True),
    ]


def cpu(folder: Path) -> list[Figure]:
    desired = folder / "desired-10k.yaml"
    desired.write_text(desired_yaml(BIG, NAMESPACES, CODE_BYTES))  # 2 KB of inline code each
    size = desired.stat().st_size / 1024 / 1024
    with emulator(state(BIG, NAMESPACES, CODE_BYTES), 0.0) as api:
        limit = limit_script("bulk", api.url, API_KEY, str(desired), *namespaces())
        ours, theirs = side_by_side(api, ["check", str(desired)], limit)
        ratio = show("10k, no latency", ours, theirs)
    rss, cpu_each = median(ours, "max_rss_mb"), median(ours, "cpu") / BIG * 1000
    their_rss, their_cpu = median(theirs, "max_rss_mb"), median(theirs, "cpu") / BIG * 1000
    print(f"  desired file {size:.1f} MB; peak RSS {rss:.0f} MB (limit {their_rss:.0f} MB)")
    # The CPU target is absolute, so it moves with the machine: the limit's own CPU, measured in
    # the same rounds, says how fast this machine was.
    print(f"  CPU per function {cpu_each:.3f} ms (limit {their_cpu:.3f} ms)")
    return [
        Figure("10k functions (2 KB inline code), no latency", median(ours), "s"),
        Figure("10k, its limit (same run)", median(theirs), "s"),
        Figure("10k ratio to the limit", ratio, "x", 1.3),
        Figure("10k functions, peak RSS", rss, "MB", 200.0),
        Figure("10k CPU per function (user + system)", cpu_each, "ms", 0.3),
        Figure("10k CPU per function, its limit", their_cpu, "ms"),
        Figure("10k CPU ratio to the limit", cpu_each / their_cpu, "x"),
        Figure("10k functions requests (pages)", ours[0].requests, "requests", pages(BIG)),
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
    """--version and --help of a wheel install (what users run) and of this editable venv,
    each beside ``python -c pass`` of the same venv (bench/startup.py)."""
    installs = {"wheel": INSTALLED[0], "editable": Path(sys.executable).with_name("faasdrift")}
    figures = []
    for install, flag, ours, bare in startup.measure(installs):
        target = 60.0 if install == "wheel" else None
        figures.append(Figure(f"faasdrift {flag} ({install})", ours, "ms", target))
        figures.append(Figure(f"  python -c pass, same rounds ({install})", bare, "ms"))
    return figures


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


def uptime() -> str:
    with suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "unknown"


def main() -> int:
    print(f"faasdrift benchmark on {machine()}")
    print(f"load: {uptime()}; medians of {ROUNDS} interleaved rounds")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="faasdrift-bench-") as scratch:
        folder = Path(scratch)
        INSTALLED.append(startup.wheel_venv(folder))
        print(f"faasdrift: {INSTALLED[0]} (this tree's wheel, installed)")
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
