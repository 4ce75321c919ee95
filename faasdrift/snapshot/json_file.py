"""JSON files that may come from anyone: a snapshot (``check --live``), a baseline (``--baseline``).

Each is read as a desired file is: a regular file only (a FIFO would block for ever and
``/dev/zero`` never ends), at most ``max_bytes``, its JSON values counted before anything is
built, its nesting bounded. One reader, so every JSON input has the same limits and messages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from faasdrift.desired.files import ReadError, read_regular_file
from faasdrift.desired.yaml_limits import MAX_DEPTH
from faasdrift.errors import UsageError
from faasdrift.live.body import json_shape_problem


def read_json_file(
    path: Path, *, what: str, max_bytes: int, max_values: int, error: type[UsageError]
) -> Any:
    """The JSON data of ``path`` (``what`` names it in messages: "snapshot", "baseline");
    ``error`` (exit 2) saying why it cannot be used."""
    try:
        raw = read_regular_file(path, max_bytes=max_bytes)
    except ReadError as problem:
        raise error(f"cannot read {what} {path}: {problem.reason}") from None
    shape = json_shape_problem(raw, max_values=max_values)
    if shape is not None:
        raise error(f"{what} {path} is not usable: {shape.removeprefix('invalid response: ')}")
    too_deep = False
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:  # deeper than the parser goes: refused like any deep file
        data, too_deep = None, True
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise error(f"{what} {path} is not JSON: {problem}") from None
    except ValueError:  # a number Python will not build: more than 4,300 digits
        raise error(f"{what} {path} holds a number too long to read") from None
    if too_deep or _depth(data) > MAX_DEPTH:
        raise error(f"{what} {path} is nested deeper than {MAX_DEPTH} levels")
    return data


def _depth(data: Any) -> int:
    """How deep ``data`` nests, without recursion (the parser bounded it already)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            stack.extend((child, depth + 1) for child in children)
    return deepest
