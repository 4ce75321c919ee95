"""GcoreClient against httpx.MockTransport: URLs, auth, parsing, error mapping, no key leaks.

Retries are off here (``max_retries=0``) unless a test is about them; see test_client_retries.py.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import httpx
import pytest

from faasdrift.errors import AuthenticationError, MissingApiKeyError, UsageError
from faasdrift.live.client import GcoreClient
from faasdrift.live.credentials import DEFAULT_BASE_URL
from faasdrift.live.endpoints import function_path
from faasdrift.live.retry import RetryPolicy
from faasdrift.model import COMPARED_FIELDS, FunctionId, LiveResult, LiveStatus

FIXTURES = Path("/work/shared/spec/fixtures")
KEY = "12345$s3cr3tK3yV4lue"
BASE = "https://api.example.test"
# Named as in the reference page's example and the SDKs' fixtures: an answer must be about it.
FN = FunctionId(project_id=1, region_id=76, namespace="prod", name="function-name")

# The example response of the "Get function" reference page.
REFERENCE_BODY: dict[str, Any] = {
    "autoscaling": {"max_instances": 2, "min_instances": 1},
    "build_message": "Building",
    "build_status": "Building",
    "code_text": "def main():\n    return 'Hello World'",
    "created_at": "2023-08-22T11:21:00Z",
    "dependencies": "numpy==1.21.0\npandas==1.3.0",
    "deploy_status": {"deployed": 1},
    "description": "This is a sample function.",
    "enable_api_key": True,
    "endpoint": "https://example.com/function-name",
    "envs": {"ENV_VAR": "value"},
    "flavor": "64m-64MB",
    "id": "c8a920ad-b5a4-47d5-b8b9-0e6c35cd800f",
    "main_method": "run",
    "name": "function-name",
    "runtime": "python3.7.12",
    "status": "Running",
    "timeout": 5,
}

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers with one canned response and keeps the requests."""

    def __init__(self, respond: Handler) -> None:
        self.respond = respond
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.respond(request)


def fetch(
    respond: Handler,
    fields: Collection[str] = COMPARED_FIELDS,
    *,
    identity: FunctionId = FN,
    **options: Any,
) -> tuple[LiveResult, Recorder]:
    recorder = Recorder(respond)
    options.setdefault("base_url", BASE)
    options.setdefault("retry", RetryPolicy(max_retries=0))
    client = GcoreClient(api_key=KEY, transport=httpx.MockTransport(recorder), **options)
    return asyncio.run(fetch_with(client, identity, fields)), recorder


async def fetch_with(
    client: GcoreClient, identity: FunctionId = FN, fields: Collection[str] = COMPARED_FIELDS
) -> LiveResult:
    async with client:
        return await client.fetch_function(identity, fields)


def answer(status: int, body: Any = None, **kwargs: Any) -> Handler:
    if body is not None:
        kwargs["json"] = body
    return lambda request: httpx.Response(status, **kwargs)


def fail(exc: type[httpx.TransportError], message: str) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc(message, request=request)

    return handler


def error_reason(respond: Handler, fields: Collection[str] = COMPARED_FIELDS) -> str:
    result, _ = fetch(respond, fields)
    assert result.status is LiveStatus.ERROR
    assert result.reason is not None
    assert "\n" not in result.reason
    assert KEY not in result.reason
    assert "s3cr3t" not in result.reason
    return result.reason


# --- request --------------------------------------------------------------------------------


def test_request_is_a_get_with_exact_headers() -> None:
    _, recorder = fetch(answer(200, REFERENCE_BODY))
    (request,) = recorder.requests
    assert request.method == "GET"
    assert str(request.url) == f"{BASE}/cloud/v1/faas/namespaces/1/76/prod/functions/function-name"
    assert request.headers["Authorization"] == f"APIKey {KEY}"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["User-Agent"].startswith("faasdrift/")
    assert request.content == b""


@pytest.mark.parametrize(
    ("base_url", "prefix"),
    [
        (BASE, ""),
        (BASE + "/", ""),
        (BASE + "/gateway", "/gateway"),
        (BASE + "/gateway/", "/gateway"),
    ],
)
def test_base_url_with_trailing_slash_or_prefix(base_url: str, prefix: str) -> None:
    _, recorder = fetch(answer(200, REFERENCE_BODY), base_url=base_url)
    expected = f"{prefix}/cloud/v1/faas/namespaces/1/76/prod/functions/function-name"
    assert recorder.requests[0].url.raw_path.decode() == expected


