"""What answers mean: error reasons with retries, Gcore's envelope, answers about another thing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from faasdrift.errors import AuthenticationError
from faasdrift.live.answers import Answer, function_result, http_error_reason, namespace_found
from faasdrift.model import FunctionId, LiveResult, LiveStatus

FN = FunctionId(1, 1, "prod", "hello")


def ok(body: Any) -> Answer:
    return Answer(status=200, content=json.dumps(body).encode())


def envelope(exception_class: str, message: str = "m") -> bytes:
    return json.dumps({"exception_class": exception_class, "message": message}).encode()


@pytest.mark.parametrize(
    ("retries", "reason"),
    [
        (0, "HTTP 503 from Gcore: Service Unavailable (request id r-7)"),
        (1, "HTTP 503 after 1 retry: Service Unavailable (request id r-7)"),
        (3, "HTTP 503 after 3 retries: Service Unavailable (request id r-7)"),
    ],
)
def test_http_error_reason_says_how_often_it_was_retried(retries: int, reason: str) -> None:
    answer = Answer(503, {"x-request-id": "r-7"}, b"<html>down</html>", retries)
    assert http_error_reason(answer, ()) == reason


def test_an_unknown_status_has_no_phrase() -> None:
    assert http_error_reason(Answer(599), ()) == "HTTP 599 from Gcore"


# --- 404: only Gcore's NotFoundError says "missing" -------------------------------------------


def test_not_found_error_is_missing() -> None:
    answer = Answer(404, content=envelope("NotFoundError", "Function 'hello' not found."))
    assert function_result(FN, answer, ["timeout"]) == LiveResult(FN, LiveStatus.MISSING)


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b"<!DOCTYPE html><title>404</title>", "Not Found"),  # a gateway's page: a wrong URL
        (
            envelope("HTTPError", "Not Found: /cloud/cloud/v1/faas"),
            "Not Found: /cloud/cloud/v1/faas",
        ),
        (b'{"message": "no such route"}', "no such route"),  # no envelope
        (b'{"detail": "Not found."}', "Not found."),
        (b"", "Not Found"),
    ],
)
def test_any_other_404_is_not_checked_with_the_servers_message(content: bytes, shown: str) -> None:
    result = function_result(FN, Answer(404, content=content), ["timeout"])
    assert result.status is LiveStatus.ERROR
    assert result.reason == (
        "HTTP 404 from Gcore, not Gcore's NotFoundError (is the base URL or region wrong?):"
        f" {shown}"
    )


def test_403_is_one_place_not_checked_not_a_refused_key() -> None:
    answer = Answer(403, content=envelope("ForbiddenError", "Access denied."))
    result = function_result(FN, answer, ["timeout"])
    assert result.status is LiveStatus.ERROR
    assert result.reason == (
        "HTTP 403 from Gcore (this API key may not read that project or namespace): Access denied."
    )


def test_the_meaning_of_a_404_survives_a_long_message() -> None:
    long = "No route for /gateway/" + "x" * 300
    result = function_result(FN, Answer(404, content=envelope("HTTPError", long)), ["timeout"])
    assert result.reason is not None
    assert len(result.reason) == 200
    assert result.reason.startswith(
        "HTTP 404 from Gcore, not Gcore's NotFoundError (is the base URL or region wrong?):"
        " No route"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"message": "Bad permanent token: 42"}', "Bad permanent token: 42"),
        (b'{"detail": "Invalid token."}', "Invalid token."),  # DRF's shape, no "message"
        (b'{"message": "", "detail": "Invalid token."}', "Invalid token."),
        (b'{"message": "  "}', "Unauthorized"),  # the status line then
        (b"<html>", "Unauthorized"),
    ],
)
def test_401_stops_the_run_with_message_detail_or_status(content: bytes, message: str) -> None:
    with pytest.raises(AuthenticationError) as raised:
        function_result(FN, Answer(401, content=content), ["timeout"])
    assert raised.value.server_message == message


# --- answers about something else --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"name": "other", "timeout": 5}, "asked for function 'hello', the answer is for 'other'"),
        ({"timeout": 5}, "asked for function 'hello', the answer is for no name"),
        ({"name": 7, "timeout": 5}, "asked for function 'hello', the answer is for no name"),
        (
            {"name": "hello", "namespace": "staging", "timeout": 5},
            "asked for namespace 'prod', the answer is for 'staging'",
        ),
        ({"name": "hello", "project_id": 2}, "asked for project_id 1, the answer is for 2"),
    ],
)
def test_an_answer_about_another_function_is_never_compared(
    body: dict[str, Any], reason: str
) -> None:
    result = function_result(FN, ok(body), ["timeout"])
    assert (result.status, result.reason) == (LiveStatus.ERROR, f"invalid response: {reason}")


def test_an_answer_that_says_it_is_this_function_is_found() -> None:
    body = {"name": "hello", "namespace": "prod", "project_id": 1, "region_id": 1, "timeout": 5}
    assert function_result(FN, ok(body), ["timeout"]) == LiveResult(FN, LiveStatus.FOUND, body)


@pytest.mark.parametrize(
    "content",
    [
        b'{"name": "hello", "timeout": 5, "timeout": 9}',
        b'{"name": "hello", "timeout": 5, "timeout": 5}',  # equal copies: still two answers
        b'{"name": "hello", "envs": {"A": "1", "A": "2"}, "timeout": 5}',
    ],
)
def test_a_key_given_twice_makes_the_answer_invalid(content: bytes) -> None:
    result = function_result(FN, Answer(200, content=content), ["timeout"])
    assert result.status is LiveStatus.ERROR
    assert result.reason is not None
    assert result.reason.startswith("invalid response: a JSON object holds the key ")
    assert result.reason.endswith(" twice")


def test_a_declared_nullable_field_left_out_is_recorded_as_null() -> None:
    result = function_result(FN, ok({"name": "hello", "timeout": 5}), ["timeout", "envs", "keys"])
    assert result.data == {"name": "hello", "timeout": 5, "envs": None, "keys": None}


# --- does a namespace exist --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "exists"),
    [
        (ok({"name": "prod", "functions": []}), True),
        (ok({"name": "other"}), None),  # an answer about another namespace says nothing
        (Answer(404, content=envelope("NotFoundError")), False),
        (Answer(404, content=b"<html>"), None),
        (Answer(403, content=envelope("ForbiddenError")), None),
        (Answer(502), None),
    ],
)
def test_namespace_found(answer: Answer, exists: bool | None) -> None:
    assert namespace_found(answer, "prod") is exists


def test_namespace_found_with_a_refused_key_raises() -> None:
    with pytest.raises(AuthenticationError):
        namespace_found(Answer(401), "prod")
