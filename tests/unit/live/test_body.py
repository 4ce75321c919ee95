"""Bodies bounded as they arrive: Content-Encoding undone within the cap, JSON values counted."""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib
from collections.abc import AsyncIterator

import pytest

from faasdrift.live.body import (
    MAX_LIST_BYTES,
    MAX_LIST_PAGE_BYTES,
    BodyError,
    BoundedDecoder,
    ListBudget,
    json_shape_problem,
    read_bounded,
)

MB = 1024 * 1024


def decoded(encoding: str, *pieces: bytes, limit: int = 1000) -> bytes:
    decoder = BoundedDecoder(encoding, limit, "too large")
    for piece in pieces:
        decoder.feed(piece)
    return decoder.finish()


def test_gzip_and_deflate_in_either_wrapping_are_undone_piece_by_piece() -> None:
    body = b'{"name": "hello"}'
    packed = gzip.compress(body)
    assert decoded("gzip", packed[:5], packed[5:]) == body
    assert decoded("x-gzip", packed) == body
    assert decoded("deflate", zlib.compress(body)) == body
    assert decoded("deflate", zlib.compress(body)[2:-4]) == body  # raw deflate, as IIS sends
    assert decoded("gzip, gzip", gzip.compress(packed)) == body
    assert decoded("", body) == decoded("identity", body) == body


def test_a_bomb_is_refused_as_soon_as_any_layer_passes_the_cap() -> None:
    inner = gzip.compress(bytes(50 * MB), 9)
    bomb = gzip.compress(inner, 9)  # a few KB, 50 MB once both layers are undone
    assert len(bomb) < 10_000
    with pytest.raises(BodyError, match="too large"):
        decoded("gzip, gzip", bomb, limit=MB)


def test_the_raw_body_counts_too() -> None:
    with pytest.raises(BodyError, match="too large"):
        decoded("identity", b"x" * 600, b"x" * 600)


@pytest.mark.parametrize(
    ("encoding", "reason"),
    [
        ("br", "unsupported Content-Encoding 'br'"),
        ("gzip, gzip, gzip, gzip, gzip", "5 content encodings, refused"),
    ],
)
def test_encodings_it_cannot_undo_are_refused(encoding: str, reason: str) -> None:
    with pytest.raises(BodyError, match=reason):
        BoundedDecoder(encoding, 1000, "too large")


def test_a_body_that_is_not_what_it_claims_cannot_be_decoded() -> None:
    with pytest.raises(BodyError, match="cannot decode the body"):
        decoded("gzip", b"this is not gzip")


@pytest.mark.parametrize(
    "body",
    [
        json.dumps([1] * 300_001),
        json.dumps(["a"] * 300_001),
        json.dumps({"results": [{"name": str(n)} for n in range(160_000)]}),
        json.dumps(['\\"'] * 300_001),  # escaped quotes do not hide strings
    ],
)
def test_too_many_json_values_are_refused_before_parsing(body: str) -> None:
    problem = json_shape_problem(body.encode(), max_values=300_000)
    assert problem == "invalid response: more than 300,000 JSON values, refused"


def test_separators_inside_strings_do_not_count() -> None:
    code = "f(a, b): [x, {y}]" * 10_000  # 40,000 commas and brackets, all in one string
    page = json.dumps({"count": 1, "results": [{"name": "a", "code_text": code}]}).encode()
    assert json_shape_problem(page, max_values=1_000) is None
    assert json_shape_problem(b"<html>" + b"," * 5000, max_values=10) is None  # not JSON


@pytest.mark.parametrize(
    "tail",
    [
        b'"' + b"a" * 100,  # the old expression tried 2**100 ways to read this string
        b'"' + b'\\"' * 100_000,  # and this one again from each of its 100,000 quotes
    ],
)
def test_an_unterminated_string_is_outside_strings_and_costs_one_pass(tail: bytes) -> None:
    # A hostile server's body over the bound: the count must end (quickly) with the same answer
    # as before, where a string that never ends hides no separator.
    # 299,991 separators outside strings, 100 inside one: over the bound, so strings are read.
    body = b"[" + b"1," * 299_989 + b'"' + b"," * 100 + b'",' + tail
    assert json_shape_problem(body, max_values=300_000) is None
    refused = "invalid response: more than 300,000 JSON values, refused"
    assert json_shape_problem(body + b"," * 10, max_values=300_000) == refused
    assert json_shape_problem(b'["a,b", "c,d', max_values=3) is not None  # 3 outside
    assert json_shape_problem(b'["a,b", "c,d"', max_values=3) is None  # 2 outside


def test_a_list_that_would_bring_too_much_is_given_up_after_its_first_page() -> None:
    budget = ListBudget()
    assert budget.room() == MAX_LIST_PAGE_BYTES == MAX_LIST_BYTES // 2
    # 19 MB of count: 1,000,000 at 1,000 a page: 999 more pages of the same.
    reason = budget.spend(MB, 999_000, 1_000)
    assert reason is not None
    assert reason.startswith("its list would bring about 1,000 MB (999,000 more functions")
    small = ListBudget()
    assert small.spend(MB, 1_000, 1_000) is None  # one more page of 1 MB fits
    small.used = MAX_LIST_BYTES - 100
    assert small.room() == 100
    assert "brings more than 20 MB in all" in str(small.refusal())


async def _chunks(*pieces: bytes) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece


def test_an_error_answer_with_an_unusable_body_keeps_its_status_but_not_its_body() -> None:
    body = json.dumps([1] * 300_001).encode()

    def read(status: int) -> bytes:
        return asyncio.run(read_bounded(_chunks(body), headers={}, status=status, limit=4 * MB))

    assert read(401) == b""  # the status still says what happened; the message is dropped
    with pytest.raises(BodyError, match="more than 300,000"):
        read(200)
    small = asyncio.run(read_bounded(_chunks(b"[1]"), headers={}, status=200, limit=MB))
    assert small == b"[1]"
