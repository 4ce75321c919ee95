"""What several test suites share: a typical live function, a folder with a secret beside it,
and the project's scripts (``make schemas``, ``make help-page``) loaded as modules."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent

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


def project_script(relative: str) -> ModuleType:
    """The script at ``relative`` to the project (not a package module), loaded as a module."""
    path = PROJECT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
