"""Read functions from the Gcore FaaS API. The only module that speaks HTTP (and imports httpx).

Every request is a GET sent through ``GcoreClient._get``: faasdrift checks, it never changes
anything. httpx types and exceptions stop here; callers get a ``LiveResult`` per function, or an
``AuthenticationError`` when the key is refused (then nothing can be checked).
``interpret_response`` is apart from the client so a later concurrent or paging fetcher reuses it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from functools import cache
from typing import Any
from urllib.parse import quote

import httpx
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from faasdrift import __version__
from faasdrift.errors import AuthenticationError, MissingApiKeyError, UsageError
from faasdrift.models import FunctionId, LiveResult, LiveStatus
from faasdrift.schemas import FUNCTION_SCHEMA, load_schema
from faasdrift.secrets import REDACTED, api_key_fragments, is_sensitive_env, redact

USER_AGENT = f"faasdrift/{__version__}"
MAX_REASON_LENGTH = 200

# Visible ASCII only: anything else cannot go in a header, and h11's error would echo the value.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")
_ERRNO_PREFIX = re.compile(r"^\[Errno -?\d+\]\s*")

# (exception type, reason template) for transport failures other than timeouts; first match wins.
_REQUEST_ERRORS: tuple[tuple[type[httpx.HTTPError], str], ...] = (
    (httpx.ConnectError, "cannot connect to {host}: {detail}"),
    (httpx.NetworkError, "connection to {host} failed: {detail}"),
    (httpx.ProtocolError, "HTTP protocol error from {host}: {detail}"),
    (httpx.DecodingError, "invalid response: cannot decode the body: {detail}"),
)
_TIMEOUT_PHASES: tuple[tuple[type[httpx.TimeoutException], str], ...] = (
    (httpx.ConnectTimeout, "connect"),
    (httpx.WriteTimeout, "write"),
    (httpx.PoolTimeout, "pool"),
)


class GcoreClient:
    """A read-only Gcore FaaS client over one pooled HTTP connection."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        key = _checked_api_key(api_key)
        self._secrets = api_key_fragments(key)
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        url = _checked_base_url(base_url, self._secrets)
        self._host = url.host if url.port is None else f"{url.host}:{url.port}"
        self._http = httpx.Client(
            base_url=url,
            headers={
                "Authorization": f"APIKey {key}",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            timeout=self._timeout,
            transport=transport,
            follow_redirects=False,  # a redirect must never carry the key to another host
        )

    def __repr__(self) -> str:
        return f"GcoreClient(base_url={str(self._http.base_url)!r}, api_key=<hidden>)"

    def __enter__(self) -> GcoreClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def fetch_function(self, identity: FunctionId, fields: Collection[str]) -> LiveResult:
        """The live state of one function, validated for the ``fields`` that will be compared."""
        try:
            response = self._get(function_path(identity))
        except httpx.HTTPError as exc:
            reason = describe_request_error(exc, host=self._host, timeout=self._timeout)
            return _error(identity, redact(reason, self._secrets))
        return interpret_response(identity, response, fields, secrets=self._secrets)

    def _get(self, path: str) -> httpx.Response:
        # The one place a request is sent, and it can only be a GET.
        return self._http.get(path)


def function_path(identity: FunctionId) -> str:
    """The API path of a function, relative to the base URL, every segment percent-encoded."""
    segments = (identity.project_id, identity.region_id, identity.namespace)
    prefix = "/".join(_segment(str(value)) for value in segments)
    return f"cloud/v1/faas/namespaces/{prefix}/functions/{_segment(identity.name)}"


def _segment(value: str) -> str:
    quoted = quote(value, safe="")
    # "." and ".." would be removed as dot-segments and silently address another resource.
    return quoted.replace(".", "%2E") if quoted in {".", ".."} else quoted


def interpret_response(
    identity: FunctionId,
    response: httpx.Response,
    fields: Collection[str],
    *,
    secrets: Collection[str] = (),
) -> LiveResult:
    """Turn a GET-function response into a ``LiveResult``; raise only when the key is refused."""
    status = response.status_code
    if status == httpx.codes.NOT_FOUND:
        return LiveResult(identity=identity, status=LiveStatus.MISSING)
    if status in (httpx.codes.UNAUTHORIZED, httpx.codes.FORBIDDEN):
        message, request_id = _server_error(response, secrets)
        raise AuthenticationError(status, message, request_id)
    if not response.is_success:
        return _error(identity, _http_error_reason(response, secrets))
    return _parsed(identity, response, fields)


def _parsed(identity: FunctionId, response: httpx.Response, fields: Collection[str]) -> LiveResult:
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        return _error(identity, f"invalid response: body is not JSON (HTTP {response.status_code})")
    if not isinstance(body, dict):
        kind = type(body).__name__ if body is not None else "null"
        return _error(identity, f"invalid response: expected a JSON object, got {kind}")
    problem = check_compared_fields(body, fields)
    if problem is not None:
        return _error(identity, problem)
    return LiveResult(identity=identity, status=LiveStatus.FOUND, data=body)


def check_compared_fields(body: dict[str, Any], fields: Collection[str]) -> str | None:
    """Why ``body`` cannot be compared on ``fields``, or None. Other fields are not checked."""
    properties: dict[str, Any] = load_schema(FUNCTION_SCHEMA)["properties"]
    for name in fields:
        # A nullable field the response leaves out means null; any other absence is an error.
        if name not in body and "null" not in properties.get(name, {}).get("type", ()):
            return f"response has no '{name}' field"
    subset = {name: body[name] for name in fields if name in body}
    # The first error is enough to refuse the comparison; jsonschema reports them in schema order.
    error = next(_compared_fields_validator().iter_errors(subset), None)
    return f"invalid response: {_describe(error)}" if error is not None else None


@cache
def _compared_fields_validator() -> Draft202012Validator:
    # Only the compared fields are validated, so the response's "required" list does not apply.
    return Draft202012Validator({**load_schema(FUNCTION_SCHEMA), "required": []})


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


def _server_error(response: httpx.Response, secrets: Collection[str]) -> tuple[str, str | None]:
    """The message and request id of a Gcore error body, falling back to the status phrase."""
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        body = None
    fields = body if isinstance(body, dict) else {}
    message = fields.get("message")
    if not isinstance(message, str) or not message.strip():
        message = response.reason_phrase
    request_id = fields.get("request_id") or response.headers.get("X-Request-ID")
    rid = _one_line(redact(str(request_id), secrets), 100) if request_id else None
    return _one_line(redact(message, secrets)), rid


def _http_error_reason(response: httpx.Response, secrets: Collection[str]) -> str:
    message, request_id = _server_error(response, secrets)
    rid = f" (request id {request_id})" if request_id else ""
    return f"HTTP {response.status_code} from Gcore" + (f": {message}" if message else "") + rid


def describe_request_error(exc: httpx.HTTPError, *, host: str, timeout: httpx.Timeout) -> str:
    """A short, single-line reason for a failed request, without httpx's type names."""
    if isinstance(exc, httpx.TimeoutException):
        phase = next((name for kind, name in _TIMEOUT_PHASES if isinstance(exc, kind)), "read")
        seconds = getattr(timeout, phase)
        after = f" after {seconds:g} s" if seconds is not None else ""
        return f"timed out{after} ({phase})"
    detail = _ERRNO_PREFIX.sub("", _one_line(str(exc))) or type(exc).__name__
    for kind, template in _REQUEST_ERRORS:
        if isinstance(exc, kind):
            return _one_line(template.format(host=host, detail=detail))
    return _one_line(f"request to {host} failed: {detail}")


def _one_line(text: str, limit: int = MAX_REASON_LENGTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _error(identity: FunctionId, reason: str) -> LiveResult:
    return LiveResult(identity=identity, status=LiveStatus.ERROR, reason=_one_line(reason))


def _checked_api_key(api_key: str) -> str:
    key = api_key.strip()  # a key read from a file usually ends with a newline
    if not key:
        raise MissingApiKeyError("the Gcore API key is empty")
    if _HEADER_SAFE.fullmatch(key) is None:
        raise UsageError("the Gcore API key contains spaces or characters not allowed in a header")
    return key


def _checked_base_url(base_url: str, secrets: Collection[str]) -> httpx.URL:
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        url = httpx.URL()
    if url.scheme not in ("http", "https") or not url.host:
        shown = redact(base_url, secrets)
        raise UsageError(f"invalid Gcore base URL {shown!r}: expected http(s)://host[/prefix]")
    return url