@pytest.mark.parametrize(
    ("namespace", "name", "tail"),
    [
        ("ns x", "a/b", "ns%20x/functions/a%2Fb"),
        ("prod", "100%", "prod/functions/100%25"),
        ("prod", "héllo?#", "prod/functions/h%C3%A9llo%3F%23"),
        ("prod", "..", "prod/functions/%2E%2E"),
        (".", "fn", "%2E/functions/fn"),
    ],
)
def test_path_segments_are_encoded(namespace: str, name: str, tail: str) -> None:
    identity = FunctionId(project_id=1, region_id=76, namespace=namespace, name=name)
    _, recorder = fetch(answer(404), identity=identity)
    path = recorder.requests[0].url.raw_path.decode()
    assert path == f"/cloud/v1/faas/namespaces/1/76/{tail}"
    assert function_path(identity) == path.lstrip("/")


def test_client_has_no_way_to_send_anything_but_get() -> None:
    public = {name for name in dir(GcoreClient) if not name.startswith("_")}
    assert public == {"fetch_function", "list_functions", "namespace_exists", "retries"}


def test_default_base_url_is_gcore() -> None:
    assert DEFAULT_BASE_URL == "https://api.gcore.com"


# --- 200 ------------------------------------------------------------------------------------


def test_valid_body_is_found_with_its_data() -> None:
    result, _ = fetch(answer(200, REFERENCE_BODY))
    # The reference page leaves out disabled and keys: a GET's absence means null, said so.
    data = {**REFERENCE_BODY, "disabled": None, "keys": None}
    assert result == LiveResult(identity=FN, status=LiveStatus.FOUND, data=data)


@pytest.mark.parametrize("fixture", ["sdk_get_function_response.json", "list"])
def test_sdk_fixtures_parse(fixture: str) -> None:
    if not FIXTURES.is_dir():
        pytest.skip("shared SDK fixtures not available")
    if fixture == "list":
        listing = json.loads((FIXTURES / "sdk_list_functions_response.json").read_text())
        body = listing["results"][0]
    else:
        body = json.loads((FIXTURES / fixture).read_text())
    fields = [name for name in COMPARED_FIELDS if name != "dependencies"]
    result, _ = fetch(answer(200, body), fields)
    assert result.status is LiveStatus.FOUND
    assert result.data == body
    # The SDK fixtures lack "dependencies": comparing it is impossible, and said so.
    assert error_reason(answer(200, body)) == "response has no 'dependencies' field"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("timeout", "ten", "invalid response: field 'timeout': 'ten' is not of type 'integer'"),
        (
            "timeout",
            181,
            "invalid response: field 'timeout': 181 is greater than the maximum of 180",
        ),
        (
            "autoscaling",
            {"max_instances": 99},
            "invalid response: field 'autoscaling.max_instances': 99 is greater than the maximum"
            " of 50",
        ),
        ("envs", {"A": 1}, "invalid response: field 'envs.A': 1 is not of type 'string'"),
        (
            "enable_api_key",
            "yes",
            "invalid response: field 'enable_api_key': 'yes' is not of type 'boolean', 'null'",
        ),
        ("code_text", "", "invalid response: field 'code_text': '' should be non-empty"),
    ],
)
def test_invalid_compared_field_is_named(field: str, value: Any, reason: str) -> None:
    assert error_reason(answer(200, {**REFERENCE_BODY, field: value})) == reason


def test_invalid_fields_that_are_not_compared_are_tolerated() -> None:
    body = {**REFERENCE_BODY, "timeout": "ten", "status": 7, "deploy_status": None}
    del body["id"], body["endpoint"]
    result, _ = fetch(answer(200, body), ["code_text", "envs"])
    assert result.status is LiveStatus.FOUND


def test_sensitive_env_value_is_not_echoed_in_a_reason() -> None:
    body = {**REFERENCE_BODY, "envs": {"DB_PASSWORD": "hunter2" * 40}}
    reason = error_reason(answer(200, body))
    assert reason.startswith("invalid response: field 'envs.DB_PASSWORD': ")
    assert "hunter2" not in reason


def test_long_invalid_value_gives_a_capped_reason() -> None:
    reason = error_reason(answer(200, {**REFERENCE_BODY, "code_text": "x" * 100_001}))
    assert reason.startswith("invalid response: field 'code_text': 'xxx")
    assert len(reason) <= 200


@pytest.mark.parametrize("field", ["envs", "enable_api_key"])
def test_missing_nullable_field_counts_as_null(field: str) -> None:
    body = {key: value for key, value in REFERENCE_BODY.items() if key != field}
    result, _ = fetch(answer(200, body))
    assert result.status is LiveStatus.FOUND


