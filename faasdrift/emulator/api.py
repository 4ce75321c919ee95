"""The Gcore FaaS read API as plain functions: parse a path, check a key, answer a GET.

No sockets here. The server feeds in the raw path, query and Authorization header and turns the
outcome (JSON bytes, or an ``ApiError``) into an HTTP response, so these rules stay easy to read.

Where Gcore documents nothing, the emulator decides (and tests pin it down):
- checks run in this order: 429 fault, 405 (any non-GET), 400 (a body), 401, then 404/400
  for the path; a path with no route is a 404 ``HTTPError`` (not ``NotFoundError``: nothing is
  missing, the URL is wrong);
- project_id/region_id must be plain digits, else 400 ValidationError; an empty path segment
  (``//``, trailing ``/``) is a 404;
- lists (namespaces too) take ``limit`` 1..1000 (default 1000, see ``Faults.default_limit``),
  ``offset`` >= 0, ``search`` (case-insensitive substring of the name), ``order_by`` (comma-
  separated, default ``created_at.desc`` as the vendor's spec says; ties end in name order); a
  bad value is a 400, unknown parameters are ignored, and a repeated parameter's last value wins;
- 401 messages never echo a key, only a numeric token id before ``$`` (or ``_``).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from http import HTTPStatus
from typing import Protocol
from urllib.parse import parse_qsl, unquote

from faasdrift.emulator.faults import DEFAULT_LIMIT, MAX_LIMIT
from faasdrift.emulator.state import EmulatorState
from faasdrift.secrets import GCORE_TOKEN

PREFIX = ("cloud", "v1", "faas", "namespaces")
# The order of a list that names none: the ``order_by`` default of Gcore's OpenAPI document. New
# functions come first, so paging by offset shifts while functions are created or deleted.
DEFAULT_ORDER = "created_at.desc"
NOT_AUTHENTICATED = "Authentication credentials were not provided."
_TOKEN_ID = re.compile(r"[0-9]{1,20}")

# exception_class per status, in Gcore's naming style where Gcore's own name is unknown.
_CLASS_BY_STATUS = {
    400: "ValidationError",
    401: "NotAuthenticated",
    403: "ForbiddenError",
    404: "NotFoundError",
    405: "MethodNotAllowed",
    429: "TooManyRequestsError",
    500: "InternalServerError",
    502: "BadGatewayError",
    503: "ServiceUnavailableError",
    504: "GatewayTimeoutError",
}


class ApiError(Exception):
    """An error answer: HTTP status, Gcore ``exception_class`` and ``message``, extra headers."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        exception_class: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.exception_class = exception_class or _CLASS_BY_STATUS.get(status, "HTTPError")
        self.headers = dict(headers or {})


def error_for_status(status: int) -> ApiError:
    """A generic error answer for ``status``, e.g. a 502 injected by a fault."""
    try:
        return ApiError(status, HTTPStatus(status).phrase)
    except ValueError:
        return ApiError(status, f"HTTP {status}")


class RouteKind(Enum):
    NAMESPACES = "namespaces"
    NAMESPACE = "namespace"
    FUNCTIONS = "functions"
    FUNCTION = "function"


@dataclass(frozen=True)
class Route:
    kind: RouteKind
    project_id: int
    region_id: int
    namespace: str = ""
    function: str = ""


def parse_route(raw_path: str) -> Route:
    """The route a raw (still percent-encoded) path names; segments are decoded one by one, so
    ``%2F`` stays inside a name. An empty segment (``//`` or a trailing ``/``) is a 404: it would
    hide a client building URLs from empty names."""
    segments = raw_path.split("/")[1:] if raw_path.startswith("/") else []
    if tuple(segments[:4]) != PREFIX or not 6 <= len(segments) <= 9:
        raise _no_route(f"No route for {raw_path[:200]}")
    try:
        parts = [unquote(segment, errors="strict") for segment in segments[4:]]
    except UnicodeDecodeError as error:
        raise ApiError(400, "The path is not valid percent-encoded UTF-8.") from error
    if "" in parts or (len(parts) >= 4 and parts[3] != "functions"):
        raise _no_route(f"No route for {raw_path[:200]}")
    project_id, region_id = _path_int("project_id", parts[0]), _path_int("region_id", parts[1])
    kinds = (RouteKind.NAMESPACES, RouteKind.NAMESPACE, RouteKind.FUNCTIONS, RouteKind.FUNCTION)
    names = [*parts[2:3], *parts[4:5]]
    return Route(kinds[len(parts) - 2], project_id, region_id, *names)


def _path_int(name: str, value: str) -> int:
    # isdigit alone accepts "²" and int() accepts "+1" or " 1": the API wants plain digits.
    if not (value.isascii() and value.isdigit()):
        raise ApiError(400, f"{name}: {value[:50]!r} is not a valid integer.")
    return int(value)


