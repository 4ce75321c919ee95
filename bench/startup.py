"""``faasdrift --version`` and ``--help``, each beside ``python -c pass`` in the same rounds.

Two installs are timed. The development venv's is editable: every start runs setuptools'
editable finder from a ``.pth`` file, which a user's install never has. So a wheel is built and
installed, without its dependencies, into a throwaway venv that borrows them from this one
(a ``.pth`` line naming this venv's site-packages: the editable finder's own ``.pth`` there is
not read, since Python reads ``.pth`` files only in its own site directories). That venv's
figure is the one a user sees, and the one compared with the 60 ms target.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROUNDS = 11
PROJECT = Path(__file__).resolve().parent.parent


def seconds(args: Sequence[str]) -> float:
    began = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - began


def interleaved(command: Sequence[str], python: str) -> tuple[float, float]:
    """Medians in ms of ``command`` and of ``python -c pass``, alternating, order flipping."""
    ours: list[float] = []
    bare: list[float] = []
    for round_number in range(ROUNDS):
        pair = [(ours, command), (bare, [python, "-c", "pass"])]
        for samples, args in pair if round_number % 2 else pair[::-1]:
            samples.append(seconds(args) * 1000)
    return statistics.median(ours), statistics.median(bare)


def wheel_venv(folder: Path) -> Path:
    """A venv holding faasdrift as a wheel installs it; its ``faasdrift`` script."""
    wheels, venv = folder / "wheels", folder / "venv"
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    build = [*pip, "wheel", "--no-deps", "-w", str(wheels), str(PROJECT)]
    # setuptools' warnings go nowhere: packaging is not what this measures.
    subprocess.run(build, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    (wheel,) = wheels.glob("faasdrift-*.whl")
    install = [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(install, check=True, stdout=subprocess.DEVNULL)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv / "bin" / "faasdrift"


def measure(installs: dict[str, Path]) -> list[tuple[str, str, float, float]]:
    """(install, flag, faasdrift ms, python -c pass ms) for each install and flag."""
    rows = []
    for install, script in installs.items():
        python = str(script.with_name("python"))
        for flag in ("--version", "--help"):
            ours, bare = interleaved([str(script), flag], python)
            print(
                f"  {install:<8} faasdrift {flag:<10} {ours:5.0f} ms; python -c pass {bare:.0f} ms"
            )
            rows.append((install, flag, ours, bare))
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="faasdrift-startup-") as scratch:
        script = wheel_venv(Path(scratch))
        measure({"wheel": script, "editable": Path(sys.executable).with_name("faasdrift")})
        if "--keep" in sys.argv:  # to profile it: python -X importtime <venv>/bin/faasdrift
            input(f"the wheel's venv: {script.parent.parent}; Enter removes it ")


if __name__ == "__main__":
    main()
