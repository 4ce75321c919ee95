"""Transport rules against real sockets: TLS always verified, --ca-bundle, plain HTTP refused
beyond loopback, proxies from the environment, and the request log of -vv."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme

from faasdrift.emulator import Faults
from tests.acceptance.conftest import (
    API_KEY,
    EmulatorFactory,
    function,
    live_env,
    namespace,
    run_faasdrift,
)

DESIRED = {
    "defaults": {"project_id": 1, "region_id": 1, "namespace": "prod-api"},
    "functions": [{"name": "hello", "timeout": 5}],
}


class _EmptyList(BaseHTTPRequestHandler):
    """Every namespace is empty: a checked function is "missing" (exit 1)."""

    def do_GET(self) -> None:
        body = json.dumps({"count": 0, "results": []}).encode()
        self.send_response(200 if "/functions" in self.path else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS server with a certificate of a throwaway CA; yields its URL and the CA's PEM."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmptyList)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    ca_file = tmp_path / "company-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    yield f"https://127.0.0.1:{server.server_address[1]}", ca_file
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def desired(write_yaml: Callable[[str, Any], Path]) -> Path:
    return write_yaml("desired.yaml", DESIRED)


def https_env(url: str, **extra: str) -> dict[str, str]:
    base = {"GCORE_API_KEY": API_KEY, "GCORE_BASE_URL": url, "NO_PROXY": "", "no_proxy": ""}
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        base[name] = ""
    return {**base, **extra}


def test_an_unknown_certificate_is_refused(desired: Path, tls_server: tuple[str, Path]) -> None:
    url, _ = tls_server
    run = run_faasdrift("check", desired, env=https_env(url))
    assert run.code == 3
    assert "not checked" in run.stdout
    assert "certificate verify failed" in run.stdout


def test_ca_bundle_trusts_a_company_ca(desired: Path, tls_server: tuple[str, Path]) -> None:
    url, ca_file = tls_server
    run = run_faasdrift("check", desired, "--ca-bundle", ca_file, env=https_env(url))
    assert (run.code, run.stderr) == (1, "")
    assert "prod-api/hello  (project 1, region 1)  missing" in run.stdout


def test_ssl_cert_file_trusts_a_company_ca(desired: Path, tls_server: tuple[str, Path]) -> None:
    url, ca_file = tls_server
    run = run_faasdrift("check", desired, env=https_env(url, SSL_CERT_FILE=str(ca_file)))
    assert run.code == 1
    assert "missing" in run.stdout


@pytest.mark.parametrize(
    ("bundle", "reason"),
    [("absent.pem", "No such file or directory"), ("desired.yaml", "NO_CERTIFICATE_OR_CRL_FOUND")],
)
def test_an_unusable_ca_bundle_is_a_usage_error(
    desired: Path, tls_server: tuple[str, Path], bundle: str, reason: str
) -> None:
    url, _ = tls_server
    path = desired.parent / bundle
    run = run_faasdrift("check", desired, "--ca-bundle", path, env=https_env(url))
    assert run.code == 2
    assert run.stderr.startswith(f"faasdrift: error: cannot use the CA bundle --ca-bundle {path}: ")
    assert reason in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("url", ["http://api.gcore.com", "http://gcore.invalid:8080/prefix"])
def test_plain_http_is_refused_beyond_loopback(desired: Path, url: str) -> None:
    run = run_faasdrift("check", desired, env={"GCORE_API_KEY": API_KEY, "GCORE_BASE_URL": url})
    assert run.code == 2
    assert "refusing to send the API key over plain HTTP" in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_plain_http_works_on_loopback(
    desired: Path, start_emulator: EmulatorFactory, host: str
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello")))
    url = f"http://{host}:{emulator.port}"
    run = run_faasdrift("check", desired, env={"GCORE_API_KEY": API_KEY, "GCORE_BASE_URL": url})
    assert run.code == 0, run.output


def test_the_proxy_from_the_environment_is_used(
    desired: Path, tls_server: tuple[str, Path], unused_port: int
) -> None:
    url, ca_file = tls_server
    proxy = f"http://127.0.0.1:{unused_port}"
    env = https_env(url, HTTPS_PROXY=proxy, https_proxy=proxy)
    run = run_faasdrift("check", desired, "--ca-bundle", ca_file, "--max-retries", "0", env=env)
    # The proxy is down: had it been bypassed, the server above would have answered.
    assert run.code == 3
    assert "not checked: could not list namespace prod-api: cannot connect to" in run.stdout
    assert "acceptance-secret-key" not in run.output


def test_vv_logs_method_url_status_and_time_but_no_header(
    desired: Path, start_emulator: EmulatorFactory
) -> None:
    emulator = start_emulator(namespace("prod-api", function("hello", timeout=10)))
    run = run_faasdrift("check", desired, "-vv", env=live_env(emulator))
    assert run.code == 1
    logged = [line for line in run.stderr.splitlines() if line.startswith("faasdrift: debug: ")]
    assert len(logged) == 1, run.stderr
    listing = f"GET {emulator.url}/cloud/v1/faas/namespaces/1/1/prod-api/functions"
    query = "limit=1000&offset=0&order_by=name.asc"
    assert logged[0].startswith(f"faasdrift: debug: {listing}?{query} -> 200 ")
    assert logged[0].endswith(" ms")
    assert "APIKey" not in run.stderr
    assert "acceptance-secret-key" not in run.output


def test_debug_logs_each_retry_decision(desired: Path, start_emulator: EmulatorFactory) -> None:
    emulator = start_emulator(
        namespace("prod-api", function("hello")), faults=Faults(rate_limit_first=2, retry_after=0)
    )
    run = run_faasdrift("check", desired, "--debug", env=live_env(emulator))
    assert run.code == 0, run.output
    retries = [line for line in run.stderr.splitlines() if " retry " in line]
    assert retries == [
        "faasdrift: debug: retry 1 of 3 in 0.00 s (HTTP 429)",
        "faasdrift: debug: retry 2 of 3 in 0.00 s (HTTP 429)",
    ]
    assert run.stderr.count(" -> 429 ") == 2
