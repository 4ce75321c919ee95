"""Which values faasdrift must never print: sensitive env vars and the API key.

Env values are still compared (a rotated secret is drift); the drift engine only flags changes
whose env name looks sensitive, and reporters hide the values of flagged changes. The name test is a
heuristic, so callers can add names explicitly (a later per-function ``sensitive:`` list).
"""

from __future__ import annotations

import re
from collections.abc import Collection

SENSITIVE_ENV_PATTERN = re.compile(
    r"(?i)(secret|token|password|passwd|pwd|api_?key|private|credential|auth)"
)

# Text put where a secret was; short so a redacted message still reads as one line.
REDACTED = "***"

# A fragment shorter than this is too likely to be ordinary text to replace everywhere.
MIN_SECRET_LENGTH = 4
_MIN_FRAGMENT = MIN_SECRET_LENGTH


def is_sensitive_env(name: str, extra_names: Collection[str] = ()) -> bool:
    """Whether the env var ``name`` holds a secret, by its name or because it is listed."""
    return name in extra_names or SENSITIVE_ENV_PATTERN.search(name) is not None


# Gcore shows a permanent token as <id>$<secret> and, lately, as <id>_<secret> (29841_c767...).
_TOKEN = re.compile(r"(?P<id>[^$_]*)[$_](?P<secret>.+)", re.DOTALL)


def api_key_fragments(api_key: str) -> tuple[str, ...]:
    """The parts of a Gcore key worth redacting: the whole key and the secret after its id.

    Keys look like ``<digits>$<secret>`` or ``<digits>_<secret>``; a server message may echo the
    secret alone, while the numeric id is not secret (Gcore itself prints it: "Bad permanent
    token: <id>"), so wherever the id could be shown, only the id is.
    """
    fragments = [api_key]
    token = _TOKEN.fullmatch(api_key)
    if token is not None and len(token["secret"]) >= _MIN_FRAGMENT:
        fragments.append(token["secret"])
    return tuple(fragment for fragment in fragments if fragment)


def redact(text: str, fragments: Collection[str]) -> str:
    """``text`` with every occurrence of a secret fragment replaced, longest first."""
    for fragment in sorted(fragments, key=len, reverse=True):
        text = text.replace(fragment, REDACTED)
    return text
