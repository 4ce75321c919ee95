"""Where the Gcore connection settings come from.

The API key: GCORE_API_KEY or --api-key-file, never the YAML file or argv.

A key on the command line would end up in shell history and process listings, so there is no
option for it. Messages here name the source of a bad key but never show any of its characters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from faasdrift.errors import MissingApiKeyError, UsageError
from faasdrift.secrets import GCORE_TOKEN, MIN_TOKEN_SECRET_LENGTH

API_KEY_ENV = "GCORE_API_KEY"
BASE_URL_ENV = "GCORE_BASE_URL"
DEFAULT_BASE_URL = "https://api.gcore.com"
# Printable ASCII without spaces: anything else cannot travel in an HTTP header unchanged.
_ALLOWED = frozenset(chr(code) for code in range(0x21, 0x7F))
# Visible ASCII only: anything else cannot go in a header, and h11's error would echo the value.
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")


def resolve_api_key(*, environ: Mapping[str, str], key_file: Path | None) -> str:
    """The API key from ``key_file`` if given, else from ``GCORE_API_KEY``."""
    if key_file is not None:
        return _checked(_read_key_file(key_file), f"API key file {key_file}")
    key = environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise MissingApiKeyError(
            f"no API key: set {API_KEY_ENV} (or pass --api-key-file PATH) to check live functions"
        )
    return _checked(key, API_KEY_ENV)


def _read_key_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"API key file {path} does not exist") from None
    except IsADirectoryError:
        raise UsageError(f"API key file {path} is a directory") from None
    except (OSError, UnicodeDecodeError) as error:
        # The exception text of a decode error quotes bytes of the file: keep it out.
        raise UsageError(f"cannot read API key file {path}: {type(error).__name__}") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise UsageError(f"API key file {path} is empty")
    if len(lines) > 1:
        raise UsageError(f"API key file {path} holds more than one line; put only the key in it")
    return lines[0]


# The scheme of the Authorization header, which a key copied from a curl line brings along.
_SCHEME_PREFIX = re.compile(r"(?i)(apikey|bearer)\s")
TOKEN_SHAPE_HELP = (
    "a Gcore permanent API token is its numeric id, '$' (or '_') and a secret of at least "
    f"{MIN_TOKEN_SECRET_LENGTH} characters, as the Gcore Customer Portal shows it once, when the "
    "token is created"
)


def _checked(key: str, source: str) -> str:
    """``key`` if it can be a Gcore permanent API token; else a usage error that names what is
    wrong with it and never any of its characters."""
    if _SCHEME_PREFIX.match(key):
        raise UsageError(
            f"{source} starts with an 'APIKey ' or 'Bearer ' prefix: give the token alone; "
            "faasdrift adds the 'APIKey ' prefix to each request itself"
        )
    if not set(key) <= _ALLOWED:
        raise UsageError(
            f"{source} holds characters an API key cannot contain (spaces or controls)"
        )
    if GCORE_TOKEN.fullmatch(key) is None:
        raise UsageError(f"{source} is not a Gcore API key: {TOKEN_SHAPE_HELP}")
    return key


def checked_header_key(api_key: str) -> str:
    """``api_key`` stripped; raises unless it can travel in a header unchanged."""
    key = api_key.strip()  # a key read from a file usually ends with a newline
    if not key:
        raise MissingApiKeyError("the Gcore API key is empty")
    if _HEADER_SAFE.fullmatch(key) is None:
        raise UsageError("the Gcore API key contains spaces or characters not allowed in a header")
    return key
