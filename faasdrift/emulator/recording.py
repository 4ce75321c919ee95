"""The request log: what clients sent, so tests can assert on it (only GETs, limit always sent…).

Requests are recorded on arrival, before any fault or check, in arrival order. The API key is
never stored, only whether an Authorization header was present.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it arrived.

    ``path`` is raw, exactly as sent (still percent-encoded, without the query), so tests can
    check a client's encoding; ``decoded_path`` is the readable form.
    """

    method: str
    path: str
    query: str
    has_auth: bool

    @property
    def decoded_path(self) -> str:
        return unquote(self.path)

    @property
    def params(self) -> dict[str, str]:
        """Query parameters, the last value winning when one repeats."""
        return dict(parse_qsl(self.query, keep_blank_values=True))


class RequestLog:
    """A thread-safe, append-only list of requests; the server's handler threads all write here."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []

    def append(self, request: RecordedRequest) -> int:
        """Record ``request``; returns its 1-based arrival number (rate limits count with it)."""
        with self._lock:
            self._requests.append(request)
            return len(self._requests)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)
