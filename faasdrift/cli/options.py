"""Options several commands share, declared once so their names, defaults and help never drift.

`check`, `import` and `snapshot` all talk to Gcore; each takes the same connection options.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from faasdrift.live.credentials import BASE_URL_ENV, DEFAULT_BASE_URL

FC = TypeVar("FC", bound=Callable[..., Any])

KEY_HELP = (
    "\b\nThe API key is read from GCORE_API_KEY or --api-key-file, never from the command line."
)

CONNECTION_OPTION_NAMES: tuple[str, ...] = (
    "api_key_file",
    "base_url",
    "ca_bundle",
    "connect_timeout",
    "read_timeout",
    "concurrency",
    "max_retries",
    "max_retry_wait",
)

_CONNECTION_OPTIONS = (
    click.option(
        "--api-key-file",
        type=click.Path(path_type=Path),
        help="Read the Gcore API key from this file instead of GCORE_API_KEY.",
    ),
    click.option(
        "--base-url",
        envvar=BASE_URL_ENV,
        default=DEFAULT_BASE_URL,
        show_default=True,
        help=f"Gcore API base URL (also {BASE_URL_ENV}).",
    ),
    click.option(
        "--ca-bundle",
        type=click.Path(path_type=Path),
        help="Verify Gcore's TLS certificate with these CA certificates (a PEM file or a hashed "
        "folder), e.g. a company proxy's; SSL_CERT_FILE and SSL_CERT_DIR work too. Verification "
        "cannot be turned off.",
    ),
    click.option(
        "--connect-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=5.0,
        show_default=True,
        help="Seconds to wait for a connection.",
    ),
    click.option(
        "--read-timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=30.0,
        show_default=True,
        help="Seconds to wait for a response.",
    ),
    click.option(
        "--concurrency",
        type=click.IntRange(1, 64),
        default=8,
        show_default=True,
        help="Requests in flight at once.",
    ),
    click.option(
        "--max-retries",
        type=click.IntRange(min=0),
        default=3,
        show_default=True,
        help="Retries of a GET answered 408, 409, 429 or 5xx, or not answered at all.",
    ),
    click.option(
        "--max-retry-wait",
        type=click.FloatRange(min=0),
        default=60.0,
        show_default=True,
        help="Longest wait in seconds before one retry, the server's Retry-After included.",
    ),
)

fetch_option = click.option(
    "--fetch",
    "fetch_mode",
    type=click.Choice(["bulk", "per-function"]),
    default="bulk",
    show_default=True,
    help="bulk: list each namespace page by page; per-function: one GET per function.",
)

allow_outside_paths_option = click.option(
    "--allow-outside-paths",
    is_flag=True,
    help="Let code_file name files outside the desired file's folder (refused by default).",
)


def connection_options(command: FC) -> FC:
    """Add every option that says how to reach Gcore to ``command``."""
    for option in reversed(_CONNECTION_OPTIONS):
        command = option(command)
    return command
