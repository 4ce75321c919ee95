"""How to reach Gcore: the connection settings every command shares, and the client they build.

``check``, ``import`` and ``snapshot`` all read the live API with the same options; the CLI builds
one ``ConnectionSettings`` from them and each workflow turns it into a client here, after the API
key is known and protected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from faasdrift.live.client import GcoreClient
from faasdrift.live.concurrency import DEFAULT_CONCURRENCY, Deadline
from faasdrift.live.credentials import DEFAULT_BASE_URL, resolve_api_key
from faasdrift.live.retry import RetryPolicy
from faasdrift.secrets import Secrets

DEFAULT_DEADLINE = 600.0  # seconds: ten minutes, then what is not checked is reported so


@dataclass(frozen=True)
class ConnectionSettings:
    """Where the API is, where the key comes from, and how patient and parallel to be."""

    base_url: str = DEFAULT_BASE_URL
    api_key_file: Path | None = None  # None: the key is read from GCORE_API_KEY
    ca_bundle: Path | None = None  # CA certificates to verify Gcore's TLS with (a proxy's own CA)
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    concurrency: int = DEFAULT_CONCURRENCY  # requests in flight at once
    max_retries: int = 3
    max_retry_wait: float = 60.0  # seconds, the longest wait before one retry
    deadline: float = DEFAULT_DEADLINE  # seconds the whole run may take

    def start_deadline(self) -> Deadline:
        """The run's deadline, counted from now (a workflow calls it first thing)."""
        return Deadline.start(self.deadline)


def build_client(
    settings: ConnectionSettings, environ: Mapping[str, str], secrets: Secrets
) -> GcoreClient:
    """The Gcore client the settings describe; ``secrets`` learns the API key first, so that
    nothing, not even an error about the key, can print it, and the client redacts server text
    of every secret the run knows."""
    api_key = resolve_api_key(environ=environ, key_file=settings.api_key_file)
    secrets.add_api_key(api_key)
    return GcoreClient(
        base_url=settings.base_url,
        api_key=api_key,
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        concurrency=settings.concurrency,
        retry=RetryPolicy(max_retries=settings.max_retries, max_wait=settings.max_retry_wait),
        ca_bundle=settings.ca_bundle,
        secrets=secrets,
    )
