"""Answers that break Gcore's contract, on purpose: what a client must never take for the truth.

Each is a pure function of the faults, the route and the normal answer, so the handler only asks
"is there one?". They model what real accounts meet: a gateway's HTML 404 for a wrong base URL,
a namespace this key may not read (403 ``ForbiddenError``), a list that repeats a function or
carries one from another namespace, a GET answering for another function, a key given twice in
one JSON object, and error bodies in Django REST framework's ``{"detail": ...}`` shape.
"""

from __future__ import annotations

import json
from typing import Any

from faasdrift.emulator.api import ApiError, Route, RouteKind
from faasdrift.emulator.faults import Faults

ROUTE_404_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
    b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
    b"</body></html>\n"
)


def forbidden(faults: Faults, route: Route) -> ApiError | None:
    """403 for anything in a namespace this key may not read: the namespace, its list, its
    functions."""
    if route.kind is RouteKind.NAMESPACES or route.namespace not in faults.forbidden_namespaces:
        return None
    message = f"You do not have access to namespace {route.namespace!r}."
    return ApiError(403, message, exception_class="ForbiddenError")


def is_route_error(error: ApiError) -> bool:
    return error.status == 404 and error.exception_class == "HTTPError"


def error_body(faults: Faults, error: ApiError, request_id: str, message: str) -> bytes:
    """Gcore's error envelope saying ``message`` (the error's, or what a careless server makes of
    it: ``hostile``), or ``{"detail": ...}`` when the faults say so."""
    if faults.error_detail_only:
        return json.dumps({"detail": message}).encode()
    envelope = {
        "exception_class": error.exception_class,
        "message": message,
        "request_id": request_id,
    }
    return json.dumps(envelope).encode()


def contradicted(faults: Faults, route: Route, body: bytes) -> bytes | None:
    """The normal answer ``body`` broken as the faults say, or None to send it as it is."""
    if route.kind is RouteKind.FUNCTIONS:
        return _list(faults, route.namespace, body)
    if route.kind is RouteKind.FUNCTION:
        return _function(faults, route, body)
    return None


def _list(faults: Faults, namespace: str, body: bytes) -> bytes | None:
    foreign = faults.list_foreign.get(namespace)
    if foreign is None and not faults.list_repeats:
        return None
    page: dict[str, Any] = json.loads(body)
    results: list[dict[str, Any]] = []
    for item in page["results"]:
        results.append(item)
        change = _lookup(faults.list_repeats, namespace, item["name"])
        if change is not None:
            results.append({**item, **change})  # the same name again, equal or not
    if foreign is not None:  # counted, as a list that holds it would count it
        results.append(dict(foreign))
    count = page["count"] + (foreign is not None)
    return json.dumps({"count": count, "results": results}).encode()


def _function(faults: Faults, route: Route, body: bytes) -> bytes | None:
    other = _lookup(faults.answer_as, route.namespace, route.function)
    duplicated = {route.function, f"{route.namespace}/{route.function}"} & faults.duplicate_keys
    if other is None and not duplicated:
        return None
    data: dict[str, Any] = json.loads(body)
    if other is not None:
        data["name"] = other
    text = json.dumps(data)
    if duplicated:  # the same key once more, with another value: which one is true?
        text = text[:-1] + ', "timeout": ' + json.dumps(data.get("timeout", 0) + 1) + "}"
    return text.encode()


def _lookup(table: Any, namespace: str, name: str) -> Any:
    for key in (f"{namespace}/{name}", name):
        if key in table:
            return table[key]
    return None
