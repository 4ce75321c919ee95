"""The client's transport helpers: TLS verification, and failed requests put into words.

With ``client``, the only modules that import httpx: its types and exceptions stop here.
"""

from __future__ import annotations

import os
import re
import ssl
import urllib.request
from collections.abc import Collection
from pathlib import Path
from typing import Any

import httpx

from faasdrift.errors import UsageError
from faasdrift.live.answers import one_line
from faasdrift.live.base_url import checked_base_url as base_url_rules
from faasdrift.live.base_url import invalid_base_url
from faasdrift.live.retry import unresolvable
from faasdrift.loopback import is_loopback
from faasdrift.secrets import redact

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


def describe_request_error(
    exc: httpx.HTTPError, *, host: str, timeout: httpx.Timeout, secrets: Collection[str] = ()
) -> str:
    """A short, single-line reason for a failed request, without httpx's type names.

    Redacted before it is shortened: a secret cut in half would no longer be recognised.
    """
    if isinstance(exc, httpx.TimeoutException):
        phase = next((name for kind, name in _TIMEOUT_PHASES if isinstance(exc, kind)), "read")
        seconds = getattr(timeout, phase)
        after = f" after {seconds:g} s" if seconds is not None else ""
        return f"timed out{after} ({phase})"
    detail = _detail(exc, secrets)
    template = next(
        (text for kind, text in _REQUEST_ERRORS if isinstance(exc, kind)),
        "request to {host} failed: {detail}",
    )
    if unresolvable(exc):  # not retried (live.retry): say what it is, in the resolver's words
        template = "cannot resolve {host}: {detail}"
    return one_line(redact(template.format(host=host, detail=detail), secrets))


def _detail(exc: BaseException, secrets: Collection[str]) -> str:
    """The first message along the cause chain: httpx's own is often empty (a reset mid-body
    surfaces as a bare ReadError wrapping ``ConnectionResetError``)."""
    chain = [exc]
    while len(chain) < 8 and (cause := chain[-1].__cause__ or chain[-1].__context__) is not None:
        chain.append(cause)  # chains are short; the bound only guards against a cycle
    texts = (_ERRNO_PREFIX.sub("", " ".join(redact(str(link), secrets).split())) for link in chain)
    return next((text for text in texts if text), type(exc).__name__)


def clear_text_proxy(url: httpx.URL) -> dict[str, Any]:
    """The proxy options of a client for ``url``: plain HTTP never goes through a remote proxy.

    Over ``https://`` the environment's proxies are used as httpx reads them (``HTTPS_PROXY``,
    ``ALL_PROXY``, ``NO_PROXY``): the key travels inside TLS, through a CONNECT tunnel. Over
    ``http://`` (a loopback host: nothing else is allowed) the key is in clear text, so a proxy
    from ``HTTP_PROXY`` or ``ALL_PROXY`` is used only if it is on this machine too; otherwise the
    request goes straight to the loopback host, where a proxy has no business anyway.
    """
    if url.scheme != "http":
        return {}
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get("http") or proxies.get("all")
    if not proxy or _bypassed(url.host, proxies.get("no", "")):
        return {"trust_env": False}
    try:
        proxy_host = httpx.URL(proxy if "://" in proxy else f"http://{proxy}").host
    except httpx.InvalidURL:
        proxy_host = ""
    return {"trust_env": False, **({"proxy": proxy} if is_loopback(proxy_host) else {})}


def tls_context(ca_bundle: Path | None, *, plain_http: bool = False) -> ssl.SSLContext:
    """Verifying TLS context: ``ca_bundle`` (a PEM file or a hashed folder) when given, else
    ``SSL_CERT_FILE``/``SSL_CERT_DIR`` from the environment, else certifi's roots (httpx's own
    choice). Verification is never turned off. A bundle that cannot be used is a ``UsageError``.

    ``plain_http``: the base URL is ``http://`` (a loopback host), so no TLS is ever spoken:
    without a ``ca_bundle`` to check, the context is one that verifies and trusts nothing,
    built in a millisecond instead of the ~50 ms of loading certifi's roots.
    """
    if plain_http and ca_bundle is None:
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, hostnames checked
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


def checked_base_url(base_url: str, secrets: Collection[str]) -> httpx.URL:
    """``base_url`` normalised and parsed; ``UsageError`` unless ``base_url`` allows it."""
    try:
        return httpx.URL(base_url_rules(base_url, secrets))
    except httpx.InvalidURL:  # a host urllib accepts and httpx does not
        raise invalid_base_url(base_url, secrets) from None


def _bypassed(host: str, no_proxy: str) -> bool:
    """Whether ``NO_PROXY`` names ``host`` (an entry, ``*``, or a domain it is under)."""
    host = host.lower().rstrip(".")
    for item in no_proxy.split(","):
        entry = item.strip().lower().lstrip(".")
        entry = entry.rsplit(":", 1)[0] if entry.count(":") == 1 else entry  # "host:port"
        if entry == "*" or (entry and (host == entry or host.endswith(f".{entry}"))):
            return True
    return False
