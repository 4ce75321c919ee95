"""The script a user would write without faasdrift: requests, one GET per function, DeepDiff.

    naive.py URL KEY DESIRED

Loads the desired file with yaml.safe_load, GETs each declared function in turn and diffs it
with DeepDiff. `make bench` measures it beside faasdrift's bulk check ("bulk vs naive").
requests is a bench-only extra (pyproject's [bench]), never a dependency of faasdrift.
"""

from __future__ import annotations

import sys
from pathlib import Path

import requests
import yaml
from deepdiff import DeepDiff


def main(url: str, key: str, desired: str) -> int:
    document = yaml.safe_load(Path(desired).read_text())
    session = requests.Session()
    session.headers["Authorization"] = f"APIKey {key}"
    drifted = 0
    for function in document["functions"]:
        where = f"{url}/cloud/v1/faas/namespaces/1/1/{function['namespace']}/{function['name']}"
        live = session.get(where, timeout=30).json()
        declared = {name: value for name, value in function.items() if name != "namespace"}
        actual = {name: live.get(name) for name in declared}
        drifted += bool(DeepDiff(actual, declared))
    print(f"{drifted} of {len(document['functions'])} functions drifted")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
