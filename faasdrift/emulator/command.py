"""``faasdrift emulator``: serve a state file as a fake Gcore FaaS API until SIGINT/SIGTERM.

The one stdout line ``faasdrift emulator listening on URL`` is the contract for scripts (they read
the port from it); everything else goes to stderr. Errors are raised as ``faasdrift.errors``
exceptions for the CLI's single error boundary to report.
"""

from __future__ import annotations

import gc
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import FrameType
from typing import Any

import click
from click.decorators import FC

from faasdrift.emulator.faults import MAX_LIMIT, Faults
from faasdrift.emulator.server import Emulator
from faasdrift.emulator.state import load_state
from faasdrift.errors import UsageError
from faasdrift.loopback import is_loopback
from faasdrift.secrets import GCORE_TOKEN
from faasdrift.text import counted

READY_PREFIX = "faasdrift emulator listening on "
API_KEY_ENV = "FAASDRIFT_EMULATOR_API_KEY"


def _token_shaped(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """A key faasdrift would refuse to send cannot be the only one the emulator accepts."""
    if value and GCORE_TOKEN.fullmatch(value) is None:
        raise click.BadParameter(
            "not a Gcore API key: its numeric id, '$' (or '_') and a secret of at least "
            "16 characters, e.g. '1234$key-for-the-emulator'"
        )
    return value


def _parse_failures(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, int]:
    failures: dict[str, int] = {}
    for value in values:
        # rpartition: the status never holds "=", a function name might.
        name, _, status = value.rpartition("=")
        if not name or not status.isdigit() or not 400 <= int(status) <= 599:
            raise click.BadParameter(f"{value!r}: expected NAME=STATUS with STATUS 400..599")
        failures[name] = int(status)
    return failures


def _names_option(flag: str, help_text: str) -> Callable[[FC], FC]:
    """A repeatable ``--flag NAME`` naming functions a fault applies to."""
    return click.option(flag, multiple=True, metavar="NAME", help=f"GET of NAME {help_text}")


@click.command("emulator")
@click.option(
    "--state", "state_path", required=True, metavar="FILE", help="State file (YAML or JSON)."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="0 picks a free port.",
)
@click.option(
    "--api-key",
    envvar=API_KEY_ENV,
    callback=_token_shaped,
    help=(
        "Accept only this key (else any key shaped like a Gcore token, ID$SECRET with a "
        f"secret of 16 characters or more). Env: {API_KEY_ENV}."
    ),
)
@click.option("--latency-ms", type=click.IntRange(min=0), default=0, help="Delay every answer.")
@click.option(
    "--rate-limit-first",
    type=click.IntRange(min=0),
    default=0,
    help="Answer 429 to the first N requests.",
)
@click.option(
    "--retry-after", type=click.IntRange(min=0), help="Retry-After seconds on those 429s."
)
@click.option(
    "--fail",
    multiple=True,
    metavar="NAME=STATUS",
    callback=_parse_failures,
    help="GET of NAME answers STATUS.",
)
@_names_option("--malformed", "answers 200 with cut-off JSON.")
@_names_option("--html", "answers 200 with an HTML page.")
@_names_option("--reset", "is reset halfway through the body.")
@_names_option("--hang", "answers only after --hang-seconds.")
@click.option(
    "--hang-seconds",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    help="How long a --hang function's answer is held back.",
)
@_names_option("--huge", "answers 200 with a body padded to 8 MiB.")
@click.option(
    "--list-count-extra",
    type=click.IntRange(min=0),
    default=0,
    help="Lists claim N more items than exist.",
)
@click.option(
    "--list-overlap", type=click.IntRange(min=0), default=0, help="Later pages repeat N items."
)
@click.option(
    "--default-limit",
    type=click.IntRange(1, MAX_LIMIT),
    default=MAX_LIMIT,
    show_default=True,
    help="Page size when a list request sends no limit.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every request to stderr.")
def emulator_command(
    state_path: str, host: str, port: int, api_key: str | None, verbose: bool, **options: Any
) -> None:
    """Serve STATE as a Gcore FaaS API emulator until interrupted (Ctrl-C or SIGTERM)."""
    gc.enable()  # a server runs for hours: unlike a check (cli/main.py), it needs the collector
    state = load_state(state_path)
    emulator = Emulator(
        state,
        api_key=api_key or None,
        faults=build_faults(options),
        host=host,
        port=port,
        verbose=verbose,
    )
    if not is_loopback(host):
        warning = (
            f"warning: {host} is not a loopback address: anyone who can reach it can read the state"
        )
        click.echo(warning, err=True)
    keys = "only the --api-key key" if api_key else "any key shaped like a Gcore API token"
    note = (
        f"serving {counted(len(state.namespaces), 'namespace')}, "
        f"{counted(state.function_count, 'function')}"
        f" from {state_path}; accepting {keys}; Ctrl-C to stop"
    )
    _serve_until_signal(emulator, note)


def _serve_until_signal(emulator: Emulator, note: str) -> None:
    """Start, announce the URL on stdout (the line scripts wait for), serve until a signal."""
    with _stop_on_signals() as stop:
        _start(emulator)
        try:
            click.echo(f"{READY_PREFIX}{emulator.url}")  # click.echo flushes: pipes see it now
            click.echo(note, err=True)
            stop.wait()
        finally:
            emulator.stop()


def build_faults(options: Mapping[str, Any]) -> Faults:
    """The ``Faults`` the fault options of ``emulator_command`` describe."""
    return Faults(
        latency=options["latency_ms"] / 1000,
        rate_limit_first=options["rate_limit_first"],
        retry_after=options["retry_after"],
        function_errors=options["fail"],
        malformed=frozenset(options["malformed"]),
        html=frozenset(options["html"]),
        reset=frozenset(options["reset"]),
        hang=frozenset(options["hang"]),
        hang_seconds=options["hang_seconds"],
        huge=frozenset(options["huge"]),
        list_count_extra=options["list_count_extra"],
        list_overlap=options["list_overlap"],
        default_limit=options["default_limit"],
    )


def _start(emulator: Emulator) -> None:
    try:
        emulator.start()
    except OSError as error:  # port in use, address not local, name not resolvable
        where = "{}:{}".format(*emulator.address)
        raise UsageError(f"cannot listen on {where}: {error.strerror or error}") from error


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM, so both end the emulator cleanly with exit 0.

    Installed before the server starts: a script that reads the ready line and signals at once
    must not hit the default handlers (a KeyboardInterrupt traceback, or death by SIGTERM).
    """
    stop = threading.Event()

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {
        number: signal.signal(number, handler) for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield stop
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
