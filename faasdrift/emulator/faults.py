"""Test hooks: the ways the emulator can misbehave on purpose, and the bodies it then sends.

``Faults`` is one frozen value handed to the emulator at start. Function-targeted faults name a
function by ``name`` (any namespace) or ``namespace/name``; they apply to GET of that function only,
never to lists. List-targeted faults (``list_errors``, ``list_faults``) name a namespace and
apply to its function list only. A new fault is one more field here and one more branch in the
server.

``list_repeats`` maps a function (``name`` or ``namespace/name``) to fields its list page changes
in a second copy of it (``{}``: an equal copy); ``list_foreign`` adds an item to a namespace's
list pages that says it lives elsewhere (e.g. ``{"name": "hello", "namespace": "staging"}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

# What the emulator answers when ``limit`` is absent; the real default is undocumented.
DEFAULT_LIMIT = 1000
MAX_LIMIT = 1000

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>\n"
    b"<body><h1>We'll be back soon</h1><p>The service is under maintenance.</p></body></html>\n"
)


class BodyFault(Enum):
    """A 200 answer for GET of a function that is broken in transit or in content."""

    MALFORMED = "malformed"  # JSON cut in half, Content-Length matching what is sent
    HTML = "html"  # an HTML page with Content-Type text/html
    HUGE = "huge"  # the real object padded with ``huge_bytes`` of filler
    RESET = "reset"  # full Content-Length announced, half sent, then a TCP reset
    HANG = "hang"  # the real answer, but only after ``hang_seconds`` (or at stop)
    BOMB = "bomb"  # "Content-Encoding: gzip, gzip": a few KB that inflate to ``bomb_bytes``
    TRICKLE = "trickle"  # the real answer, one byte every ``trickle_seconds``


@dataclass(frozen=True, kw_only=True)
class Faults:
    """What to break. The default value breaks nothing."""

    latency: float = 0.0  # seconds added before every answer
    rate_limit_first: int = 0  # the first N requests (any method, any path) answer 429
    retry_after: int | None = None  # Retry-After seconds on those 429s; None: no header
    retry_after_date: bool = False  # send that Retry-After as an HTTP date, not in seconds
    retry_after_ms: int | None = None  # Retry-After-Ms on those 429s; None: no header
    function_errors: Mapping[str, int] = field(default_factory=dict)  # function -> status
    malformed: frozenset[str] = frozenset()
    html: frozenset[str] = frozenset()
    huge: frozenset[str] = frozenset()
    reset: frozenset[str] = frozenset()
    hang: frozenset[str] = frozenset()
    hang_seconds: float = 30.0
    huge_bytes: int = 8 * 1024 * 1024
    list_count_extra: int = 0  # lists claim this many more items than exist
    list_overlap: int = 0  # pages after the first start this many items early (repeats)
    default_limit: int = DEFAULT_LIMIT  # page size when a list request has no ``limit``
    max_page_size: int = MAX_LIMIT  # pages never hold more, whatever ``limit`` asks
    list_errors: Mapping[str, int] = field(default_factory=dict)  # namespace -> status
    list_faults: Mapping[str, BodyFault] = field(default_factory=dict)  # namespace -> fault
    # Answers that break Gcore's contract (see ``contradictions``), each as a real server might:
    route_404_html: bool = False  # a path with no route answers 404 with an HTML page
    forbidden_namespaces: frozenset[str] = frozenset()  # everything in them answers 403
    error_detail_only: bool = False  # error bodies are {"detail": ...}, no Gcore envelope
    list_repeats: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # see below
    list_foreign: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # namespace -> item
    answer_as: Mapping[str, str] = field(default_factory=dict)  # function -> the name it answers
    duplicate_keys: frozenset[str] = frozenset()  # GET of these answers a key twice
    # A hostile or broken server (see ``hostile``; SECURITY.md, "what the test suite tries"):
    bomb: frozenset[str] = frozenset()
    bomb_bytes: int = 64 * 1024 * 1024  # what a bomb inflates to
    trickle: frozenset[str] = frozenset()
    trickle_seconds: float = 1.0  # between two bytes of a trickled answer
    list_page_padding: int = 0  # bytes of filler in every list page (a field "padding")
    bodies: Mapping[str, bytes] = field(default_factory=dict)  # function -> its exact 200 body
    echo_key_at: int | None = None  # error bodies echo the key from this character of message

    def __post_init__(self) -> None:
        # Copy into read-only containers: a caller's later edits must not change a running server.
        mappings = ("function_errors", "list_errors", "list_faults", "list_repeats", "list_foreign")
        for name in (*mappings, "answer_as", "bodies"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        sets = ("malformed", "html", "huge", "reset", "hang", "bomb", "trickle")
        for name in (*sets, "forbidden_namespaces", "duplicate_keys"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        self._check()

    def _check(self) -> None:
        for errors in ("function_errors", "list_errors"):
            for name, status in getattr(self, errors).items():
                if not 400 <= status <= 599:
                    raise ValueError(f"{errors}[{name!r}]: {status} is not an error status")
        numbers = {
            "latency": self.latency,
            "rate_limit_first": self.rate_limit_first,
            "retry_after": self.retry_after or 0,
            "retry_after_ms": self.retry_after_ms or 0,
            "hang_seconds": self.hang_seconds,
            "huge_bytes": self.huge_bytes,
            "list_count_extra": self.list_count_extra,
            "list_overlap": self.list_overlap,
            "bomb_bytes": self.bomb_bytes,
            "trickle_seconds": self.trickle_seconds,
            "list_page_padding": self.list_page_padding,
            "echo_key_at": self.echo_key_at or 0,
        }
        for name, value in numbers.items():
            if value < 0:
                raise ValueError(f"{name} must not be negative, got {value}")
        for name in ("default_limit", "max_page_size"):
            if not 1 <= getattr(self, name) <= MAX_LIMIT:
                raise ValueError(f"{name} must be 1..{MAX_LIMIT}, got {getattr(self, name)}")

    def error_status(self, namespace: str, name: str) -> int | None:
        """The status to answer for GET of this function instead of the function, if any."""
        for key in (f"{namespace}/{name}", name):
            if key in self.function_errors:
                return self.function_errors[key]
        return None

    def body_fault(self, namespace: str, name: str) -> BodyFault | None:
        """The first body fault set for this function, in ``BodyFault`` order."""
        keys = {name, f"{namespace}/{name}"}
        return next((fault for fault in BodyFault if keys & getattr(self, fault.value)), None)


def truncated(body: bytes) -> bytes:
    """The first half of a JSON body: never valid JSON, since the closing brace is gone."""
    return body[: len(body) // 2]


def padded(body: bytes, size: int) -> bytes:
    """``body`` (a JSON object) with one more string field of ``size`` bytes: valid, but huge."""
    return body[:-1] + b', "padding": "' + b"x" * size + b'"}'
