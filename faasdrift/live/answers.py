"""What an answer of the Gcore API means: a function's live state, or why there is none.

No HTTP library here: the client hands each answer over as a plain ``Answer`` (status, headers,
body, how many retries it took), so these rules are testable without sockets and the retry
policy reads the same value. What a list page means is decided beside it, in ``listing``.

Read as Gcore's API contract says, never guessed:

- "missing" rests only on Gcore's error envelope saying ``NotFoundError``; any other 404 (an HTML
  page, a route error, no envelope: a wrong base URL or region) means the check could not be done;
- 403 (``ForbiddenError``) is one project or namespace this key may not read: those functions
  are not checked; only 401 means the key itself is refused, which stops the run;
- an answer that contradicts the question (another function's name, another namespace, a JSON
  object holding a key twice) is invalid, never compared.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeGuard

from faasdrift.acyclic import building_acyclic_data
from faasdrift.errors import AuthenticationError
from faasdrift.live.fields import check_compared_fields
from faasdrift.model import FunctionId, LiveResult, LiveStatus
from faasdrift.secrets import redact

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


def retries_text(count: int) -> str:
    return f"{count} retr{'y' if count == 1 else 'ies'}"


def function_result(
    identity: FunctionId, answer: Answer, fields: Collection[str], *, secrets: Collection[str] = ()
) -> LiveResult:
    """Turn a GET-function answer into a ``LiveResult``; raise only when the key is refused.

    A missing function's ``reason`` stays None: only the namespace can say more (``fetch`` asks).
    """
    refuse_rejected_key(answer, secrets)
    if is_not_found(answer):
        return LiveResult(identity=identity, status=LiveStatus.MISSING)
    if not 200 <= answer.status <= 299:
        return error_result(identity, http_error_reason(answer, secrets))
    parsed = plain_json_object(answer)
    if isinstance(parsed, str):
        return error_result(identity, parsed)
    body, plain = parsed
    problem = elsewhere(body, identity, name_required=True)
    problem = problem or check_compared_fields(body, fields, plain=plain)
    if problem is not None:
        return error_result(identity, problem)
    # A GET leaves out a nullable field to mean null: say so, so that a snapshot of it does too.
    data = {**body, **{name: None for name in fields if name not in body}}
    return LiveResult(identity=identity, status=LiveStatus.FOUND, data=data)


def namespace_found(
    answer: Answer, namespace: str, *, secrets: Collection[str] = ()
) -> bool | None:
    """Whether a GET-namespace answer says the namespace exists; None if it does not say."""
    refuse_rejected_key(answer, secrets)
    if is_not_found(answer):
        return False
    body = json_object(answer) if 200 <= answer.status <= 299 else None
    return True if isinstance(body, dict) and body.get("name") == namespace else None


def missing_namespace_reason(project_id: int, region_id: int, namespace: str) -> str:
    return f"namespace {namespace!r} does not exist in project {project_id}, region {region_id}"


def elsewhere(
    item: Mapping[str, Any], identity: FunctionId, *, name_required: bool = False
) -> str | None:
    """Why ``item`` is not the function ``identity`` asked for, or None: another name, or the
    ``namespace``, ``project_id`` or ``region_id`` of another place (when it carries them)."""
    name = item.get("name")
    if name != identity.name and (name_required or "name" in item):
        shown = f"{name!r}" if isinstance(name, str) else "no name"
        return f"invalid response: asked for function {identity.name!r}, the answer is for {shown}"
    expected = {
        "namespace": identity.namespace,
        "project_id": identity.project_id,
        "region_id": identity.region_id,
    }
    for key, value in expected.items():
        if key in item and item[key] != value:
            return f"invalid response: asked for {key} {value!r}, the answer is for {item[key]!r}"
    return None


class _DuplicateKeyError(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys: an answer that says two things is invalid.
    result = dict(pairs)
    if len(result) != len(pairs):
        keys = [key for key, _ in pairs]
        raise _DuplicateKeyError(next(key for key in keys if keys.count(key) > 1))
    return result


_CONSTANT = json.JSONDecoder().parse_constant  # json's own NaN and infinities


class _PlainReader:
    """``json.loads`` noting whether the value is plain (``is_plain``): no float, no NaN or
    infinity, no integer that may reach 2**53. Parsed JSON holds nothing else a compiled
    validator could read differently, so a plain page's items need no walk."""

    def __init__(self) -> None:
        self.plain = True

    def loads(self, content: bytes) -> Any:
        return json.loads(
            content,
            object_pairs_hook=_unique_keys,
            parse_float=self._float,
            parse_int=self._int,
            parse_constant=self._constant,
        )

    def _float(self, text: str) -> float:
        self.plain = False
        return float(text)

    def _int(self, text: str) -> int:
        if len(text) > 15:  # 15 characters are below 2**53, which has 16 digits
            self.plain = False
        return int(text)

    def _constant(self, name: str) -> float:
        self.plain = False
        value: float = _CONSTANT(name)
        return value


