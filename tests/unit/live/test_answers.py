"""What answers mean: list pages, paging consistency, list items, error reasons with retries."""

from __future__ import annotations

import json
from typing import Any

import pytest

from faasdrift.errors import AuthenticationError
from faasdrift.live.answers import (
    Answer,
    ListCollector,
    Page,
    check_compared_fields,
    http_error_reason,
    list_page,
)
from faasdrift.model import Failure

ITEM = {
    "name": "hello",
    "code_text": "def main(): pass",
    "timeout": 5,
    "envs": {"A": "1"},
    "enable_api_key": False,
}


def ok(body: Any) -> Answer:
    return Answer(status=200, content=json.dumps(body).encode())


def page(count: int, *names: str) -> Page:
    return Page(count=count, items=tuple({"name": name} for name in names))


# --- one page ---------------------------------------------------------------------------------


def test_a_valid_page() -> None:
    assert list_page(ok({"count": 2, "results": [ITEM, {"name": "b"}]})) == Page(
        count=2, items=(ITEM, {"name": "b"})
    )


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Answer(200, content=b"<html>"), "invalid response: body is not JSON (HTTP 200)"),
        (
            Answer(200, content=b'{"count": 1, "res'),
            "invalid response: body is not JSON (HTTP 200)",
        ),
        (ok([ITEM]), "invalid response: expected a JSON object, got list"),
        (
            ok({"results": []}),
            "invalid response: a list needs an integer 'count' and a 'results' list",
        ),
        (
            ok({"count": True, "results": []}),
            "invalid response: a list needs an integer 'count' and a 'results' list",
        ),
        (
            ok({"count": -1, "results": []}),
            "invalid response: a list needs an integer 'count' and a 'results' list",
        ),
        (
            ok({"count": 1, "results": {"name": "x"}}),
            "invalid response: a list needs an integer 'count' and a 'results' list",
        ),
        (
            ok({"count": 2, "results": [ITEM, "x"]}),
            "invalid response: list item 1 is not an object with a 'name'",
        ),
        (
            ok({"count": 1, "results": [{"name": 7}]}),
            "invalid response: list item 0 is not an object with a 'name'",
        ),
    ],
)
def test_an_unusable_page_falls_back_to_gets(answer: Answer, reason: str) -> None:
    assert list_page(answer) == Failure(reason, fall_back=True)


@pytest.mark.parametrize("status", [400, 404, 500, 502, 503])
def test_an_http_error_falls_back_to_gets(status: int) -> None:
    failure = list_page(Answer(status))
    assert isinstance(failure, Failure)
    assert failure.fall_back
    assert failure.reason.startswith(f"HTTP {status} from Gcore")


def test_a_lasting_429_does_not_fall_back() -> None:
    answer = Answer(429, {"x-request-id": "r-1"}, b'{"message": "Request was throttled."}', 3)
    assert list_page(answer) == Failure(
        "HTTP 429 after 3 retries: Request was throttled. (request id r-1)", fall_back=False
    )


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_raises(status: int) -> None:
    with pytest.raises(AuthenticationError):
        list_page(Answer(status, content=b'{"message": "nope"}'))


# --- paging -----------------------------------------------------------------------------------


def collect(*pages: Page) -> tuple[ListCollector, list[bool]]:
    collector = ListCollector()
    return collector, [collector.add(one) for one in pages]


def test_pages_until_the_count_is_reached() -> None:
    collector, more = collect(page(5, "a", "b"), page(5, "c", "d"), page(5, "e"))

    assert more == [True, True, False]
    assert collector.offset == 5
    listing = collector.result()
    assert list(listing.items) == ["a", "b", "c", "d", "e"]
    assert listing.complete


def test_an_empty_namespace_is_complete() -> None:
    collector, more = collect(page(0))
    assert more == [False]
    assert collector.result().complete
    assert collector.result().items == {}


def test_a_count_the_pages_do_not_deliver_is_incomplete() -> None:
    collector, more = collect(page(4, "a", "b"), page(4))  # the second page came back empty

    assert more == [True, False]
    listing = collector.result()
    assert set(listing.items) == {"a", "b"}
    assert not listing.complete


def test_repeated_items_make_the_list_incomplete() -> None:
    collector, _ = collect(page(4, "a", "b"), page(4, "b", "c"))
    assert not collector.result().complete


def test_a_repeat_within_one_page_makes_it_incomplete() -> None:
    collector, _ = collect(page(2, "a", "a"))
    assert not collector.result().complete


def test_a_count_that_changes_between_pages_is_incomplete() -> None:
    # "a" was deleted after page one: page two starts one item later and "c" is never seen.
    collector, more = collect(page(3, "a", "b"), page(2))
    assert more == [True, False]
    assert not collector.result().complete


def test_more_items_than_the_count_is_incomplete() -> None:
    collector, _ = collect(page(1, "a", "b"))
    assert not collector.result().complete


def test_a_list_cut_short_is_incomplete() -> None:
    collector, _ = collect(page(3, "a"))
    assert not collector.result(cut_short=True).complete


# --- list items and reasons -------------------------------------------------------------------


@pytest.mark.parametrize("field", ["envs", "enable_api_key"])
def test_a_get_may_leave_out_a_nullable_field_a_list_item_may_not(field: str) -> None:
    body = {key: value for key, value in ITEM.items() if key != field}
    assert check_compared_fields(body, [field]) is None
    assert (
        check_compared_fields(body, [field], absent_means_null=False)
        == f"response has no '{field}' field"
    )


def test_list_items_are_validated_like_gets() -> None:
    body = {**ITEM, "timeout": "5"}
    assert check_compared_fields(body, ["timeout"], absent_means_null=False) == (
        "invalid response: field 'timeout': '5' is not of type 'integer'"
    )


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
