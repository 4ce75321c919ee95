"""Options as declarative tables: each option declared once, grouped into the settings it feeds.

``options(*table, connection=build_connection)`` adds the table's options to a command in order;
the values of every option tagged ``group="connection"`` reach the command as one argument,
``connection``, built by the builder named for that group. Commands then take a few settings
values instead of a long list of loose ones, and options that several commands share
(``CONNECTION_OPTIONS``) cannot drift apart in name, default or help.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from faasdrift.live.concurrency import DEFAULT_CONCURRENCY
from faasdrift.live.connection import DEFAULT_DEADLINE, ConnectionSettings
from faasdrift.live.credentials import BASE_URL_ENV, DEFAULT_BASE_URL

FC = TypeVar("FC", bound=Callable[..., Any])


@dataclass(frozen=True)
class Opt:
    """One ``click.option``: its declarations, its attributes, and the group it belongs to."""

    decls: tuple[str, ...]
    attrs: Mapping[str, Any] = field(default_factory=dict)
    group: str | None = None  # None: the command gets the value as a keyword of its own

    @property
    def name(self) -> str:
        """The keyword click passes the value as (``--base-url`` -> ``base_url``)."""
        return str(click.Option(list(self.decls), **self.attrs).name)


def opt(*decls: str, group: str | None = None, **attrs: Any) -> Opt:
    return Opt(decls, attrs, group)


def options(*table: Opt, **builders: Callable[..., Any]) -> Callable[[FC], FC]:
    """A decorator adding ``table``'s options, in order, with each group built into one value."""
    groups = {name: [o.name for o in table if o.group == name] for name in builders}

    def decorate(command: FC) -> FC:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for group, names in groups.items():
                kwargs[group] = builders[group](**{name: kwargs.pop(name) for name in names})
            return command(*args, **kwargs)

        decorated: Callable[..., Any] = wrapper
        for option in reversed(table):  # click lists options in the order they are applied
            decorated = click.option(*option.decls, **option.attrs)(decorated)
        return cast(FC, decorated)

    return decorate


def build_connection(
    *,
    api_key_file: Path | None,
    base_url: str,
    ca_bundle: Path | None,
    connect_timeout: float,
    read_timeout: float,
    concurrency: int,
    max_retries: int,
    max_retry_wait: float,
    deadline: float,
) -> ConnectionSettings:
    return ConnectionSettings(
        base_url=base_url,
        api_key_file=api_key_file,
        ca_bundle=ca_bundle,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        concurrency=concurrency,
        max_retries=max_retries,
        max_retry_wait=max_retry_wait,
        deadline=deadline,
    )


CONNECTION_OPTIONS = (
    opt(
        "--api-key-file",
        group="connection",
        type=click.Path(path_type=Path),
        help="Read the Gcore API key from this file instead of GCORE_API_KEY.",
    ),
    opt(
        "--base-url",
        group="connection",
        envvar=BASE_URL_ENV,
        default=DEFAULT_BASE_URL,
        show_default=True,
        help=f"Gcore API base URL (also {BASE_URL_ENV}).",
    ),
    opt(
        "--ca-bundle",
        group="connection",
        type=click.Path(path_type=Path),
        help="Verify Gcore's TLS certificate with these CA certificates (a PEM file or a hashed "
        "folder), e.g. a company proxy's; SSL_CERT_FILE and SSL_CERT_DIR work too. Verification "
        "cannot be turned off.",
    ),
    opt(
        "--connect-timeout",
        group="connection",
        type=click.FloatRange(min=0, min_open=True),
        default=5.0,
        show_default=True,
        help="Seconds to wait for a connection.",
    ),
    opt(
        "--read-timeout",
        group="connection",
        type=click.FloatRange(min=0, min_open=True),
        default=30.0,
        show_default=True,
        help="Seconds to wait for a response: for each read, and (with --connect-timeout) for "
        "the whole answer, however slowly it arrives.",
    ),
    opt(
        "--concurrency",
        group="connection",
        type=click.IntRange(1, 64),
        default=DEFAULT_CONCURRENCY,
        show_default=True,
        help="Requests in flight at once.",
    ),
    opt(
        "--max-retries",
        group="connection",
        type=click.IntRange(min=0),
        default=3,
        show_default=True,
        help="Retries of a GET answered 408, 409, 429 or 5xx, or not answered at all.",
    ),
    opt(
        "--max-retry-wait",
        group="connection",
        type=click.FloatRange(min=0),
        default=60.0,
        show_default=True,
        help="Longest wait in seconds before one retry, the server's Retry-After included.",
    ),
    opt(
        "--deadline",
        group="connection",
        type=click.FloatRange(min=0, min_open=True),
        default=DEFAULT_DEADLINE,
        show_default=True,
        help="Seconds the whole run may take; what is not checked by then is reported as not "
        "checked (exit 3).",
    ),
)

FETCH_OPTION = opt(
    "--fetch",
    "fetch_mode",
    type=click.Choice(["bulk", "per-function"]),
    default="bulk",
    show_default=True,
    help="bulk: list each namespace page by page; per-function: one GET per function.",
)

ALLOW_OUTSIDE_PATHS_OPTION = opt(
    "--allow-outside-paths",
    is_flag=True,
    help="Let code_file name files outside the desired file's folder (refused by default).",
)

FORCE_OPTION = opt("--force", is_flag=True, help="Overwrite files that exist.")


def parsed_by(parse: Callable[[str], Any], hint: str) -> Callable[..., Any]:
    """A click callback giving each value to ``parse``; its ``ValueError`` is a usage error."""

    def callback(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        try:
            if isinstance(value, tuple):
                return tuple(parse(item) for item in value)
            return parse(value)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint=f"'{hint}'") from None

    return callback
