"""What ``--fail-on`` can name, for a check and for a gate, and how its comma list is read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from faasdrift.model import FunctionStatus, GateClass

T = TypeVar("T")

# The outcomes `--fail-on` can name, and what each means in the result.
FAIL_ON_NAMES: Mapping[str, FunctionStatus] = {
    "drift": FunctionStatus.DRIFTED,
    "missing": FunctionStatus.MISSING,
    "not_checked": FunctionStatus.NOT_CHECKED,
}
FAIL_ON_ALL: frozenset[FunctionStatus] = frozenset(FAIL_ON_NAMES.values())

# The classes `gate --fail-on` can name: what would be lost by the deploy.
GATE_FAIL_ON_NAMES: Mapping[str, GateClass] = {
    "overwrite": GateClass.OVERWRITE,
    "conflict": GateClass.CONFLICT,
}


def parse_fail_on(text: str) -> frozenset[FunctionStatus]:
    """``drift,missing`` -> the statuses it names; ``none`` -> none. Raises ``ValueError``."""
    return _parse_names(text, FAIL_ON_NAMES)


def parse_gate_fail_on(text: str) -> frozenset[GateClass]:
    """``overwrite,conflict`` -> the classes it names; ``none`` -> none. Raises ``ValueError``."""
    return _parse_names(text, GATE_FAIL_ON_NAMES)


def _parse_names(text: str, known: Mapping[str, T]) -> frozenset[T]:
    names = [name.strip() for name in text.split(",")]
    if names == ["none"]:
        return frozenset()
    unknown = [name for name in names if name not in known]
    if unknown:
        choices = ", ".join([*known, "none"])
        raise ValueError(f"unknown outcome {unknown[0]!r}: use a comma list of {choices}")
    return frozenset(known[name] for name in names)
