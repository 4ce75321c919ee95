"""The live side: what the Gcore API said of each function and of each namespace list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from faasdrift.model.desired import FunctionId, NamespaceKey


class LiveStatus(Enum):
    FOUND = "found"
    MISSING = "missing"
    ERROR = "error"


@dataclass(frozen=True)
class LiveResult:
    """What the API said of one function: its fields, that it is missing, or why we can't tell.

    ``reason`` says why it is not checked; for a missing function it is None ("no such
    function") or why it is missing (its namespace does not exist).
    """

    identity: FunctionId
    status: LiveStatus
    data: Mapping[str, Any] | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Failure:
    """Why a request or a list gave nothing usable.

    ``fall_back`` says whether asking for each function on its own may still work: yes when the
    API answered but not with a usable list; no when it did not answer or kept refusing (429).
    """

    reason: str
    fall_back: bool = False


@dataclass(frozen=True)
class FunctionList:
    """Every function of a namespace by name, as its list pages gave them.

    ``complete`` is False when the pages contradicted themselves (a count they did not deliver,
    a count that changed, a name given twice, an item of another namespace): then a name absent
    here proves nothing. A name given twice is not in ``items`` (which copy would be true?) but in
    ``repeated``: it exists, and only a GET can say what it holds. ``missing_reason`` is set when
    the namespace itself does not exist: then every function in it is missing, for that reason.
    """

    items: Mapping[str, Mapping[str, Any]]
    complete: bool
    repeated: frozenset[str] = frozenset()
    missing_reason: str | None = None
    # The names whose items are plain (``schemas.is_plain``), as the parse of their page told:
    # a compiled validator may judge them without walking them first. Absent: walk it.
    plain: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fetched:
    """Every declared function's live result, and how many retries it took to get them."""

    live: Mapping[FunctionId, LiveResult]
    retries: int
    # What each namespace list said, when lists were asked for (bulk mode, or ``list_all``): the
    # unmanaged-function check reads them. A namespace absent here was not listed.
    listings: Mapping[NamespaceKey, FunctionList | Failure] = field(default_factory=dict)
    deadline_passed: bool = False  # the run's deadline cut the fetch short
    late: int = 0  # how many declared functions it left unfetched (each "not checked")
