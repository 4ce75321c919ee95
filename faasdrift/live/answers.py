"""What an answer of the Gcore API means: a function's live state, a page of a list, or why not.

No HTTP library here: the client hands each answer over as a plain ``Answer`` (status, headers,
body, how many retries it took), so these rules are testable without sockets and the retry
policy reads the same value. Paging a list into a ``FunctionList`` is decided here too.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache
from http import HTTPStatus
from typing import Any, TypeGuard

from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from faasdrift.errors import AuthenticationError
from faasdrift.model import Failure, FunctionId, FunctionList, LiveResult, LiveStatus
from faasdrift.schemas import FUNCTION_SCHEMA, StrictPatternValidator, inlined_schema, load_schema
from faasdrift.secrets import REDACTED, is_sensitive_env, redact

MAX_REASON_LENGTH = 200


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, body read in full; header names are lower-case."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""
    retries: int = 0  # how many retries it took to get this answer

    @property
    def phrase(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return ""


@dataclass(frozen=True)
class Page:
    count: int
    items: tuple[dict[str, Any], ...]  # each a JSON object with a string "name"


def retries_text(count: int) -> str:
    return f"{count} retr{'y' if count == 1 else 'ies'}"


def function_result(
    identity: FunctionId, answer: Answer, fields: Collection[str], *, secrets: Collection[str] = ()
) -> LiveResult:
    """Turn a GET-function answer into a ``LiveResult``; raise only when the key is refused."""
    if answer.status == HTTPStatus.NOT_FOUND:
        return LiveResult(identity=identity, status=LiveStatus.MISSING)
    refuse_rejected_key(answer, secrets)
    if not 200 <= answer.status <= 299:
        return error_result(identity, http_error_reason(answer, secrets))
    body = _json_object(answer)
    if isinstance(body, str):
        return error_result(identity, body)
    problem = check_compared_fields(body, fields)
    if problem is not None:
        return error_result(identity, problem)
    return LiveResult(identity=identity, status=LiveStatus.FOUND, data=body)


def list_page(answer: Answer, *, secrets: Collection[str] = ()) -> Page | Failure:
    """One page of a function list, or why it cannot be used (raises if the key is refused)."""
    refuse_rejected_key(answer, secrets)
    if not 200 <= answer.status <= 299:
        # A 429 that outlived its retries: N more requests would only make it worse.
        fall_back = answer.status != HTTPStatus.TOO_MANY_REQUESTS
        return Failure(http_error_reason(answer, secrets), fall_back=fall_back)
    body = _json_object(answer)
    if isinstance(body, str):
        return Failure(body, fall_back=True)
    count, results = body.get("count"), body.get("results")
    if not _is_count(count) or not isinstance(results, list):
        reason = "invalid response: a list needs an integer 'count' and a 'results' list"
        return Failure(reason, fall_back=True)
    for index, item in enumerate(results):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            reason = f"invalid response: list item {index} is not an object with a 'name'"
            return Failure(reason, fall_back=True)
    return Page(count=count, items=tuple(results))


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


class ListCollector:
    """Gathers the pages of one list, paging by ``offset += len(results)`` until ``count``.

    The API sends no next-page link, so ``count`` is the only end marker; every way the pages
    can disagree with it makes the list incomplete rather than silently short.
    """

    def __init__(self) -> None:
        self.offset = 0
        self._items: dict[str, dict[str, Any]] = {}
        self._counts: set[int] = set()
        self._repeated = False

    def add(self, page: Page) -> bool:
        """Take one page; True when another page is needed."""
        for item in page.items:
            self._repeated = self._repeated or item["name"] in self._items
            self._items[item["name"]] = item
        self._counts.add(page.count)
        self.offset += len(page.items)
        return bool(page.items) and self.offset < page.count

    def result(self, *, cut_short: bool = False) -> FunctionList:
        consistent = len(self._counts) == 1 and len(self._items) in self._counts
        complete = consistent and not self._repeated and not cut_short
        return FunctionList(items=self._items, complete=complete)


def check_compared_fields(
    body: Mapping[str, Any], fields: Collection[str], *, absent_means_null: bool = True
) -> str | None:
    """Why ``body`` cannot be compared on ``fields``, or None. Other fields are not checked.

    A GET leaves out a nullable field to mean null; a list item may leave out anything it
    abbreviates, so with ``absent_means_null=False`` every absent field is a problem.
    """
    properties: dict[str, Any] = load_schema(FUNCTION_SCHEMA)["properties"]
    for name in fields:
        nullable = "null" in properties.get(name, {}).get("type", ())
        if name not in body and not (absent_means_null and nullable):
            return f"response has no '{name}' field"
    subset = {name: body[name] for name in fields if name in body}
    # The first error is enough to refuse the comparison; jsonschema reports them in schema order.
    error = next(_compared_fields_validator().iter_errors(subset), None)
    return f"invalid response: {_describe(error)}" if error is not None else None


@cache
def _compared_fields_validator() -> Validator:
    # Only the compared fields are validated, so the response's "required" list does not apply.
    # Inlined: it runs once per list item, and $ref lookups would cost more than the checks.
    return StrictPatternValidator({**inlined_schema(FUNCTION_SCHEMA), "required": []})


def _describe(error: ValidationError) -> str:
    path = [str(part) for part in error.absolute_path]
    message = error.message
    if _may_show_secret(path, error.instance):
        message = f"{REDACTED} fails the '{error.validator}' constraint"
    return f"field '{'.'.join(path)}': {message}" if path else message


def _may_show_secret(path: list[str], instance: object) -> bool:
    # jsonschema messages quote the value: never for a sensitive env, nor the whole envs value
    # (an env *name* failing its pattern is reported at path "envs" too, and is safe to show).
    if not path or path[0] != "envs":
        return False
    return is_sensitive_env(path[1]) if len(path) > 1 else not isinstance(instance, str)


def _json_object(answer: Answer) -> dict[str, Any] | str:
    """The body as a JSON object, or why it is not one."""
    try:
        body = json.loads(answer.content)
    except (ValueError, RecursionError):
        return f"invalid response: body is not JSON (HTTP {answer.status})"
    if not isinstance(body, dict):
        kind = type(body).__name__ if body is not None else "null"
        return f"invalid response: expected a JSON object, got {kind}"
    return body


def refuse_rejected_key(answer: Answer, secrets: Collection[str]) -> None:
    """Raise ``AuthenticationError`` on 401/403: then nothing at all can be checked."""
    if answer.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        message, request_id = _server_error(answer, secrets)
        raise AuthenticationError(answer.status, message, request_id)


def _server_error(answer: Answer, secrets: Collection[str]) -> tuple[str, str | None]:
    """The message and request id of a Gcore error body, falling back to the status phrase."""
    try:
        body = json.loads(answer.content)
    except (ValueError, RecursionError):
        body = None
    fields = body if isinstance(body, dict) else {}
    message = fields.get("message")
    if not isinstance(message, str) or not message.strip():
        message = answer.phrase
    request_id = fields.get("request_id") or answer.headers.get("x-request-id")
    rid = one_line(redact(str(request_id), secrets), 100) if request_id else None
    return one_line(redact(message, secrets)), rid


def http_error_reason(answer: Answer, secrets: Collection[str]) -> str:
    """``HTTP 502 from Gcore: Bad Gateway (request id …)``; ``after 3 retries`` once retried."""
    message, request_id = _server_error(answer, secrets)
    rid = f" (request id {request_id})" if request_id else ""
    source = f"after {retries_text(answer.retries)}" if answer.retries else "from Gcore"
    return f"HTTP {answer.status} {source}" + (f": {message}" if message else "") + rid


def one_line(text: str, limit: int = MAX_REASON_LENGTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def error_result(identity: FunctionId, reason: str) -> LiveResult:
    return LiveResult(identity=identity, status=LiveStatus.ERROR, reason=one_line(reason))
