"""The raw material of the fuzz strategies: a valid desired file and the values that break it."""

from __future__ import annotations

from typing import Any

from tests.support import typical_function

# ``@SECRET@`` in a drawn file stands for the absolute path of a secret outside the desired
# file's folder; the tests replace it with the real path before writing the file.
SECRET_PLACEHOLDER = "@SECRET@"

# Valid, and in sync with what the fuzz emulator serves (see test_fuzz_cli.py): mutations that
# happen to keep it valid give exit 0, others 1 (drift, missing) or 2 (invalid).
BASE: dict[str, Any] = {
    "version": 1,
    "defaults": {"project_id": 1, "region_id": 1, "namespace": "prod"},
    "functions": [
        typical_function("hello"),
        {"name": "orders", "code_file": "code/hello.py", "timeout": 5},
    ],
}

# Inside the folder (fine, a directory, missing, a FIFO), and every way out of it.
CODE_FILES = [
    "code/hello.py",
    "./code/../code/hello.py",
    "code",
    "missing.py",
    "pipe",
    "link-to-secret.py",
    "../secret.txt",
    "code/../../secret.txt",
    SECRET_PLACEHOLDER,
    "/etc/passwd",
    "/dev/zero",
    "",
    "\0",
]
KNOWN_KEYS = [
    *BASE["functions"][0],
    "code_file",
    "sensitive",
    "project_id",
    "region_id",
    "namespace",
    "functions",
    "defaults",
    "version",
    "min_instances",
    "max_instances",
    "<<",
    "id",
    "status",
]
NUMBERS = [0, -1, 1, 50, 51, 180, 181, 2**31, 2**63, 2**64, 10**30, -(10**30), 10**400]
FLOATS = [0.5, -0.0, 1e308, float("inf"), float("-inf"), float("nan"), 5.0]
# What YAML reads specially, spliced into the text at random places.
TOKENS = [
    "&a ",
    "*a",
    "*nowhere",
    "&a [*a]",
    "!!python/object/apply:os.system ['true'] ",
    "!!python/name:os.system ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!int ",
    "!!str ",
    "!Local ",
    "<<: ",
    "? ",
    "- ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "'",
    '"',
    "#",
    "|",
    ">-",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2024:\n",
    "---\n",
    "...\n",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "\x85",
    "\u2028",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "\\",
    '"\\ud800"',
    '"\\x00"',
    "${FUZZ_VAR}",
    "${UNSET_FUZZ_VAR}",
    "${",
    "$${x}",
    "${FUZZ_VAR:-default}",
    "2023-02-30",
    "0x1F",
    "0o17",
    "1e400",
    ".nan",
    "~",
    "yes",
    "NO",
]
