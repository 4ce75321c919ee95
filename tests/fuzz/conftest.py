"""What the fuzz tests share: how many examples, a workspace with a secret, a live emulator.

The normal test suite runs a few hundred examples per test; ``make fuzz`` sets
FAASDRIFT_FUZZ_EXAMPLES=10000. Hypothesis keeps failing examples in .hypothesis/ and replays them
first on the next run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from faasdrift.emulator import Emulator, parse_state
from tests.fuzz.samples import BASE, SECRET_PLACEHOLDER
from tests.support import LIVE_CODE

EXAMPLES = int(os.environ.get("FAASDRIFT_FUZZ_EXAMPLES", "200"))
# No deadline: time is measured in bench/, never asserted in tests. Big examples are the point.
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
API_KEY = "99$fuzz-api-key-0123456"
# If this text shows up anywhere, a desired file managed to read a file outside its folder.
SECRET = "FAASDRIFT-FUZZ-SECRET-4b1d"


@dataclass(frozen=True)
class Workspace:
    """A desired file's folder (with code, a FIFO, a symlink out) next to a secret file."""

    folder: Path
    secret: Path
    key_file: Path

    def write(self, data: bytes) -> Path:
        """Write ``data`` as the desired file, the secret's placeholder made a real path."""
        path = self.folder / "desired.yaml"
        path.write_bytes(data.replace(SECRET_PLACEHOLDER.encode(), str(self.secret).encode()))
        return path


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("fuzz")
    secret = root / "secret.txt"
    secret.write_text(SECRET + "\n")
    folder = root / "repo"
    (folder / "code").mkdir(parents=True)
    (folder / "code" / "hello.py").write_text(LIVE_CODE)
    if os.name == "posix":
        (folder / "link-to-secret.py").symlink_to(secret)
        os.mkfifo(folder / "pipe")
    key_file = root / "api-key"
    key_file.write_text(API_KEY)
    return Workspace(folder, secret, key_file)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """Serves what the base desired file declares (an unmutated file is in sync), and every
    compared field of each function: the API always answers all of them."""
    hello, orders = BASE["functions"]
    live = [hello, {**hello, "name": orders["name"]}]
    state = {"namespaces": [{"project_id": 1, "region_id": 1, "name": "prod", "functions": live}]}
    with Emulator(parse_state(state), api_key=API_KEY) as started:
        yield started
