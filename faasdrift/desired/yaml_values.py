"""The value of each scalar event of a desired file that is not a string, for ``yaml_events``.

Every such value is immutable (a number, a boolean, null, a date), so the few that repeat
thousands of times (``5``, ``true``, ``1``) are read once, and plain decimal integers skip
PyYAML's constructor, which a file of 300,000 numbers would otherwise spend a second in.
"""

from __future__ import annotations

from typing import Any

from yaml.constructor import SafeConstructor
from yaml.events import ScalarEvent
from yaml.nodes import ScalarNode

from faasdrift.desired.yaml_limits import MAX_NUMBER_CHARS
from faasdrift.desired.yaml_tags import CONSTRUCTOR_ERRORS, CORE, NUMBER_TAGS, Unusual

_CONSTRUCTORS = SafeConstructor.yaml_constructors
_INT = CORE + "int"
_SAFE_INT = 2**53  # as ``schemas.is_plain``: beyond it a compiled validator may round
_KNOWN_CHARS, _KNOWN_VALUES = 64, 10_000  # scalars read once: short ones, and not too many


class ScalarValues:
    """Reads scalars; ``plain`` stays True while every value read is one a compiled validator
    reads as jsonschema does (no float, date or integer beyond 2**53: ``schemas.is_plain``)."""

    def __init__(self) -> None:
        self._constructor = SafeConstructor()
        self._known: dict[tuple[str, str], tuple[Any, bool]] = {}
        self.plain = True

    def read(self, tag: str, value: str, event: ScalarEvent) -> Any:
        """The value of a scalar that is not a string. Every such value is immutable (a number,
        a boolean, null, a date), so the few that repeat thousands of times are read once."""
        known = self._known.get((tag, value))
        if known is None:
            known = self._read(tag, value, event)
            if len(value) <= _KNOWN_CHARS and len(self._known) < _KNOWN_VALUES:
                self._known[(tag, value)] = known
        data, exact = known
        if not exact:
            self.plain = False  # a float, a date, a time, a big integer
        return data

    def _read(self, tag: str, value: str, event: ScalarEvent) -> tuple[Any, bool]:
        if tag in NUMBER_TAGS and len(value) > MAX_NUMBER_CHARS:
            raise Unusual("a number too long")
        if tag == _INT and value.isdigit() and value.isascii() and value[0] != "0":
            data: Any = int(value)  # what construct_yaml_int makes of plain decimal digits
        else:
            node = ScalarNode(tag, value, event.start_mark, event.end_mark)  # type: ignore[arg-type]
            try:
                data = _CONSTRUCTORS[tag](self._constructor, node)
            except CONSTRUCTOR_ERRORS:
                raise Unusual("a scalar its tag cannot read") from None
        kind = type(data)
        exact = kind is bool or data is None or (kind is int and -_SAFE_INT < data < _SAFE_INT)
        return data, exact
