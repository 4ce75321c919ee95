"""Which way a value drifted: its own module, so that both results and memory can name it."""

from __future__ import annotations

from enum import Enum


class ChangeKind(Enum):
    CHANGED = "changed"
    ADDED = "added"  # declared, not live: applying the file would add it
    REMOVED = "removed"  # live, not declared: applying the file would remove it
