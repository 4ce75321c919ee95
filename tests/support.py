"""What several test suites share: a typical live function, and a folder with a secret beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

LIVE_CODE = "def main():\n    return 'ok'\n"


def typical_function(name: str, **fields: Any) -> dict[str, Any]:
    """A function with every compared field set to a typical value, unless overridden: what the
    API answers for it, and what a desired file in sync with it declares."""
    return {
        "name": name,
        "code_text": LIVE_CODE,
        "envs": {"LOG_LEVEL": "info"},
        "flavor": "80mCPU-128MB",
        "timeout": 5,
        "autoscaling": {"min_instances": 1, "max_instances": 2},
        "runtime": "python3.10.13",
        "main_method": "main",
        "description": "",
        "dependencies": "",
        "enable_api_key": False,
        **fields,
    }


def folder_beside_secret(root: Path, secret: str) -> Path:
    """A desired file's folder ``root/repo``, with ``root/secret.txt`` just outside it holding
    ``secret``: text that must never show up in any output of a check of the folder."""
    (root / "secret.txt").write_text(secret + "\n")
    folder = root / "repo"
    folder.mkdir()
    return folder
