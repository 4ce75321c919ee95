"""Which base URLs faasdrift sends the API key to, and in what form.

The base URL is where the API lives, ``https://api.gcore.com`` (``GCORE_BASE_URL``, as the Gcore
SDKs spell it); faasdrift adds ``/cloud/v1/faas/...`` itself. Decided here, in one place:

- trailing slashes are dropped (``https://api.gcore.com/`` is the same URL);
- a path that already holds the start of the API's own (``.../cloud``, as the Gcore Terraform
  provider's setting ends, or ``.../cloud/v1``) is refused, with the URL to use instead: it would
  send every request to ``/cloud/cloud/v1/...``, where every answer is a 404;
- any other path is a prefix kept in front of the API's (a gateway or proxy serving it there);
- a query, a fragment, or a scheme other than ``https`` (``http`` only to a loopback host, so the
  key never travels in clear text) is refused.

Every message shows the URL without any ``user:password@`` and with the run's secrets redacted:
a pasted URL may hold anything.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit, urlunsplit

from faasdrift.errors import UsageError
from faasdrift.loopback import is_loopback
from faasdrift.secrets import redact

API_PATH = ("cloud", "v1", "faas", "namespaces")  # what faasdrift puts after the base URL
_USERINFO = re.compile(r"//[^/@]*@")


def checked_base_url(base_url: str, secrets: Collection[str] = ()) -> str:
    """``base_url`` normalised, or ``UsageError`` saying why faasdrift will not use it."""
    shown = _shown(base_url, secrets)
    invalid = invalid_base_url(base_url, secrets)
    try:
        parts = urlsplit(base_url.strip())
        host, _ = parts.hostname, parts.port  # .port raises on a port that is not a number
    except ValueError:
        raise invalid from None
    if parts.scheme not in ("http", "https") or not host:
        raise invalid
    if parts.scheme == "http" and not is_loopback(host):
        # The key travels in a header: in clear text, anyone on the path could read it.
        raise UsageError(
            f"refusing to send the API key over plain HTTP to {host!r} ({shown}): use "
            "https:// (http:// is allowed only for a loopback host, such as the emulator)"
        )
    if parts.query or parts.fragment or base_url.rstrip().endswith(("?", "#")):
        raise UsageError(f"invalid Gcore base URL {shown!r}: a base URL has no query or fragment")
    path = parts.path.rstrip("/")
    segments = [segment.lower() for segment in path.split("/")[1:]]
    for length in range(len(API_PATH), 0, -1):
        if segments[-length:] == list(API_PATH[:length]):
            kept = "/".join(path.split("/")[: -length or None])
            use = _shown(urlunsplit((parts.scheme, parts.netloc, kept, "", "")), secrets)
            raise UsageError(
                f"invalid Gcore base URL {shown!r}: it ends in /{'/'.join(API_PATH[:length])},"
                f" which faasdrift adds itself (the Terraform provider's URL ends in /cloud,"
                f" the Gcore SDKs' does not): use {use}"
            )
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def api_identity(base_url: str) -> str:
    """The API a base URL names, as reports record it: normalised like the requests' (host in
    lower case), without any ``user:password@``; a URL faasdrift would refuse is kept as given."""
    try:
        url = checked_base_url(base_url)
    except UsageError:
        url = base_url.strip()
    parts = urlsplit(_USERINFO.sub("//", url))
    return urlunsplit(parts._replace(netloc=parts.netloc.lower()))


def invalid_base_url(base_url: str, secrets: Collection[str] = ()) -> UsageError:
    shown = _shown(base_url, secrets)
    return UsageError(f"invalid Gcore base URL {shown!r}: expected http(s)://host[/prefix]")


def _shown(url: str, secrets: Collection[str]) -> str:
    """``url`` as a message may show it: no ``user:password@``, no secret."""
    return redact(_USERINFO.sub("//", url), secrets)
