"""Where issue 10's reading of Gcore's contract meets issue 11's bounds.

A list page keeps its meaning (``NotFoundError``, 403, a route error) under the list's byte
budget and in name order; the namespace question a missing function raises is a request like
any other: capped, timed, redacted, and cut short by the run's deadline.
"""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import Collection
from typing import Any

import httpx
import pytest

from faasdrift.errors import AuthenticationError
from faasdrift.live.client import GcoreClient
from faasdrift.live.concurrency import Deadline
from faasdrift.live.fetch import FetchMode, fetch_live
from faasdrift.live.retry import RetryPolicy
from faasdrift.model import (
    DesiredFunction,
    DesiredState,
    Failure,
    FunctionId,
    FunctionList,
    LiveResult,
    LiveStatus,
    Position,
)
from tests.unit.live.test_client_list import KEY, Server, listing, paged, respond, run
from tests.unit.live.test_hostile_server import (
    MB,
    assert_no_piece_of_the_key,
    bomb_server,
    trickle_server,
)

NOT_FOUND = {"exception_class": "NotFoundError", "message": "Namespace not found."}


def asks(client: GcoreClient) -> Any:
    return client.namespace_exists(1, 76, "prod")


# --- the list: its meaning, within its budget -----------------------------------------------


def test_a_list_given_up_for_its_budget_was_asked_in_name_order() -> None:
    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        items = [{"name": f"f{offset + n}", "description": "x" * 100} for n in range(1000)]
        return httpx.Response(200, json={"count": 1_000_000, "results": items})

    server = Server(page)
    result = listing(server)
    assert isinstance(result, Failure)
    assert result.fall_back
    assert result.reason.startswith("its list would bring about")
    assert [dict(request.url.params) for request in server.requests] == [
        {"limit": "1000", "offset": "0", "order_by": "name.asc"}
    ]


def test_a_namespace_gcore_says_does_not_exist_is_an_answer_not_a_budget_matter() -> None:
    server = Server(respond(404, NOT_FOUND))
    result = listing(server, max_body_bytes=1000)
    assert result == FunctionList(
        items={},
        complete=True,
        missing_reason="namespace 'prod ns' does not exist in project 1, region 76",
    )


def test_a_page_forbidden_midway_is_final_and_shows_none_of_the_key() -> None:
    message = "You may not read this namespace: " + "." * 150 + KEY
    server = Server(paged(1, ["a", "b", "c"]), respond(403, {"message": message}))
    result = listing(server)
    assert isinstance(result, Failure)
    assert not result.fall_back  # a GET per function would be refused the same way
    assert "(this API key may not read that project or namespace)" in result.reason
    assert_no_piece_of_the_key(result.reason)
    assert [request.url.params["order_by"] for request in server.requests] == ["name.asc"] * 2


def test_a_route_404_on_a_list_page_is_never_a_missing_namespace() -> None:
    server = Server(respond(404, content=b"<html>Not Found</html>"))
    result = listing(server)
    assert isinstance(result, Failure)
    assert not result.fall_back
    assert "not Gcore's NotFoundError" in result.reason


# --- the namespace question: a request like any other ----------------------------------------


def test_the_namespace_question_is_asked_by_get_and_believed_only_from_gcore() -> None:
    server = Server(respond(404, NOT_FOUND))
    exists, _ = run(server, asks)
    assert exists is False
    assert [(request.method, request.url.path) for request in server.requests] == [
        ("GET", "/cloud/v1/faas/namespaces/1/76/prod")
    ]
    route_error, _ = run(Server(respond(404, content=b"<html>Not Found</html>")), asks)
    assert route_error is None  # a wrong URL says nothing about the namespace


def test_a_bomb_answering_the_namespace_question_is_refused_at_the_cap() -> None:
    server = bomb_server()
    tracemalloc.start()
    try:
        exists, _ = run(server, asks)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exists is None  # not believed either way: the function stays "no such function"
    assert len(server.requests) == 1  # an unusable body is not asked again
    assert peak < 30 * MB


def test_a_trickled_answer_to_the_namespace_question_meets_the_whole_answer_deadline() -> None:
    server = trickle_server()
    options = {"connect_timeout": 0.2, "read_timeout": 0.3, "retry": RetryPolicy(max_retries=0)}
    exists, _ = run(server, asks, **options)
    assert exists is None
    assert len(server.requests) == 1


def test_a_refused_key_echoed_by_the_namespace_question_is_redacted_before_it_is_cut() -> None:
    message = "Bad permanent token: " + "." * 170 + KEY
    server = Server(respond(401, {"message": message, "request_id": f"req-{KEY}"}))
    with pytest.raises(AuthenticationError) as caught:
        run(server, asks)
    assert_no_piece_of_the_key(str(caught.value))


class _NeverAnswers:
    """A live API whose function GET says "not found" and whose namespace question hangs."""

    retries = 0

    async def __aenter__(self) -> _NeverAnswers:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def fetch_function(self, identity: FunctionId, fields: Collection[str]) -> LiveResult:
        return LiveResult(identity, LiveStatus.MISSING)

    async def list_functions(
        self, project_id: int, region_id: int, namespace: str
    ) -> FunctionList | Failure:
        raise AssertionError("per-function mode lists nothing")

    async def namespace_exists(self, project_id: int, region_id: int, namespace: str) -> bool:
        await asyncio.Event().wait()  # a server that never answers
        raise AssertionError("unreachable")


def test_the_runs_deadline_cuts_the_namespace_question_short_never_to_missing() -> None:
    identity = FunctionId(1, 1, "prod", "hello")
    function = DesiredFunction(identity, {"timeout": 5}, Position(1, 1))
    state = DesiredState("d.yaml", (function,))
    fetched = fetch_live(
        state, _NeverAnswers(), mode=FetchMode.PER_FUNCTION, deadline=Deadline.start(0.05)
    )
    result = fetched.live[identity]
    assert fetched.deadline_passed
    assert result.status is LiveStatus.ERROR  # not checked, never "missing" on half an answer
    assert result.reason == Deadline.start(0.05).reason