def json_object(answer: Answer) -> dict[str, Any] | str:
    """The body as a JSON object, or why it is not one (not JSON, not an object, a key twice)."""
    parsed = plain_json_object(answer)
    return parsed if isinstance(parsed, str) else parsed[0]


def plain_json_object(answer: Answer) -> tuple[dict[str, Any], bool] | str:
    """``json_object``, and whether it is plain (``schemas.is_plain``), told by the parse."""
    reader = _PlainReader()
    try:
        with building_acyclic_data():  # a page of 1,000 functions is ~50,000 objects, no cycle
            body = reader.loads(answer.content)
    except _DuplicateKeyError as error:
        return f"invalid response: a JSON object holds the key {one_line(str(error), 60)!r} twice"
    except (ValueError, RecursionError):
        return f"invalid response: body is not JSON (HTTP {answer.status})"
    if not isinstance(body, dict):
        kind = type(body).__name__ if body is not None else "null"
        return f"invalid response: expected a JSON object, got {kind}"
    return body, reader.plain


def is_not_found(answer: Answer) -> bool:
    """A 404 in Gcore's error envelope saying ``NotFoundError``: the function or namespace does
    not exist. Nothing else proves that (a route error, an HTML page: a wrong URL)."""
    return answer.status == HTTPStatus.NOT_FOUND and _envelope(answer).get("exception_class") == (
        "NotFoundError"
    )


def refuse_rejected_key(answer: Answer, secrets: Collection[str]) -> None:
    """Raise ``AuthenticationError`` on 401: then nothing at all can be checked. A 403 is one
    project or namespace this key may not read: the functions behind it are not checked."""
    if answer.status == HTTPStatus.UNAUTHORIZED:
        message, request_id = _server_error(answer, secrets)
        raise AuthenticationError(answer.status, message, request_id)


def _envelope(answer: Answer) -> dict[str, Any]:
    try:
        body = json.loads(answer.content)
    except (ValueError, RecursionError):
        return {}
    return body if isinstance(body, dict) else {}


def _server_error(answer: Answer, secrets: Collection[str]) -> tuple[str, str | None]:
    """The message (else the ``detail`` some gateways send, else the status phrase) and request
    id of an error body."""
    fields = _envelope(answer)
    said = [text for text in (fields.get("message"), fields.get("detail")) if _is_text(text)]
    message = said[0] if said else answer.phrase
    request_id = fields.get("request_id") or answer.headers.get("x-request-id")
    rid = one_line(redact(str(request_id), secrets), 100) if request_id else None
    return one_line(redact(message, secrets)), rid


def _is_text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def http_error_reason(answer: Answer, secrets: Collection[str]) -> str:
    """``HTTP 502 from Gcore: Bad Gateway (request id …)``; ``after 3 retries`` once retried.

    A 404 that is not Gcore's ``NotFoundError`` (nothing says anything is missing) and a 403 say
    what they most likely mean.
    """
    message, request_id = _server_error(answer, secrets)
    rid = f" (request id {request_id})" if request_id else ""
    source = f"after {retries_text(answer.retries)}" if answer.retries else "from Gcore"
    # The meaning first: a long server message is what a capped reason may lose, not this.
    meaning = _MEANINGS.get(answer.status, "")
    return f"HTTP {answer.status} {source}{meaning}" + (f": {message}" if message else "") + rid


_MEANINGS: dict[int, str] = {
    HTTPStatus.NOT_FOUND: ", not Gcore's NotFoundError (is the base URL or region wrong?)",
    HTTPStatus.FORBIDDEN: " (this API key may not read that project or namespace)",
}


def one_line(text: str, limit: int = MAX_REASON_LENGTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def error_result(identity: FunctionId, reason: str) -> LiveResult:
    return LiveResult(identity=identity, status=LiveStatus.ERROR, reason=one_line(reason))
