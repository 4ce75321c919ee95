"""Property: the anchored diff of code is a correct unified diff, and difflib's where they agree.

Applying the lines ``values.unified_diff`` writes to the live text gives the desired text, byte
for byte (a missing final newline included), over texts made of few distinct lines (repeats,
where no line is unique and difflib decides) and of many (unique lines, where anchors decide).
"""

from __future__ import annotations

import difflib
import re

from hypothesis import given
from hypothesis import strategies as st

from faasdrift.report.formats.values import NO_NEWLINE, _diff_lines, unified_diff
from tests.fuzz.conftest import FUZZ

_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")

few_lines = st.lists(st.sampled_from(["a", "b", "c", "", "  x = 1", "\tb"]), max_size=30)
many_lines = st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=8))


@st.composite
def text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    lines = draw(st.one_of(few_lines, many_lines))
    edited = list(lines)
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(edited)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "move"]))
        line = draw(st.one_of(st.sampled_from(["a", "z", ""]), st.text(max_size=5)))
        line = line.replace("\n", "")
        if action == "insert" or at == len(edited):
            edited.insert(at, line)
        elif action == "delete":
            del edited[at]
        elif action == "replace":
            edited[at] = line
        else:
            edited.insert(draw(st.integers(0, len(edited))), edited.pop(at))
    ends = st.sampled_from(["\n", ""])
    live = "\n".join(lines) + (draw(ends) if lines else "")
    desired = "\n".join(edited) + (draw(ends) if edited else "")
    return live, desired


def apply(diff: list[str], live: str) -> str:
    """The text ``diff`` makes of ``live``: each hunk checked against what it says it replaces."""
    old = _diff_lines(live)
    result: list[str] = []
    taken, last_sign = 0, ""
    for line in diff[2:]:
        hunk = _HUNK.fullmatch(line)
        if hunk:
            start = int(hunk[1]) - (0 if hunk[2] == "0" else 1)
            result += old[taken:start]
            taken = start
        elif line == NO_NEWLINE:
            if last_sign in " +":
                result[-1] = result[-1].removesuffix("\n")
        else:
            sign, text = line[0], line[1:] + "\n"
            last_sign = sign
            if sign in " -":
                assert old[taken].split("\n")[0] + "\n" == text
                taken += 1
            if sign in " +":
                result.append(text)
    result += old[taken:]
    return "".join(part.replace("\n" + NO_NEWLINE + "\n", "") for part in result)


@FUZZ
@given(text_pairs())
def test_applying_the_diff_to_live_gives_desired(pair: tuple[str, str]) -> None:
    live, desired = pair
    diff = unified_diff(live, desired)
    assert (diff == []) == (live == desired)
    assert apply(diff, live) == desired


@FUZZ
@given(few_lines, few_lines)
def test_without_a_line_unique_to_both_sides_it_is_difflibs_diff(
    a_lines: list[str], b_lines: list[str]
) -> None:
    live, desired = "\n".join(a_lines * 2) + "\n", "\n".join(b_lines * 2) + "\n"
    expected = difflib.unified_diff(
        _diff_lines(live), _diff_lines(desired), fromfile="live", tofile="desired", lineterm=""
    )
    assert unified_diff(live, desired) == [line.rstrip("\n") for line in expected]
