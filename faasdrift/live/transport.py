"""The client's transport helpers: TLS verification, and failed requests put into words.

With ``client``, the only modules that import httpx: its types and exceptions stop here.
"""

from __future__ import annotations

import os
import re
import ssl
from pathlib import Path

import httpx

from faasdrift.errors import UsageError
from faasdrift.live.answers import one_line

_ERRNO_PREFIX = re.compile(r"^\[Errno -?\d+\]\s*")

# (exception type, reason template) for transport failures other than timeouts; first match wins.
_REQUEST_ERRORS: tuple[tuple[type[httpx.HTTPError], str], ...] = (
    (httpx.ConnectError, "cannot connect to {host}: {detail}"),
    (httpx.NetworkError, "connection to {host} failed: {detail}"),
    (httpx.ProtocolError, "HTTP protocol error from {host}: {detail}"),
    (httpx.DecodingError, "invalid response: cannot decode the body: {detail}"),
)
_TIMEOUT_PHASES: tuple[tuple[type[httpx.TimeoutException], str], ...] = (
    (httpx.ConnectTimeout, "connect"),
    (httpx.WriteTimeout, "write"),
    (httpx.PoolTimeout, "pool"),
)


def describe_request_error(exc: httpx.HTTPError, *, host: str, timeout: httpx.Timeout) -> str:
    """A short, single-line reason for a failed request, without httpx's type names."""
    if isinstance(exc, httpx.TimeoutException):
        phase = next((name for kind, name in _TIMEOUT_PHASES if isinstance(exc, kind)), "read")
        seconds = getattr(timeout, phase)
        after = f" after {seconds:g} s" if seconds is not None else ""
        return f"timed out{after} ({phase})"
    detail = _detail(exc)
    for kind, template in _REQUEST_ERRORS:
        if isinstance(exc, kind):
            return one_line(template.format(host=host, detail=detail))
    return one_line(f"request to {host} failed: {detail}")


def _detail(exc: BaseException) -> str:
    """The first message along the cause chain: httpx's own is often empty (a reset mid-body
    surfaces as a bare ReadError wrapping ``ConnectionResetError``)."""
    chain = [exc]
    while len(chain) < 8 and (cause := chain[-1].__cause__ or chain[-1].__context__) is not None:
        chain.append(cause)  # chains are short; the bound only guards against a cycle
    texts = (_ERRNO_PREFIX.sub("", one_line(str(link))) for link in chain)
    return next((text for text in texts if text), type(exc).__name__)


def tls_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """Verifying TLS context: ``ca_bundle`` (a PEM file or a hashed folder) when given, else
    ``SSL_CERT_FILE``/``SSL_CERT_DIR`` from the environment, else certifi's roots (httpx's own
    choice). Verification is never turned off. A bundle that cannot be used is a ``UsageError``."""
    source = f"--ca-bundle {ca_bundle}" if ca_bundle is not None else _env_bundle()
    try:
        if ca_bundle is None:
            return httpx.create_ssl_context()  # reads SSL_CERT_FILE / SSL_CERT_DIR itself
        if ca_bundle.is_dir():
            return ssl.create_default_context(capath=ca_bundle)
        return ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ssl.SSLError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not PEM"
        raise UsageError(f"cannot use the CA bundle {source}: {one_line(reason)}") from None


def _env_bundle() -> str:
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        if os.environ.get(name):
            return f"{name}={os.environ[name]}"
    return "certifi"
