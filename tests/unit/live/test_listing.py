"""What list pages mean: one page, paging to the count, and pages that contradict themselves."""

from __future__ import annotations

import json
from typing import Any

import pytest

from faasdrift.errors import AuthenticationError
from faasdrift.live.answers import Answer, elsewhere
from faasdrift.live.listing import _PLACE_FIELDS, ListCollector, NoSuchNamespace, Page, list_page
from faasdrift.model import Failure, FunctionId, FunctionList
from faasdrift.schemas import FUNCTION_SCHEMA, load_schema
from tests.unit.live.test_fields import ITEM


def ok(body: Any) -> Answer:
    return Answer(status=200, content=json.dumps(body).encode())


def page(count: int, *names: str) -> Page:
    return Page(count=count, items=tuple({"name": name} for name in names))


# --- one page ---------------------------------------------------------------------------------


def test_a_valid_page() -> None:
    assert list_page(ok({"count": 2, "results": [ITEM, {"name": "b"}]})) == Page(
        count=2, items=(ITEM, {"name": "b"}), plain=True
    )
    # What a compiled validator may read otherwise: the items are walked before it answers.
    for value in (5.0, 2**53, float("nan")):
        page = list_page(ok({"count": 1, "results": [{"name": "a", "timeout": value}]}))
        assert isinstance(page, Page)
        assert not page.plain


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


@pytest.mark.parametrize("status", [400, 500, 502, 503])
def test_an_http_error_falls_back_to_gets(status: int) -> None:
    failure = list_page(Answer(status))
    assert isinstance(failure, Failure)
    assert failure.fall_back
    assert failure.reason.startswith(f"HTTP {status} from Gcore")


def test_not_found_error_means_the_namespace_does_not_exist() -> None:
    body = b'{"exception_class": "NotFoundError", "message": "Namespace not found."}'
    assert list_page(Answer(404, content=body)) == NoSuchNamespace()
    listing = ListCollector((1, 2, "prod-apii")).take(Answer(404, content=body))
    assert listing == FunctionList(
        items={},
        complete=True,
        missing_reason="namespace 'prod-apii' does not exist in project 1, region 2",
    )


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b"<html><body>404 Not Found</body></html>", "Not Found"),
        (b'{"exception_class": "HTTPError", "message": "No route."}', "No route."),
        (b'{"message": "Not here."}', "Not here."),
        (b"", "Not Found"),
    ],
)
def test_any_other_404_is_not_evidence_and_not_worth_a_get_each(content: bytes, shown: str) -> None:
    failure = list_page(Answer(404, content=content))
    assert failure == Failure(
        "HTTP 404 from Gcore, not Gcore's NotFoundError (is the base URL or region wrong?):"
        f" {shown}",
        fall_back=False,
    )


def test_a_forbidden_namespace_is_not_worth_a_get_each() -> None:
    body = b'{"exception_class": "ForbiddenError", "message": "Forbidden.", "request_id": "r-4"}'
    assert list_page(Answer(403, content=body)) == Failure(
        "HTTP 403 from Gcore (this API key may not read that project or namespace): Forbidden."
        " (request id r-4)",
        fall_back=False,
    )


def test_a_lasting_429_does_not_fall_back() -> None:
    answer = Answer(429, {"x-request-id": "r-1"}, b'{"message": "Request was throttled."}', 3)
    assert list_page(answer) == Failure(
        "HTTP 429 after 3 retries: Request was throttled. (request id r-1)", fall_back=False
    )


def test_only_401_means_the_key_is_refused() -> None:
    with pytest.raises(AuthenticationError):
        list_page(Answer(401, content=b'{"message": "nope"}'))


# --- paging -----------------------------------------------------------------------------------


def collect(*pages: Page) -> tuple[ListCollector, list[bool]]:
    collector = ListCollector((1, 1, "prod"))
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


def test_a_name_repeated_across_pages_is_evidence_for_neither_copy() -> None:
    collector, _ = collect(page(4, "a", "b"), page(4, "b", "c"))
    listing = collector.result()
    assert not listing.complete
    assert list(listing.items) == ["a", "c"]
    assert listing.repeated == {"b"}


def test_only_items_of_plain_pages_are_plain_and_a_repeated_one_is_not_at_all() -> None:
    collector = ListCollector((1, 1, "prod"))
    plain = Page(count=4, items=({"name": "a"}, {"name": "b"}), plain=True)
    collector.add(plain)
    collector.add(Page(count=4, items=({"name": "b"}, {"name": "c", "timeout": 5.0})))
    listing = collector.result()
    assert (set(listing.items), listing.repeated, listing.plain) == ({"a", "c"}, {"b"}, {"a"})


@pytest.mark.parametrize("second", [{"name": "a", "timeout": 5}, {"name": "a", "timeout": 9}])
def test_a_repeat_within_one_page_equal_or_not_is_evidence_for_neither(
    second: dict[str, Any],
) -> None:
    collector = ListCollector((1, 1, "prod"))
    collector.add(Page(count=3, items=({"name": "a", "timeout": 5}, second, {"name": "b"})))
    listing = collector.result()
    assert (listing.complete, list(listing.items), listing.repeated) == (False, ["b"], {"a"})


def test_a_name_given_three_times_stays_repeated() -> None:
    collector, _ = collect(page(3, "a", "a", "a"))
    assert (collector.result().items, collector.result().repeated) == ({}, {"a"})


@pytest.mark.parametrize(
    "foreign",
    [
        {"name": "a", "namespace": "other"},
        {"name": "a", "project_id": 2},
        {"name": "a", "region_id": 9},
    ],
)
def test_an_item_of_another_namespace_is_never_taken(foreign: dict[str, Any]) -> None:
    collector = ListCollector((1, 1, "prod"))
    collector.add(Page(count=2, items=(foreign, {"name": "b"})))
    listing = collector.result()
    assert (listing.complete, list(listing.items), listing.repeated) == (False, ["b"], set())


def test_elsewhere_reads_only_the_fields_the_collector_looks_for_first() -> None:
    # The collector asks ``elsewhere`` only about items holding one of _PLACE_FIELDS.
    identity = FunctionId(1, 1, "prod", "a")
    others = set(load_schema(FUNCTION_SCHEMA)["properties"]) - {"name", *_PLACE_FIELDS}
    assert elsewhere({"name": "a", **dict.fromkeys(others, object())}, identity) is None
    for field in _PLACE_FIELDS:
        assert elsewhere({"name": "a", field: object()}, identity) is not None


def test_an_item_that_says_it_is_from_here_is_taken() -> None:
    collector = ListCollector((1, 1, "prod"))
    item = {"name": "a", "namespace": "prod", "project_id": 1, "region_id": 1}
    collector.add(Page(count=1, items=(item,)))
    assert collector.result() == FunctionList(items={"a": item}, complete=True)


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
