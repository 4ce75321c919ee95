"""Where a declared function's fields stand in its desired file, worked out when first asked.

A report points at the line of each change it shows, so every function carries the positions of
its compared fields (``DesiredFunction.positions``). Nearly all functions are in sync and never
shown at a position of theirs: here the positions of a function are computed only the first time
one of them is read, from the nodes the YAML reader kept of that function's entry.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from faasdrift.desired.yaml_document import Node, YamlDocument
from faasdrift.model import COMPARED_FIELDS, Position


class LazyPositions(Mapping[str, Position]):
    """The positions of one function's compared fields, by dotted path (``envs.LOG_LEVEL``),
    computed on first use from ``entry`` (the function's data) and ``node`` (its YAML node)."""

    __slots__ = ("_entry", "_node", "_positions")

    def __init__(self, entry: dict[str, Any], node: Node) -> None:
        # Kept as they are: a YamlDocument of them is built only if a position is asked for.
        self._entry: dict[str, Any] | None = entry
        self._node: Node | None = node
        self._positions: dict[str, Position] | None = None

    def _all(self) -> dict[str, Position]:
        if self._positions is None:
            assert self._entry is not None  # both set until the positions are computed
            assert self._node is not None
            self._positions = field_positions(YamlDocument(self._entry, self._node))
            self._entry = self._node = None
        return self._positions

    def __getitem__(self, path: str) -> Position:
        return self._all()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


def field_positions(entry: YamlDocument) -> dict[str, Position]:
    """Each compared field of a function's ``entry``, each key of a mapping field and each member
    of a list field (a set, so keyed by value), at its value's position."""
    data: dict[str, Any] = entry.data
    positions: dict[str, Position] = {}
    for key in (*COMPARED_FIELDS, "code_file"):
        if key not in data:
            continue
        name = "code_text" if key == "code_file" else key  # drift is reported on code_text
        positions[name] = entry.value_position((key,))
        nested = data[key] if isinstance(data[key], dict) else {}
        for child in nested:
            positions[f"{name}.{child}"] = entry.value_position((key, child))
        members = data[key] if isinstance(data[key], list) else []
        for index, member in enumerate(members):
            positions.setdefault(f"{name}.{member}", entry.value_position((key, index)))
    return positions
