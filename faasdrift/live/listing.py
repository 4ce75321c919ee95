"""What a page of a function list means, and how the pages of one list make a ``FunctionList``.

A list is evidence only where it is consistent. The API sends no next-page link, so ``count`` is
the only end marker, and every way the pages can contradict it or themselves makes the list
incomplete rather than silently short: a name given twice (on one page or across pages, equal or
not) is evidence for neither copy, and an item that says it lives in another namespace (or
project, or region) is never taken for a declared function. Then a GET decides.

The loop that asks for the pages, within the bytes one list may bring, is ``paging``; what a
list says of one declared function is ``match``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeGuard

from faasdrift.live.answers import (
    Answer,
    elsewhere,
    http_error_reason,
    is_not_found,
    missing_namespace_reason,
    plain_json_object,
    refuse_rejected_key,
)
from faasdrift.live.fields import check_compared_fields
from faasdrift.model import (
    DesiredFunction,
    Failure,
    FunctionId,
    FunctionList,
    LiveResult,
    LiveStatus,
    NamespaceKey,
)
from faasdrift.schemas import FUNCTION_LIST_SCHEMA, load_schema


@dataclass(frozen=True)
class Page:
    count: int
    items: tuple[dict[str, Any], ...]  # each a JSON object with a string "name"
    plain: bool = False  # every item is plain (``schemas.is_plain``), as the parse told


@dataclass(frozen=True)
class NoSuchNamespace:
    """Gcore's ``NotFoundError`` for the list: the namespace itself does not exist."""


# Answers a GET per function cannot improve on: the API did not answer, kept refusing (429),
# refused this key the namespace (403), or named no such route (a wrong base URL or region).
_FINAL = frozenset({HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND})


def list_page(answer: Answer, *, secrets: Collection[str] = ()) -> Page | NoSuchNamespace | Failure:
    """One page of a function list, or why it cannot be used (raises if the key is refused)."""
    refuse_rejected_key(answer, secrets)
    if is_not_found(answer):
        return NoSuchNamespace()
    if not 200 <= answer.status <= 299:
        return Failure(http_error_reason(answer, secrets), fall_back=answer.status not in _FINAL)
    parsed = plain_json_object(answer)
    if isinstance(parsed, str):
        return Failure(parsed, fall_back=True)
    body, plain = parsed
    count, results = body.get("count"), body.get("results")
    if not _is_count(count) or not isinstance(results, list):
        reason = "invalid response: a list needs an integer 'count' and a 'results' list"
        return Failure(reason, fall_back=True)
    for index, item in enumerate(results):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            reason = f"invalid response: list item {index} is not an object with a 'name'"
            return Failure(reason, fall_back=True)
    return Page(count=count, items=tuple(results), plain=plain)


def _is_count(value: object) -> TypeGuard[int]:
    # The derived envelope (FunctionListSerializer): an integer from its minimum up.
    minimum: int = _COUNT["minimum"]
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


_COUNT: Mapping[str, Any] = load_schema(FUNCTION_LIST_SCHEMA)["properties"]["count"]


# What ``elsewhere`` compares besides the name.
_PLACE_FIELDS = ("namespace", "project_id", "region_id")


class ListCollector:
    """Gathers the pages of the list of namespace ``key``, by ``offset += len(results)``."""

    def __init__(self, key: NamespaceKey, *, secrets: Collection[str] = ()) -> None:
        self.key = key
        self.offset = 0
        self.remaining = 0  # what the last page's ``count`` says is still to come
        self._secrets = secrets
        self._items: dict[str, dict[str, Any]] = {}
        self._repeated: set[str] = set()
        self._plain: set[str] = set()
        self._counts: set[int] = set()
        self._foreign = False

    def take(self, answer: Answer | Failure) -> FunctionList | Failure | None:
        """The list once ``answer`` ends it (or why there is none); None: ask for the next page."""
        page = answer if isinstance(answer, Failure) else list_page(answer, secrets=self._secrets)
        if isinstance(page, Failure):
            return page
        if isinstance(page, NoSuchNamespace):
            reason = missing_namespace_reason(*self.key)
            return FunctionList(items={}, complete=True, missing_reason=reason)
        return None if self.add(page) else self.result()

    def add(self, page: Page) -> bool:
        """Take one page; True when another page is needed."""
        for item in page.items:
            name: str = item["name"]
            if self._foreign_item(item, name):
                self._foreign = True  # never matched, never unmanaged: it is not from here
            elif name in self._items or name in self._repeated:
                self._repeated.add(name)
                self._items.pop(name, None)
            else:
                self._items[name] = item
                if page.plain:
                    self._plain.add(name)
        self._counts.add(page.count)
        self.offset += len(page.items)
        self.remaining = max(page.count - self.offset, 0)
        return bool(page.items) and self.offset < page.count

    def _foreign_item(self, item: dict[str, Any], name: str) -> bool:
        # Gcore's list items say nothing of where they live (and the name is the item's own):
        # then ``elsewhere`` has nothing to compare, and no identity is built per item.
        if not any(map(item.__contains__, _PLACE_FIELDS)):
            return False
        return elsewhere(item, FunctionId(*self.key, name)) is not None

    def result(self, *, cut_short: bool = False) -> FunctionList:
        consistent = len(self._counts) == 1 and self.offset in self._counts
        clean = not self._repeated and not self._foreign
        complete = consistent and clean and not cut_short
        plain = frozenset(self._plain.intersection(self._items))  # a name given twice is gone
        return FunctionList(self._items, complete, repeated=frozenset(self._repeated), plain=plain)


def match(function: DesiredFunction, listing: FunctionList) -> LiveResult | None:
    """The function's live result according to its namespace list; None if only a GET can tell."""
    identity = function.identity
    if listing.missing_reason is not None:
        return LiveResult(identity, LiveStatus.MISSING, reason=listing.missing_reason)
    item = listing.items.get(identity.name)
    if item is None:
        return (
            LiveResult(identity=identity, status=LiveStatus.MISSING) if listing.complete else None
        )
    plain = identity.name in listing.plain  # known from the parse: no walk to prove it
    fields = tuple(function.fields)
    if check_compared_fields(item, fields, absent_means_null=False, plain=plain) is not None:
        return None
    return LiveResult(identity=identity, status=LiveStatus.FOUND, data=item)