@pytest.mark.parametrize("field", ["dependencies", "timeout", "autoscaling"])
def test_missing_compared_field_is_an_error(field: str) -> None:
    body = {key: value for key, value in REFERENCE_BODY.items() if key != field}
    assert error_reason(answer(200, body)) == f"response has no '{field}' field"


@pytest.mark.parametrize("content", [b"<html>oops</html>", b'{"name": "trunc', b"", b"\xff\xfe"])
def test_body_that_is_not_json(content: bytes) -> None:
    reason = error_reason(answer(200, content=content))
    assert reason == "invalid response: body is not JSON (HTTP 200)"


@pytest.mark.parametrize(("body", "kind"), [([REFERENCE_BODY], "list"), ("x", "str")])
def test_json_that_is_not_an_object(body: Any, kind: str) -> None:
    reason = error_reason(answer(200, body))
    assert reason == f"invalid response: expected a JSON object, got {kind}"


def test_json_null_is_not_an_object() -> None:
    reason = error_reason(answer(200, content=b"null"))
    assert reason == "invalid response: expected a JSON object, got null"


# --- other statuses -------------------------------------------------------------------------


def test_404_is_missing() -> None:
    body = {"exception_class": "NotFoundError", "message": "not found", "request_id": "r1"}
    result, _ = fetch(answer(404, body))
    assert result == LiveResult(identity=FN, status=LiveStatus.MISSING)


def test_403_is_not_checked_and_does_not_stop_the_run() -> None:
    body = {"exception_class": "ForbiddenError", "message": "Forbidden", "request_id": "r-9"}
    assert error_reason(answer(403, body)) == (
        "HTTP 403 from Gcore (this API key may not read that project or namespace): Forbidden"
        " (request id r-9)"
    )


@pytest.mark.parametrize("status", [401])
def test_refused_key_raises_with_server_message_and_request_id(status: int) -> None:
    body = {"exception_class": "NotAuthenticated", "message": "Bad permanent token: 12345"}
    respond = answer(status, body, headers={"X-Request-ID": "req-42"})
    with pytest.raises(AuthenticationError) as caught:
        fetch(respond)
    error = caught.value
    assert (error.status, error.server_message, error.request_id) == (
        status,
        "Bad permanent token: 12345",
        "req-42",
    )
    assert str(error) == (
        f"Gcore rejected the API key: HTTP {status}: Bad permanent token: 12345 (request id req-42)"
    )
    assert "s3cr3t" not in str(error) + repr(error) + repr(error.args)


def test_refused_key_echoed_by_the_server_is_redacted() -> None:
    body = {"message": f"Bad permanent token: {KEY}", "request_id": "body-id"}
    with pytest.raises(AuthenticationError) as caught:
        fetch(answer(401, body, headers={"X-Request-ID": "header-id"}))
    assert "s3cr3t" not in str(caught.value) + repr(caught.value.args)
    assert caught.value.request_id == "body-id"


def test_refused_key_without_body_uses_the_status_phrase() -> None:
    with pytest.raises(AuthenticationError) as caught:
        fetch(answer(401))
    assert caught.value.server_message == "Unauthorized"
    assert caught.value.request_id is None


@pytest.mark.parametrize(
    ("respond", "reason"),
    [
        (
            answer(500, {"exception_class": "E", "message": "boom", "request_id": "r-9"}),
            "HTTP 500 from Gcore: boom (request id r-9)",
        ),
        (
            answer(502, content=b"<html>bad gateway</html>", headers={"X-Request-ID": "h-1"}),
            "HTTP 502 from Gcore: Bad Gateway (request id h-1)",
        ),
        (answer(429), "HTTP 429 from Gcore: Too Many Requests"),
        (
            answer(503, {"message": "  down\n  for\tmaintenance "}),
            "HTTP 503 from Gcore: down for maintenance",
        ),
        (
            answer(301, headers={"Location": "https://evil.test/"}),
            "HTTP 301 from Gcore: Moved Permanently",
        ),
    ],
)
def test_other_statuses_are_errors_with_a_reason(respond: Handler, reason: str) -> None:
    assert error_reason(respond) == reason


def test_server_message_is_capped_and_redacted() -> None:
    reason = error_reason(answer(500, {"message": f"key {KEY} " + "y" * 500}))
    assert reason.startswith("HTTP 500 from Gcore: key *** yyy")
    assert len(reason) <= 200