def check_auth(header: str | None, api_key: str | None) -> None:
    """Accept ``APIKey <key>`` (scheme in any case); with ``api_key`` set only that key, else
    any key shaped like a Gcore permanent token (Gcore refuses a malformed one the same way)."""
    scheme, *rest = (header or "").split(None, 1) or [""]
    if scheme.lower() != "apikey":
        # Like the API (and Django REST framework): another scheme counts as no credentials.
        raise ApiError(401, NOT_AUTHENTICATED)
    token = rest[0].strip() if rest else ""
    if not token:
        raise ApiError(
            401, "Invalid APIKey header: no key provided.", exception_class="AuthenticationFailed"
        )
    shaped = GCORE_TOKEN.fullmatch(token) is not None
    if not (shaped if api_key is None else hmac.compare_digest(token.encode(), api_key.encode())):
        raise ApiError(401, _bad_token(token), exception_class="AuthenticationFailed")


def _bad_token(token: str) -> str:
    # Echo only a numeric token id (before "$", or "_" in Gcore's newer form): never the secret.
    token_id = _TOKEN_ID.match(token)
    if token_id is None or token[token_id.end() : token_id.end() + 1] not in ("$", "_"):
        return "Bad permanent token."
    return f"Bad permanent token: {token_id[0]}"


@dataclass(frozen=True)
class ListOptions:
    """How lists page; the count/overlap knobs exist to test clients against broken paging."""

    default_limit: int = DEFAULT_LIMIT
    count_extra: int = 0
    overlap: int = 0
    page_size: int = MAX_LIMIT  # the most items a page holds, whatever ``limit`` asks


def parse_query(raw_query: str) -> dict[str, str]:
    """Query parameters, the last value winning when one repeats (as Django does)."""
    return dict(parse_qsl(raw_query, keep_blank_values=True))


def answer(
    state: EmulatorState, route: Route, query: Mapping[str, str], options: ListOptions
) -> bytes:
    """The JSON body of a successful GET of ``route``, or ``ApiError`` (404, 400)."""
    if route.kind is RouteKind.NAMESPACES:
        return _list_body(state.namespaces_in(route.project_id, route.region_id), query, options)
    ns = state.namespace(route.project_id, route.region_id, route.namespace)
    if ns is None:
        raise _not_found(f"Namespace {route.namespace!r} not found.")
    if route.kind is RouteKind.NAMESPACE:
        return ns.body
    if route.kind is RouteKind.FUNCTIONS:
        return _list_body(list(ns.functions.values()), query, options)
    function = ns.functions.get(route.function)
    if function is None:
        raise _not_found(f"Function {route.function!r} not found in namespace {route.namespace!r}.")
    return function.body


class _Listed(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def created_at(self) -> str: ...
    @property
    def body(self) -> bytes: ...


_ORDER_KEYS: dict[str, Callable[[_Listed], str]] = {
    "name": lambda item: item.name,
    "created_at": lambda item: item.created_at,
}


def _list_body(items: Sequence[_Listed], query: Mapping[str, str], options: ListOptions) -> bytes:
    limit = _query_int(query, "limit", options.default_limit, maximum=MAX_LIMIT, minimum=1)
    limit = min(limit, options.page_size)
    offset = _query_int(query, "offset", 0)
    needle = query.get("search", "").casefold()
    found = _ordered(
        [item for item in items if needle in item.name.casefold()], query.get("order_by", "")
    )
    start = max(0, offset - options.overlap) if offset else 0
    page = b", ".join(item.body for item in found[start : start + limit])
    return b'{"count": %d, "results": [%b]}' % (len(found) + options.count_extra, page)


def _query_int(
    query: Mapping[str, str],
    name: str,
    default: int,
    *,
    maximum: int | None = None,
    minimum: int = 0,
) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    value = int(raw) if raw.isascii() and raw.isdigit() else -1
    if value < minimum or (maximum is not None and value > maximum):
        bounds = (
            f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        )
        raise ApiError(400, f"{name}: {raw[:50]!r} is not an integer {bounds}.")
    return value


def _ordered(items: list[_Listed], order_by: str) -> list[_Listed]:
    """Sort by each ``field.direction`` of ``order_by``; ties fall back to name ascending."""
    keys = [key.strip() for key in order_by.split(",") if key.strip()] or [DEFAULT_ORDER]
    result = sorted(items, key=_ORDER_KEYS["name"])
    for key in reversed(keys):  # stable sorts, least significant key first
        field, _, direction = key.partition(".")
        if field not in _ORDER_KEYS or direction not in ("asc", "desc"):
            allowed = ", ".join(f"{name}.{way}" for name in _ORDER_KEYS for way in ("asc", "desc"))
            raise ApiError(400, f"order_by: {key[:50]!r} is not one of {allowed}.")
        result.sort(key=_ORDER_KEYS[field], reverse=direction == "desc")
    return result


def _not_found(message: str) -> ApiError:
    return ApiError(404, message)


def _no_route(message: str) -> ApiError:
    # Not Gcore's NotFoundError: nothing is missing, the path names nothing (a wrong base URL).
    return ApiError(404, message, exception_class="HTTPError")
