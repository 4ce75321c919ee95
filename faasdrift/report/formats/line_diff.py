"""A unified diff of two texts' lines that stays fast on large code: difflib between anchors.

``difflib.SequenceMatcher`` finds its matches by searching for the longest common block, again
in each gap between the blocks found so far: on 100 KB of code changed every few lines, that is
hundreds of scans of the whole remaining range (~100-175 ms). Lines that occur exactly once on
each side are anchors (as in patience diff): their longest increasing run pairs them up in one
pass, the common lines next to each pair are taken as far as they go, and difflib runs only in
the small gaps left between, which it matches as it always did. Where no line is unique on both
sides (the whole text repeats), this is difflib's diff, unchanged.

The hunks are formatted as ``difflib.unified_diff`` formats them, from the same grouped opcodes.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator, Sequence

Block = tuple[int, int, int]  # (start in a, start in b, length), as difflib's matching blocks


class AnchoredMatcher(difflib.SequenceMatcher[str]):
    """A ``SequenceMatcher`` whose matching blocks are found from unique lines first."""

    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        super().__init__(None, a, b)
        self._sides = (a, b)
        self._blocks: list[difflib.Match] | None = None

    def get_matching_blocks(self) -> list[difflib.Match]:
        if self._blocks is None:
            a, b = self._sides
            blocks = _collapsed(_anchored_blocks(a, b))
            blocks.append((len(a), len(b), 0))
            self._blocks = [difflib.Match(*block) for block in blocks]
        return self._blocks


def unified_diff_lines(
    a: Sequence[str], b: Sequence[str], fromfile: str, tofile: str, context: int = 3
) -> Iterator[str]:
    """``difflib.unified_diff(a, b, fromfile, tofile, lineterm="")`` with ``AnchoredMatcher``."""
    started = False
    for group in AnchoredMatcher(a, b).get_grouped_opcodes(context):
        if not started:
            started = True
            yield f"--- {fromfile}"
            yield f"+++ {tofile}"
        first, last = group[0], group[-1]
        yield f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@"
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                yield from (" " + line for line in a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                yield from ("-" + line for line in a[i1:i2])
            if tag in ("replace", "insert"):
                yield from ("+" + line for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    """A hunk's range as the unified format writes it: 1-based start, then the length if not 1
    (an empty range names the line before it)."""
    length = stop - start
    beginning = start + 1
    if length == 1:
        return str(beginning)
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def _anchored_blocks(a: Sequence[str], b: Sequence[str]) -> list[Block]:
    blocks: list[Block] = []
    i = j = 0
    for anchor_a, anchor_b in _anchors(a, b):
        if anchor_a < i or anchor_b < j:
            continue  # already inside the common run grown from the previous anchor
        start_a, start_b = anchor_a, anchor_b
        while start_a > i and start_b > j and a[start_a - 1] == b[start_b - 1]:
            start_a, start_b = start_a - 1, start_b - 1
        end_a, end_b = anchor_a + 1, anchor_b + 1
        while end_a < len(a) and end_b < len(b) and a[end_a] == b[end_b]:
            end_a, end_b = end_a + 1, end_b + 1
        blocks += _gap_blocks(a, b, (i, start_a), (j, start_b))
        blocks.append((start_a, start_b, end_a - start_a))
        i, j = end_a, end_b
    blocks += _gap_blocks(a, b, (i, len(a)), (j, len(b)))
    return blocks


def _gap_blocks(
    a: Sequence[str], b: Sequence[str], in_a: tuple[int, int], in_b: tuple[int, int]
) -> list[Block]:
    """difflib's matching blocks of the ranges ``in_a`` of a and ``in_b`` of b, in whole-text
    indexes."""
    (alo, ahi), (blo, bhi) = in_a, in_b
    if alo == ahi or blo == bhi:
        return []
    matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi])
    return [(alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n]


def _anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs of indexes of lines unique to each side, the longest run increasing in both."""
    counts: dict[str, int] = {}
    for line in a:
        counts[line] = counts.get(line, 0) + 1
    where_a = {line: i for i, line in enumerate(a) if counts[line] == 1}
    in_b: dict[str, int] = {}
    for j, line in enumerate(b):
        if line in where_a:
            in_b[line] = -1 if line in in_b else j
    pairs = [(where_a[line], j) for line, j in in_b.items() if j >= 0]
    pairs.sort(key=lambda pair: pair[1])
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (sorted by their second item) increasing in the
    first: patience sorting, O(n log n)."""
    tails: list[int] = []  # the smallest last first-item of a run of each length
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (first, _second) in enumerate(pairs):
        length = bisect.bisect_left(tails, first)
        if length == len(tails):
            tails.append(first)
            tail_index.append(index)
        else:
            tails[length], tail_index[length] = first, index
        previous.append(tail_index[length - 1] if length else -1)
    run: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _collapsed(blocks: list[Block]) -> list[Block]:
    """Adjacent blocks joined into one, as difflib hands them out."""
    joined: list[Block] = []
    for i, j, n in blocks:
        if joined and joined[-1][0] + joined[-1][2] == i and joined[-1][1] + joined[-1][2] == j:
            last = joined.pop()
            joined.append((last[0], last[1], last[2] + n))
        else:
            joined.append((i, j, n))
    return joined