# --- transport failures ---------------------------------------------------------------------


def test_connect_error() -> None:
    reason = error_reason(fail(httpx.ConnectError, "[Errno 111] Connection refused"))
    assert reason == "cannot connect to api.example.test: Connection refused"


def unresolvable_host(request: httpx.Request) -> httpx.Response:
    """What httpx raises when the resolver knows no such name: a ConnectError from gaierror."""
    try:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    except socket.gaierror as error:
        raise httpx.ConnectError(str(error), request=request) from error


def test_a_name_that_does_not_resolve_is_said_so_and_never_retried() -> None:
    result, recorder = fetch(
        unresolvable_host, ["timeout"], retry=RetryPolicy(max_retries=3, initial_backoff=0)
    )
    assert result.status is LiveStatus.ERROR
    assert result.reason == "cannot resolve api.example.test: Name or service not known"
    assert len(recorder.requests) == 1


def test_a_refused_connection_is_still_retried() -> None:
    result, recorder = fetch(
        fail(httpx.ConnectError, "[Errno 111] Connection refused"),
        ["timeout"],
        retry=RetryPolicy(max_retries=3, initial_backoff=0, max_backoff=0, jitter=0),
    )
    assert result.reason is not None
    assert result.reason.startswith("cannot connect to api.example.test: Connection refused")
    assert len(recorder.requests) == 4


def test_connect_error_names_a_non_default_port() -> None:
    result, _ = fetch(
        fail(httpx.ConnectError, "All connection attempts failed"),
        ["timeout"],
        base_url="http://127.0.0.1:8080",
    )
    assert result.reason == "cannot connect to 127.0.0.1:8080: All connection attempts failed"


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (httpx.ConnectTimeout, "timed out after 2 s (connect)"),
        (httpx.ReadTimeout, "timed out after 7.5 s (read)"),
    ],
)
def test_timeouts(exc: type[httpx.TransportError], reason: str) -> None:
    result, _ = fetch(fail(exc, "timed out"), connect_timeout=2.0, read_timeout=7.5)
    assert result.status is LiveStatus.ERROR
    assert result.reason == reason


def test_other_transport_errors_are_short_and_clear() -> None:
    reason = error_reason(fail(httpx.RemoteProtocolError, "Server disconnected without response"))
    assert (
        reason == "HTTP protocol error from api.example.test: Server disconnected without response"
    )
    reason = error_reason(fail(httpx.ReadError, ""))
    assert reason == "connection to api.example.test failed: ReadError"


def test_an_empty_message_is_taken_from_the_cause() -> None:
    def reset(request: httpx.Request) -> httpx.Response:
        try:
            raise ConnectionResetError(104, "Connection reset by peer")
        except ConnectionResetError as cause:
            raise httpx.ReadError("", request=request) from cause

    reason = error_reason(reset)
    assert reason == "connection to api.example.test failed: Connection reset by peer"


def test_key_in_a_transport_error_message_is_redacted() -> None:
    reason = error_reason(fail(httpx.ConnectError, f"refused for {KEY}"))
    assert reason == "cannot connect to api.example.test: refused for ***"


# --- construction ---------------------------------------------------------------------------


def test_repr_hides_the_key() -> None:
    client = GcoreClient(base_url=BASE, api_key=KEY)
    assert "s3cr3t" not in repr(client)
    assert "12345" not in repr(client)
    assert "api.example.test" in repr(client)


def test_key_from_a_file_may_end_with_a_newline() -> None:
    recorder = Recorder(answer(404))
    transport = httpx.MockTransport(recorder)
    asyncio.run(fetch_with(GcoreClient(base_url=BASE, api_key=f"{KEY}\n", transport=transport)))
    assert recorder.requests[0].headers["Authorization"] == f"APIKey {KEY}"


def test_empty_key_is_missing() -> None:
    with pytest.raises(MissingApiKeyError):
        GcoreClient(base_url=BASE, api_key="  \n")


def test_key_that_cannot_be_a_header_is_refused_without_echo() -> None:
    with pytest.raises(UsageError) as caught:
        GcoreClient(base_url=BASE, api_key="12345$s3cr3t key")
    assert "s3cr3t" not in str(caught.value)


@pytest.mark.parametrize("base_url", ["api.gcore.com", "ftp://api.gcore.com", "https://", ""])
def test_invalid_base_url_is_a_usage_error(base_url: str) -> None:
    with pytest.raises(UsageError, match="invalid Gcore base URL"):
        GcoreClient(base_url=base_url, api_key=KEY)
