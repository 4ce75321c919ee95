"""An answer's body, bounded: decoded as it arrives, and its JSON shape checked before it is parsed.

The API is authenticated but parsed defensively (SECURITY.md). Two ways a small answer becomes a
big one are closed here, without any HTTP library:

- ``Content-Encoding``: 1.9 KB of ``gzip, gzip`` inflate to 3.2 GB. Each layer is inflated in
  pieces of at most ``_PIECE`` bytes and every layer's output is counted as it is produced, so a
  body is refused as soon as it passes the cap, whatever its layers.
- JSON: a 19 MB body of ``[1,1,1,…]`` or of tiny objects becomes hundreds of MB of Python
  objects. Its values are counted on the raw bytes before ``json.loads`` builds anything.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import AsyncIterator, Mapping

MAX_BODY_BYTES = 20 * 1024 * 1024  # a function is at most ~1 MB, escaped; a list page far less
# The same bounds as a desired file: a page of 1,000 functions holds ~50,000 values.
MAX_BODY_VALUES = 300_000
# What one namespace's list may bring over all its pages, and one page of it (``ListBudget``):
# what one answer may, and half of it, so the pages kept and the one being parsed (three copies of
# it at once: bytes, text, objects) stay within a bounded amount of memory.
MAX_LIST_BYTES = MAX_BODY_BYTES
MAX_LIST_PAGE_BYTES = MAX_LIST_BYTES // 2
_MAX_LAYERS = 4  # "gzip, gzip" is legal; nobody stacks more than two
_PIECE = 64 * 1024
# Every key and value but the first follows one of these.
_SEPARATORS = b",:[{"
_NOT_SEPARATORS = bytes(sorted(set(range(256)) - set(_SEPARATORS)))
# The JSON strings of a body, emptied: a string (as an unrolled loop, which is linear; the
# alternation ``(?:[^"\\]+|\\.)*`` backtracks exponentially on an unterminated string, 9 s for
# 26 bytes), or one that is never terminated, which runs to the end: once a string is not
# terminated no later quote can start one (each is escaped in the first one's reading), so the
# rest is outside strings and is kept as it is, and no quote is tried again (which was quadratic).
_STRINGS = re.compile(rb'(")[^"\\]*(?:\\.[^"\\]*)*(")|("[^"\\]*(?:\\.[^"\\]*)*\\?\Z)', re.DOTALL)
_EMPTIED = rb"\1\2\3"
# In an emptied body, what comes before an unterminated string (if there is one).
_BEFORE_UNTERMINATED = re.compile(rb'[^"]*(?:""[^"]*)*')


class BodyError(Exception):
    """The body cannot be used; the message is the reason, one line."""


class BoundedDecoder:
    """Undoes a ``Content-Encoding`` (gzip, deflate, identity; stacked) within ``limit`` bytes
    per layer. ``feed`` the raw body piece by piece, then ``finish``."""

    def __init__(self, content_encoding: str, limit: int, too_large: str) -> None:
        names = [name.strip().lower() for name in content_encoding.split(",") if name.strip()]
        layers = [name for name in names if name != "identity"]
        if len(layers) > _MAX_LAYERS:
            raise BodyError(f"invalid response: {len(layers)} content encodings, refused")
        # The last encoding named was applied last: undo it first.
        self._layers = [_Layer(name) for name in reversed(layers)]
        self._produced = [0] * len(self._layers)
        self._limit, self._too_large = limit, too_large
        # The decoded pieces, joined once at the end: a growing bytearray is copied each time
        # it outgrows its block, ~8 times a 2.6 MB page's bytes, with 8 pages arriving at once.
        self._out: list[bytes] = []
        self._size = self._raw = 0

    def feed(self, raw: bytes) -> None:
        self._raw += len(raw)
        if self._raw > self._limit:
            raise BodyError(self._too_large)
        self._push(0, raw)

    def finish(self) -> bytes:
        for index in range(len(self._layers)):
            self._push(index, b"")  # whatever a layer still holds
        return b"".join(self._out)

    def _push(self, index: int, data: bytes) -> None:
        if index == len(self._layers):
            self._out.append(data)
            self._size += len(data)
            if self._size > self._limit:
                raise BodyError(self._too_large)
            return
        layer = self._layers[index]
        while True:
            piece, data = layer.inflate(data, _PIECE)
            self._produced[index] += len(piece)
            if self._produced[index] > self._limit:  # a layer in between counts too
                raise BodyError(self._too_large)
            if not piece:
                return
            self._push(index + 1, piece)


class _Layer:
    def __init__(self, name: str) -> None:
        if name in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif name == "deflate":  # zlib-wrapped as the RFC says, or raw as some servers send
            self._inflater = zlib.decompressobj()
        else:
            raise BodyError(f"invalid response: unsupported Content-Encoding {name!r}")
        self._name, self._started = name, False

    def inflate(self, data: bytes, most: int) -> tuple[bytes, bytes]:
        """At most ``most`` bytes of output, and the input still to inflate."""
        if self._inflater.eof:
            return b"", b""  # anything after the end (another gzip member) is ignored
        try:
            piece = self._inflater.decompress(data, most)
        except zlib.error as error:
            if self._name == "deflate" and not self._started:
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                return self.inflate(data, most)
            raise BodyError(f"invalid response: cannot decode the body: {error}") from None
        self._started = True
        return piece, self._inflater.unconsumed_tail


def json_shape_problem(content: bytes, *, max_values: int) -> str | None:
    """Why ``content`` holds too many JSON values to parse, or None (invalid JSON is left for
    the parser to name; nesting is bounded by the parser's own recursion limit).

    Every key and value but the first follows a ``,``, ``:``, ``[`` or ``{``, so counting those
    bounds what ``json.loads`` would build, at C speed. Only when that bound is over the limit
    are the ones inside strings (code is full of commas) left out: the strings are emptied (by
    one regular expression, in linear time) and the separators counted again; too many strings
    alone are too many values too.
    """
    head = content[:64].lstrip()
    if not head.startswith((b"{", b"[")):
        return None
    too_many = f"invalid response: more than {max_values:,} JSON values, refused"
    if _separators(content) + 1 <= max_values:
        return None
    # Each string has two quotes that are not escaped: a lower bound of the strings, for free.
    if (content.count(b'"') - content.count(b'\\"')) // 2 > max_values:
        return too_many
    outside, matched = _STRINGS.subn(_EMPTIED, content)
    if matched - _ends_unterminated(outside) > max_values:
        return too_many
    return too_many if _separators(outside) + 1 > max_values else None


def _ends_unterminated(outside: bytes) -> bool:
    before = _BEFORE_UNTERMINATED.match(outside)  # it matches the empty text at least
    return before is not None and before.end() < len(outside)


def _separators(content: bytes) -> int:
    # One pass that keeps only the separators: a third of the time of four ``count`` calls.
    return len(content.translate(None, _NOT_SEPARATORS))


async def read_bounded(
    chunks: AsyncIterator[bytes],
    *,
    headers: Mapping[str, str],
    status: int,
    limit: int,
    too_large: str | None = None,
) -> bytes:
    """The decoded body of an answer from its raw ``chunks``, refused (``BodyError``) as soon
    as it is known to exceed ``limit`` bytes, raw or decoded, or to hold more JSON values than a
    body may. An error answer's unusable body is dropped instead: its status still counts."""
    refused = too_large or f"invalid response: body larger than {size_text(limit)}, refused"
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyError(refused)
    decoder = BoundedDecoder(headers.get("content-encoding", ""), limit, refused)
    async for raw in chunks:
        decoder.feed(raw)
    content = decoder.finish()
    problem = json_shape_problem(content, max_values=MAX_BODY_VALUES)
    if problem is None:
        return content
    if 200 <= status <= 299:
        raise BodyError(problem)
    return b""


def size_text(count: int) -> str:
    megabytes, rest = divmod(count, 1024 * 1024)
    return f"{megabytes} MB" if not rest else f"{count:,} bytes"


class ListBudget:
    """The bytes one namespace's list may bring in all, over every page.

    A server answering ``count: 1000000`` with 19 MB pages would otherwise fill memory page after
    page (6.3 GB measured). After each page the rest is projected (pages still to come times this
    page's size): a list that would cross the budget is given up at once, and each declared
    function is fetched on its own instead (``fetch``: the GET of a function is the authority).
    """

    def __init__(self, budget: int = MAX_LIST_BYTES, body_cap: int = MAX_LIST_PAGE_BYTES) -> None:
        self.budget, self.body_cap = budget, body_cap
        self.used = 0

    def room(self) -> int:
        """How large the next page may be."""
        return max(min(self.body_cap, self.budget - self.used), 0)

    def refusal(self) -> str | None:
        """Why a next page larger than ``room`` is refused."""
        if self.budget - self.used >= self.body_cap:
            return (
                f"a page of its list is larger than {size_text(self.body_cap)}, the limit; each "
                "function is fetched on its own"
            )
        return (
            f"its list brings more than {size_text(self.budget)} in all, the limit for one "
            "namespace; each function is fetched on its own"
        )

    def spend(self, size: int, remaining: int, page_items: int) -> str | None:
        """Count a page of ``size`` bytes; why the list is given up, or None to go on."""
        self.used += size
        pages_left = -(-max(remaining, 0) // max(page_items, 1))  # ceiling
        projected = self.used + pages_left * size
        if projected <= self.budget:
            return None
        return (
            f"its list would bring about {size_text_rounded(projected)} ({remaining:,} more "
            f"functions at {size_text_rounded(size)} a page), more than the "
            f"{size_text(self.budget)} one namespace may; each function is fetched on its own"
        )


def size_text_rounded(count: int) -> str:
    return f"{count / (1024 * 1024):,.0f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"
