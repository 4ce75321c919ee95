"""Read the ``ignore`` rules of a desired file (``judge.ignores`` applies them).

A rule is written at the top of a desired file (it applies to every function of that file) or in
one function entry::

    ignore:
      - path: envs.BUILD_ID        # dotted path; `*` matches within one segment (envs.*_AT)
        reason: set by the deploy pipeline
        until: 2027-01-31          # optional: the last day the rule holds

A path must start with a compared field (a typo would silently ignore nothing), and ``until`` must
be a date. The schema has reported wrong types already; entries it refused are skipped quietly.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime
from fnmatch import fnmatchcase
from typing import Any

from faasdrift.desired.yaml_reader import YamlDocument, YamlPath, format_path
from faasdrift.model import COMPARED_FIELDS, IgnoreRule, Problem


def read_rules(
    document: YamlDocument, at: YamlPath, *, source: str
) -> tuple[tuple[IgnoreRule, ...], list[Problem]]:
    """The rules of the ``ignore`` list at ``at``, and what is wrong with them.

    The schema has reported wrong types already; entries it refused are skipped quietly.
    """
    entries = _get(document.data, at)
    rules: list[IgnoreRule] = []
    problems: list[Problem] = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        where: YamlPath = (*at, index)
        path, reason = _dict(entry).get("path"), _dict(entry).get("reason")
        if not isinstance(path, str) or not isinstance(reason, str):
            continue
        until, wrong_until = _until(_dict(entry).get("until"))
        wrong = [("until", wrong_until), ("path", _path_problem(path))]
        for key, message in ((key, message) for key, message in wrong if message):
            position = document.value_position((*where, key))
            problems.append(Problem(source, position, format_path((*where, key)), message))
        if any(message for _, message in wrong):
            continue
        position = document.value_position(where)
        rules.append(IgnoreRule(path, reason, source, position, until))
    return tuple(rules), problems


def _get(data: Any, at: YamlPath) -> Any:
    for key in at:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _until(value: Any) -> tuple[date | None, str | None]:
    """``until`` as a date; YAML reads ``2027-01-31`` as a date, a quoted one is a string."""
    if value is None:
        return None, None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value, None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value), None
        except ValueError:
            pass
    return None, "expected a date written YYYY-MM-DD, e.g. 2027-01-31"


def _path_problem(pattern: str) -> str | None:
    segments = pattern.split(".")
    if not all(segments):
        return f"{pattern!r} has an empty segment; write a dotted path such as envs.BUILD_ID"
    if not any(fnmatchcase(field, segments[0]) for field in COMPARED_FIELDS):
        close = difflib.get_close_matches(segments[0], COMPARED_FIELDS, n=1)
        if close:  # as an unknown key gets: the fix, not the whole list
            return f"{segments[0]!r} names no compared field (did you mean {close[0]!r}?)"
        fields = ", ".join(COMPARED_FIELDS)
        return f"{segments[0]!r} names no compared field; a path starts with one of {fields}"
    return None
