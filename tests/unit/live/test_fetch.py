"""The fetch stage: bulk lists vs per-function GETs, fallbacks, concurrency, progress, errors."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Collection, Mapping
from typing import Any

import pytest

from faasdrift.errors import AuthenticationError
from faasdrift.live.fetch import FetchMode, fetch_live
from faasdrift.live.listing import match
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

HERE = Position(1, 1)
LIVE = {"timeout": 5, "envs": {"A": "1"}, "code_text": "x", "enable_api_key": None}


def declared(name: str, namespace: str = "ns", project: int = 1, **fields: Any) -> DesiredFunction:
    return DesiredFunction(FunctionId(project, 1, namespace, name), fields or {"timeout": 5}, HERE)


def item(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, **LIVE, **fields}


class FakeApi:
    """A LiveApi answering lists and GETs from dicts, with optional delays; records every call."""

    def __init__(
        self,
        lists: Mapping[str, FunctionList | Failure] | None = None,
        gets: Mapping[str, dict[str, Any] | Exception] | None = None,
        *,
        delay: float = 0.0,
        retries: int = 0,
        absent: Collection[str] = (),
    ) -> None:
        self.lists = lists or {}
        self.gets = gets or {}
        self.absent = set(absent)  # namespaces that do not exist
        self.delay = delay
        self.retries = retries
        self.calls: list[tuple[str, str]] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.opened = self.closed = False

    async def __aenter__(self) -> FakeApi:
        self.opened = True
        return self

    async def __aexit__(self, *_: object) -> None:
        self.closed = True

    async def _request(self, kind: str, name: str) -> None:
        self.calls.append((kind, name))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
        finally:
            self.in_flight -= 1

    async def list_functions(
        self, project_id: int, region_id: int, namespace: str
    ) -> FunctionList | Failure:
        await self._request("list", f"{project_id}/{region_id}/{namespace}")
        return self.lists[namespace]

    async def namespace_exists(self, project_id: int, region_id: int, namespace: str) -> bool:
        await self._request("namespace", f"{project_id}/{region_id}/{namespace}")
        return namespace not in self.absent

    async def fetch_function(self, identity: FunctionId, fields: Collection[str]) -> LiveResult:
        answer = self.gets.get(identity.name)
        if isinstance(answer, Exception):  # at once, while the others are still in flight
            self.calls.append(("get", identity.name))
            raise answer
        await self._request("get", identity.name)
        if answer is None:
            return LiveResult(identity, LiveStatus.MISSING)
        return LiveResult(identity, LiveStatus.FOUND, data=answer)


def fetch(api: FakeApi, *functions: DesiredFunction, **options: Any) -> dict[str, LiveResult]:
    fetched = fetch_live(DesiredState("d.yaml", functions), api, **options)
    assert set(fetched.live) == {function.identity for function in functions}
    return {identity.name: result for identity, result in fetched.live.items()}


def complete(*items: dict[str, Any]) -> FunctionList:
    return FunctionList({entry["name"]: entry for entry in items}, complete=True)


# --- bulk -------------------------------------------------------------------------------------


def test_bulk_lists_each_namespace_once_and_matches_by_name() -> None:
    api = FakeApi({"ns": complete(item("a"), item("b"), item("x")), "other": complete(item("c"))})

    live = fetch(api, declared("a"), declared("c", "other"), declared("b"), declared("gone"))

    assert sorted(api.calls) == [("list", "1/1/ns"), ("list", "1/1/other")]
    assert live["a"] == LiveResult(FunctionId(1, 1, "ns", "a"), LiveStatus.FOUND, item("a"))
    assert live["c"].status is LiveStatus.FOUND
    assert live["gone"].status is LiveStatus.MISSING  # absent from a consistent list


def test_no_cyclic_collection_runs_during_a_fetch_and_the_collector_is_restored() -> None:
    # A collection in the fetch would walk the desired state just built (0.14 s at 10,000).
    class Watching(FakeApi):
        async def list_functions(
            self, project_id: int, region_id: int, namespace: str
        ) -> FunctionList | Failure:
            self.collecting = gc.isenabled()
            return await super().list_functions(project_id, region_id, namespace)

    api = Watching({"ns": complete(item("a"))})
    assert gc.isenabled()
    assert fetch(api, declared("a"))["a"].status is LiveStatus.FOUND
    assert (api.collecting, gc.isenabled()) == (False, True)
    with pytest.raises(RuntimeError, match="boom"):
        fetch(FakeApi(gets={"b": RuntimeError("boom")}), declared("b"), mode=FetchMode.PER_FUNCTION)
    assert gc.isenabled()


def test_bulk_tells_namespaces_of_other_projects_apart() -> None:
    api = FakeApi({"ns": complete(item("a"), item("b"))})

    fetch(api, declared("a"), declared("b", project=2))

    assert sorted(api.calls) == [("list", "1/1/ns"), ("list", "2/1/ns")]


def test_a_list_item_lacking_a_compared_field_is_fetched_by_get() -> None:
    short = {"name": "a", "timeout": 5}  # a list that leaves out code_text and envs
    api = FakeApi({"ns": complete(short, item("b"))}, {"a": item("a")})

    live = fetch(api, declared("a", code_text="x"), declared("b", code_text="x"))

    assert sorted(api.calls) == [("get", "a"), ("list", "1/1/ns")]
    assert live["a"].data == item("a")
    assert live["b"].data == item("b")


def test_a_list_item_with_an_invalid_field_is_fetched_by_get() -> None:
    api = FakeApi({"ns": complete(item("a", timeout="five"))}, {"a": item("a")})

    live = fetch(api, declared("a"))

    assert ("get", "a") in api.calls
    assert live["a"].data == item("a")


def test_absent_names_of_an_inconsistent_list_are_verified_by_get() -> None:
    listing = FunctionList({"a": item("a")}, complete=False)
    api = FakeApi({"ns": listing}, {"late": item("late")})

    live = fetch(api, declared("a"), declared("late"), declared("gone"))

    assert sorted(api.calls) == [("get", "gone"), ("get", "late"), ("list", "1/1/ns")]
    assert live["a"].status is LiveStatus.FOUND  # what the list did deliver is used
    assert live["late"].status is LiveStatus.FOUND
    assert live["gone"].status is LiveStatus.MISSING  # on the word of a 404, not of the list


def test_an_unusable_list_falls_back_to_a_get_per_function() -> None:
    failure = Failure("invalid response: body is not JSON (HTTP 200)", fall_back=True)
    api = FakeApi({"ns": failure, "fine": complete(item("c"))}, {"a": item("a")})

    live = fetch(api, declared("a"), declared("b"), declared("c", "fine"))

    assert sorted(api.calls) == [
        ("get", "a"),
        ("get", "b"),
        ("list", "1/1/fine"),
        ("list", "1/1/ns"),
        ("namespace", "1/1/ns"),  # b is missing: its namespace's list did not say it exists
    ]
    assert live["a"].status is LiveStatus.FOUND
    assert live["b"] == LiveResult(FunctionId(1, 1, "ns", "b"), LiveStatus.MISSING)


def test_a_list_that_got_no_answer_leaves_its_functions_not_checked() -> None:
    failure = Failure("HTTP 429 after 3 retries: Request was throttled.", fall_back=False)
    api = FakeApi({"ns": failure})

    live = fetch(api, declared("a"), declared("b"))

    assert api.calls == [("list", "1/1/ns")]  # no GETs to an API that keeps refusing
    for name in ("a", "b"):
        assert live[name].status is LiveStatus.ERROR
        assert live[name].reason == (
            "could not list namespace ns: HTTP 429 after 3 retries: Request was throttled."
        )


def test_match_rules() -> None:
    wanted = declared("a", timeout=5)
    assert match(wanted, complete()) == LiveResult(wanted.identity, LiveStatus.MISSING)
    assert match(wanted, FunctionList({}, complete=False)) is None
    assert match(wanted, complete({"name": "a"})) is None
    assert match(wanted, complete(item("a"))) == LiveResult(
        wanted.identity, LiveStatus.FOUND, item("a")
    )


# --- per function -----------------------------------------------------------------------------


def test_per_function_sends_one_get_per_function_and_no_list() -> None:
    api = FakeApi(gets={"a": item("a")})

    live = fetch(api, declared("a"), declared("b"), mode=FetchMode.PER_FUNCTION)

    assert sorted(api.calls) == [("get", "a"), ("get", "b"), ("namespace", "1/1/ns")]
    assert live["a"].status is LiveStatus.FOUND
    assert live["b"] == LiveResult(FunctionId(1, 1, "ns", "b"), LiveStatus.MISSING)


def test_a_missing_function_says_when_its_namespace_does_not_exist_either() -> None:
    api = FakeApi(gets={"a": item("a")}, absent={"prod-apii"})
    functions = [
        declared("a"),
        declared("b"),
        declared("c", "prod-apii"),
        declared("d", "prod-apii"),
    ]

    live = fetch(api, *functions, mode=FetchMode.PER_FUNCTION)

    reason = "namespace 'prod-apii' does not exist in project 1, region 1"
    assert live["c"] == LiveResult(
        FunctionId(1, 1, "prod-apii", "c"), LiveStatus.MISSING, reason=reason
    )
    assert live["d"].reason == reason
    assert live["b"].reason is None  # its namespace exists: no such function
    namespaces = sorted(call for call in api.calls if call[0] == "namespace")
    assert namespaces == [("namespace", "1/1/ns"), ("namespace", "1/1/prod-apii")]  # once each


def test_a_list_that_says_the_namespace_does_not_exist_makes_its_functions_missing() -> None:
    reason = "namespace 'prod-apii' does not exist in project 1, region 1"
    gone = FunctionList(items={}, complete=True, missing_reason=reason)
    api = FakeApi({"prod-apii": gone})

    live = fetch(api, declared("a", "prod-apii"), declared("b", "prod-apii"))

    assert api.calls == [("list", "1/1/prod-apii")]  # no GET, no second question
    assert {name: (result.status, result.reason) for name, result in live.items()} == {
        "a": (LiveStatus.MISSING, reason),
        "b": (LiveStatus.MISSING, reason),
    }


def test_a_name_the_list_gave_twice_is_fetched_by_get() -> None:
    listing = FunctionList({"a": item("a")}, complete=False, repeated=frozenset({"b"}))
    api = FakeApi({"ns": listing}, {"b": item("b", timeout=9)})

    live = fetch(api, declared("a"), declared("b"))

    assert sorted(api.calls) == [("get", "b"), ("list", "1/1/ns")]
    assert live["b"].data == item("b", timeout=9)


# --- concurrency, progress, errors ------------------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 3, 8])
def test_no_more_than_concurrency_requests_are_in_flight(concurrency: int) -> None:
    api = FakeApi(gets={f"f{n}": item(f"f{n}") for n in range(20)}, delay=0.01)
    functions = [declared(f"f{n}") for n in range(20)]

    fetch(api, *functions, mode=FetchMode.PER_FUNCTION, concurrency=concurrency)

    assert api.most_in_flight == concurrency
    assert len(api.calls) == 20


def test_namespaces_are_listed_concurrently() -> None:
    lists = {f"ns{n}": complete(item("a")) for n in range(6)}
    api = FakeApi(lists, delay=0.01)

    fetch(api, *(declared("a", f"ns{n}") for n in range(6)), concurrency=4)

    assert api.most_in_flight == 4


def test_progress_is_told_each_function_as_it_is_settled() -> None:
    seen: list[tuple[int, int]] = []
    lists: dict[str, FunctionList | Failure] = {
        "ns": complete(item("a")),
        "other": Failure("broken", fall_back=True),
    }
    api = FakeApi(lists, {"b": item("b")})

    fetch(api, declared("a"), declared("b"), declared("c", "other"), on_progress=_record(seen))

    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]


def _record(seen: list[tuple[int, int]]) -> Any:
    def on_progress(done: int, total: int) -> None:
        seen.append((done, total))

    return on_progress


def test_the_retries_of_the_client_are_handed_on() -> None:
    api = FakeApi(retries=4)
    fetched = fetch_live(DesiredState("d.yaml", (declared("a"),)), api, mode=FetchMode.PER_FUNCTION)
    assert fetched.retries == 4
    assert api.opened
    assert api.closed


def test_nothing_declared_sends_nothing() -> None:
    api = FakeApi()
    fetched = fetch_live(DesiredState("d.yaml", ()), api)
    assert (fetched.live, api.calls) == ({}, [])


def test_a_refused_key_stops_the_whole_fetch_at_once() -> None:
    refused = AuthenticationError(401, "Bad permanent token.", None)
    api = FakeApi(gets={"bad": refused}, delay=0.05)
    slow = [declared(f"slow{n}") for n in range(50)]

    with pytest.raises(AuthenticationError):
        fetch(api, declared("bad"), *slow, mode=FetchMode.PER_FUNCTION, concurrency=4)

    assert len(api.calls) <= 4  # those in flight with it were cancelled; none started later
    assert api.in_flight == 0
    assert api.closed
