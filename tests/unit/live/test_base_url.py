"""Base URLs: normalised where harmless, refused where they would make every answer a 404."""

from __future__ import annotations

import pytest

from faasdrift.errors import ExitCode, UsageError
from faasdrift.live.base_url import checked_base_url


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("https://api.gcore.com", "https://api.gcore.com"),
        ("https://api.gcore.com/", "https://api.gcore.com"),
        ("https://api.gcore.com//", "https://api.gcore.com"),
        (" https://api.gcore.com\n", "https://api.gcore.com"),  # pasted with a newline
        ("https://gw.example.com/gcore", "https://gw.example.com/gcore"),  # a proxy's prefix
        ("https://gw.example.com/gcore/", "https://gw.example.com/gcore"),
        ("https://gw.example.com/cloudy", "https://gw.example.com/cloudy"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
    ],
)
def test_what_is_kept(given: str, used: str) -> None:
    assert checked_base_url(given) == used


@pytest.mark.parametrize(
    ("given", "ends_in", "use"),
    [
        ("https://api.gcore.com/cloud", "/cloud", "https://api.gcore.com"),
        ("https://api.gcore.com/cloud/", "/cloud", "https://api.gcore.com"),
        ("https://api.gcore.com/Cloud/V1", "/cloud/v1", "https://api.gcore.com"),
        ("https://api.gcore.com/cloud/v1/faas", "/cloud/v1/faas", "https://api.gcore.com"),
        (
            "https://api.gcore.com/cloud/v1/faas/namespaces",
            "/cloud/v1/faas/namespaces",
            "https://api.gcore.com",
        ),
        ("https://gw.example.com/gcore/cloud", "/cloud", "https://gw.example.com/gcore"),
        ("http://localhost:9000/cloud", "/cloud", "http://localhost:9000"),
    ],
)
def test_a_path_holding_the_apis_own_is_refused_with_the_url_to_use(
    given: str, ends_in: str, use: str
) -> None:
    with pytest.raises(UsageError) as raised:
        checked_base_url(given)
    assert raised.value.exit_code is ExitCode.USAGE
    assert str(raised.value) == (
        f"invalid Gcore base URL {given!r}: it ends in {ends_in}, which faasdrift adds itself"
        f" (the Terraform provider's URL ends in /cloud, the Gcore SDKs' does not): use {use}"
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("api.gcore.com", "expected http(s)://host[/prefix]"),
        ("ftp://api.gcore.com", "expected http(s)://host[/prefix]"),
        ("https://", "expected http(s)://host[/prefix]"),
        ("", "expected http(s)://host[/prefix]"),
        ("https://api.gcore.com:99999", "expected http(s)://host[/prefix]"),
        ("http://[::1", "expected http(s)://host[/prefix]"),
        ("https://api.gcore.com?region=1", "a base URL has no query or fragment"),
        ("https://api.gcore.com/#top", "a base URL has no query or fragment"),
        ("https://api.gcore.com?", "a base URL has no query or fragment"),
    ],
)
def test_what_is_refused(given: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        checked_base_url(given)
    assert str(raised.value) == f"invalid Gcore base URL {given!r}: {message}"


def test_a_secret_in_the_url_is_never_shown() -> None:
    with pytest.raises(UsageError) as raised:
        checked_base_url("https://api.gcore.com/s3cr3t-part/cloud", ("s3cr3t-part",))
    assert "s3cr3t" not in str(raised.value)
    assert str(raised.value).endswith("use https://api.gcore.com/***")
