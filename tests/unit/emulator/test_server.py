"""The emulator over real sockets: endpoints, paging, errors, auth, faults, request log."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from faasdrift.emulator import Emulator, Faults, parse_state
from faasdrift.emulator.faults import BodyFault

KEY = "4242$very-secret-part"
AUTH = {"Authorization": f"APIKey {KEY}"}
BASE = "/cloud/v1/faas/namespaces"
ODD_NAME = "odd-name-9"
ENCODED = "".join(f"%{ord(char):02X}" for char in ODD_NAME)  # every character percent-encoded
ORDERS = "name.asc, name.desc, created_at.asc, created_at.desc"
NAMES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"]


def function(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "code_text": f"def main():\n    return {name!r}\n",
        "timeout": 5,
        **fields,
    }


def namespace(name: str, *functions: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"project_id": 1, "region_id": 1, "name": name, **fields, "functions": list(functions)}


STATE = parse_state(
    {
        "namespaces": [
            namespace("prod", *map(function, NAMES), description="P", envs={"A": "1"}),
            namespace(
                "media", function("resize", code_text="x\r\n→ ünïcode\n"), function(ODD_NAME)
            ),
            namespace("other", project_id=2, region_id=7),
        ]
    }
)

Start = Callable[..., Emulator]


@pytest.fixture
def start() -> Iterator[Start]:
    started: list[Emulator] = []

    def start(*, api_key: str | None = KEY, **faults: Any) -> Emulator:
        emulator = Emulator(STATE, api_key=api_key, faults=Faults(**faults)).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def emulator(start: Start) -> Emulator:
    return start()


@pytest.fixture
def client(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.url, headers=AUTH, timeout=5) as client:
        yield client


def get(client: httpx.Client, path: str, **params: Any) -> httpx.Response:
    return client.get(BASE + path, params=params)


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["results"]]


def assert_gcore_error(
    response: httpx.Response, status: int, exception_class: str
) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == {"exception_class", "message", "request_id"}
    assert body["exception_class"] == exception_class
    assert body["request_id"] == response.headers["x-request-id"]
    return body


# --- endpoints ----------------------------------------------------------------------------------


def test_url_uses_the_bound_port(emulator: Emulator) -> None:
    assert emulator.url == f"http://127.0.0.1:{emulator.port}"
    assert emulator.port > 0


def test_list_namespaces(client: httpx.Client) -> None:
    response = get(client, "/1/1")

    assert response.json()["count"] == 2
    assert names(response) == ["media", "prod"]
    assert response.json()["results"][1] == {"name": "prod", "description": "P", "envs": {"A": "1"}}
    assert names(get(client, "/2/7")) == ["other"]
    assert get(client, "/9/9").json() == {"count": 0, "results": []}


def test_get_namespace(client: httpx.Client) -> None:
    assert get(client, "/1/1/media").json() == {"name": "media", "description": "", "envs": {}}


def test_list_functions(client: httpx.Client) -> None:
    response = get(client, "/1/1/prod/functions")

    assert response.json()["count"] == len(NAMES)
    assert names(response) == NAMES[::-1]  # newest first: the vendor's default order
    assert response.json()["results"][0] == dict(STATE.namespaces[0].functions["eta"].data)


def test_get_function_is_byte_exact(client: httpx.Client) -> None:
    response = get(client, "/1/1/media/functions/resize")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.json()["code_text"] == "x\r\n→ ünïcode\n"
    assert response.json()["status"] == "Running"


def test_path_segments_are_url_decoded(client: httpx.Client, emulator: Emulator) -> None:
    response = get(client, f"/1/1/media/functions/{ENCODED}")

    assert response.json()["name"] == ODD_NAME
    assert emulator.requests[-1].path == f"{BASE}/1/1/media/functions/{ENCODED}"
    assert emulator.requests[-1].decoded_path == f"{BASE}/1/1/media/functions/{ODD_NAME}"
    # An encoded "/" stays inside its segment: a name, not two.
    slashed = get(client, f"/1/1/media/functions/{quote('odd/name', safe='')}")
    assert_gcore_error(slashed, 404, "NotFoundError")


def test_unknown_namespace_and_function_are_404(client: httpx.Client) -> None:
    body = assert_gcore_error(get(client, "/1/1/nope"), 404, "NotFoundError")
    assert body["message"] == "Namespace 'nope' not found."
    assert_gcore_error(get(client, "/1/1/nope/functions"), 404, "NotFoundError")
    body = assert_gcore_error(get(client, "/1/1/prod/functions/nope"), 404, "NotFoundError")
    assert body["message"] == "Function 'nope' not found in namespace 'prod'."
    assert_gcore_error(get(client, "/1/1/media/functions/alpha"), 404, "NotFoundError")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cloud/v1/faas",
        f"{BASE}/1",
        f"{BASE}/1/1/",
        f"{BASE}/1/1/prod/",
        f"{BASE}/1/1/prod/fns",
        f"{BASE}/1/1/prod/functions/",
        f"{BASE}/1/1/prod/functions/alpha/x",
        f"{BASE}//1/prod",
    ],
)
def test_unknown_paths_are_404_route_errors_not_not_found(client: httpx.Client, path: str) -> None:
    # Nothing is missing there: the path names nothing, as for a wrong base URL.
    body = assert_gcore_error(client.get(path), 404, "HTTPError")
    assert body["message"].startswith("No route for ")


def test_a_base_url_ending_in_cloud_meets_route_errors(client: httpx.Client) -> None:
    response = client.get(f"/cloud{BASE}/1/1/prod/functions/alpha")
    assert_gcore_error(response, 404, "HTTPError")


def test_route_errors_can_be_a_gateways_html_page(start: Start) -> None:
    with httpx.Client(base_url=start(route_404_html=True).url, headers=AUTH) as client:
        page = client.get(f"/cloud{BASE}/1/1/prod/functions/alpha")
        missing = get(client, "/1/1/prod/functions/nope")  # a real NotFoundError stays one
    assert page.status_code == 404
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text.startswith("<!DOCTYPE html>")
    assert_gcore_error(missing, 404, "NotFoundError")


def test_a_forbidden_namespace_answers_403_for_everything_in_it(start: Start) -> None:
    with httpx.Client(base_url=start(forbidden_namespaces={"media"}).url, headers=AUTH) as client:
        answers = [
            get(client, "/1/1/media"),
            get(client, "/1/1/media/functions"),
            get(client, "/1/1/media/functions/resize"),
        ]
        other = get(client, "/1/1/prod/functions/alpha")
        listed = names(get(client, "/1/1", order_by="name.asc"))
    for response in answers:
        body = assert_gcore_error(response, 403, "ForbiddenError")
        assert body["message"] == "You do not have access to namespace 'media'."
    assert other.status_code == 200
    assert listed == ["media", "prod"]  # the namespace list itself is not refused


def test_error_bodies_can_have_detail_only(start: Start) -> None:
    emulator = start(error_detail_only=True)
    response = httpx.get(f"{emulator.url}{BASE}/1/1", headers={"Authorization": "APIKey 1$bad"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Bad permanent token: 1"}


def test_a_list_can_repeat_a_function_equal_or_changed(start: Start) -> None:
    repeats = {"prod/beta": {}, "gamma": {"timeout": 99}}
    with httpx.Client(base_url=start(list_repeats=repeats).url, headers=AUTH) as client:
        page = get(client, "/1/1/prod/functions", order_by="name.asc").json()
    listed = [(item["name"], item["timeout"]) for item in page["results"]]
    assert listed[:3] == [("alpha", 5), ("beta", 5), ("beta", 5)]
    assert [timeout for name, timeout in listed if name == "gamma"] == [5, 99]
    assert page["results"][1] == page["results"][2]
    assert page["count"] == len(NAMES)  # it counts functions; the page repeats one


def test_a_list_can_carry_an_item_of_another_namespace(start: Start) -> None:
    foreign = {"name": "alpha", "namespace": "staging", "timeout": 1}
    with httpx.Client(base_url=start(list_foreign={"prod": foreign}).url, headers=AUTH) as client:
        page = get(client, "/1/1/prod/functions", order_by="name.asc").json()
        media = get(client, "/1/1/media/functions").json()
    assert page["results"][-1] == foreign
    assert page["count"] == len(NAMES) + 1
    assert media["count"] == 2  # other namespaces are untouched


def test_a_get_can_answer_for_another_function(start: Start) -> None:
    with httpx.Client(base_url=start(answer_as={"alpha": "beta"}).url, headers=AUTH) as client:
        body = get(client, "/1/1/prod/functions/alpha").json()
    assert body["name"] == "beta"
    assert body["code_text"] == "def main():\n    return 'alpha'\n"  # alpha's object, renamed


def test_a_get_can_hold_a_key_twice(start: Start) -> None:
    with httpx.Client(base_url=start(duplicate_keys={"prod/alpha"}).url, headers=AUTH) as client:
        raw = get(client, "/1/1/prod/functions/alpha").content
    assert raw.endswith(b', "timeout": 6}')
    assert raw.count(b'"timeout"') == 2


@pytest.mark.parametrize("path", ["/x/1", "/1/x", "/-1/1", "/+1/1", "/1.0/1/prod/functions"])
def test_non_integer_ids_are_400(client: httpx.Client, path: str) -> None:
    body = assert_gcore_error(get(client, path), 400, "ValidationError")
    assert "is not a valid integer" in body["message"]


# --- paging -------------------------------------------------------------------------------------


def test_limit_and_offset_page_through_everything(client: httpx.Client) -> None:
    pages = [
        get(client, "/1/1/prod/functions", limit=3, offset=offset, order_by="name.asc")
        for offset in (0, 3, 6, 9)
    ]

    assert [names(page) for page in pages] == [
        ["alpha", "beta", "delta"],
        ["epsilon", "eta", "gamma"],
        ["zeta"],
        [],
    ]
    assert {page.json()["count"] for page in pages} == {len(NAMES)}


def test_search_is_a_case_insensitive_substring(client: httpx.Client) -> None:
    response = get(client, "/1/1/prod/functions", search="ETA", order_by="name.asc")

    assert names(response) == ["beta", "eta", "zeta"]
    assert response.json()["count"] == 3
    page = get(client, "/1/1/prod/functions", search="eta", limit=1, offset=1, order_by="name.asc")
    assert names(page) == ["eta"]


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("name.asc", sorted(NAMES)),
        ("name.desc", sorted(NAMES, reverse=True)),
        ("created_at.asc", NAMES),
        ("created_at.desc", NAMES[::-1]),
        (" created_at.desc , name.asc ", NAMES[::-1]),
        ("", NAMES[::-1]),  # the vendor's default: created_at.desc
    ],
)
def test_order_by(client: httpx.Client, order_by: str, expected: list[str]) -> None:
    assert names(get(client, "/1/1/prod/functions", order_by=order_by)) == expected


def test_order_by_applies_to_namespaces_too(client: httpx.Client) -> None:
    assert names(get(client, "/1/1", order_by="name.desc")) == ["prod", "media"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "limit: '0' is not an integer between 1 and 1000."),
        ({"limit": 1001}, "limit: '1001' is not an integer between 1 and 1000."),
        ({"limit": "ten"}, "limit: 'ten' is not an integer between 1 and 1000."),
        ({"limit": ""}, "limit: '' is not an integer between 1 and 1000."),
        ({"offset": -1}, "offset: '-1' is not an integer at least 0."),
        ({"order_by": "size.asc"}, f"order_by: 'size.asc' is not one of {ORDERS}."),
        ({"order_by": "name"}, f"order_by: 'name' is not one of {ORDERS}."),
    ],
)
def test_bad_list_parameters_are_400(
    client: httpx.Client, params: dict[str, Any], message: str
) -> None:
    body = assert_gcore_error(get(client, "/1/1/prod/functions", **params), 400, "ValidationError")
    assert body["message"] == message


def test_limit_1000_is_accepted(client: httpx.Client) -> None:
    assert len(names(get(client, "/1/1/prod/functions", limit=1000))) == len(NAMES)


def test_default_limit_is_configurable(start: Start) -> None:
    with httpx.Client(base_url=start(default_limit=2).url, headers=AUTH) as client:
        assert names(get(client, "/1/1/prod/functions", order_by="name.asc")) == ["alpha", "beta"]


# --- auth ---------------------------------------------------------------------------------------


def test_missing_credentials_are_401(emulator: Emulator) -> None:
    response = httpx.get(f"{emulator.url}{BASE}/1/1")

    body = assert_gcore_error(response, 401, "NotAuthenticated")
    assert body["message"] == "Authentication credentials were not provided."
    assert response.headers["www-authenticate"] == "APIKey"


@pytest.mark.parametrize("scheme", ["APIKey", "apikey", "APIKEY", "ApiKey"])
def test_scheme_is_case_insensitive(emulator: Emulator, scheme: str) -> None:
    response = httpx.get(f"{emulator.url}{BASE}/1/1", headers={"Authorization": f"{scheme} {KEY}"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer 4242$very-secret-part", "Authentication credentials were not provided."),
        ("APIKey", "Invalid APIKey header: no key provided."),
        ("APIKey 4242$wrong-secret", "Bad permanent token: 4242"),
        ("APIKey very-secret-part", "Bad permanent token."),
        ("APIKey very$secret-part", "Bad permanent token."),
        ("APIKey 4242$very-secret-part-and-more", "Bad permanent token: 4242"),
        ("APIKey 4242_very-secret-part", "Bad permanent token: 4242"),  # Gcore's newer form
        ("APIKey very_secret-part", "Bad permanent token."),
    ],
)
def test_bad_credentials_are_401_without_echoing_the_secret(
    emulator: Emulator, header: str, message: str
) -> None:
    response = httpx.get(f"{emulator.url}{BASE}/1/1", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json()["message"] == message
    assert "secret" not in response.text
    assert not any("secret" in value for value in response.headers.values())


def test_without_a_configured_key_any_token_shaped_key_is_accepted(start: Start) -> None:
    url = start(api_key=None).url + BASE + "/1/1"

    for token in ("1$any-secret-at-all-16", "29841_c767d6a0b1f2a3c4d5e6"):
        assert httpx.get(url, headers={"Authorization": f"APIKey {token}"}).status_code == 200
    # Keys faasdrift refuses to send are refused here too, as Gcore refuses a malformed token.
    for token, message in (
        ("anything", "Bad permanent token."),
        ("1$short", "Bad permanent token: 1"),
    ):
        response = httpx.get(url, headers={"Authorization": f"APIKey {token}"})
        assert response.status_code == 401
        assert response.json()["message"] == message
    assert httpx.get(url, headers={"Authorization": "APIKey"}).status_code == 401
    assert httpx.get(url).status_code == 401


# --- methods ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO"])
def test_other_methods_are_405_and_bodies_are_never_read(client: httpx.Client, method: str) -> None:
    response = client.request(method, f"{BASE}/1/1/prod/functions/alpha", content=b'{"timeout": 1}')

    body = assert_gcore_error(response, 405, "MethodNotAllowed")
    assert body["message"] == f'Method "{method}" not allowed.'
    assert response.headers["allow"] == "GET"
    assert response.headers["connection"] == "close"  # its body is unread: no reuse
    assert get(client, "/1/1/prod/functions/alpha").json()["timeout"] == 5


def test_head_is_405_with_headers_only(client: httpx.Client) -> None:
    response = client.head(f"{BASE}/1/1")

    assert response.status_code == 405
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


def test_405_comes_before_auth(emulator: Emulator) -> None:
    assert httpx.delete(f"{emulator.url}{BASE}/1/1").status_code == 405


# --- transport ----------------------------------------------------------------------------------


def test_keep_alive_reuses_one_connection(client: httpx.Client) -> None:
    responses = [get(client, "/1/1/prod/functions/alpha") for _ in range(5)]

    peers = {r.extensions["network_stream"].get_extra_info("client_addr") for r in responses}
    assert len(peers) == 1
    assert all("connection" not in r.headers for r in responses)


def test_http_1_0_client_gets_a_closed_connection(emulator: Emulator) -> None:
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(f"GET {BASE}/1/1 HTTP/1.0\r\nAuthorization: APIKey {KEY}\r\n\r\n".encode())
        data = b"".join(iter(lambda: sock.recv(65536), b""))
    assert data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nConnection: close\r\n" in data
    assert data.endswith(b'"envs": {"A": "1"}}]}')


def test_garbage_request_line_gets_a_gcore_error(emulator: Emulator) -> None:
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.x\r\n\r\n")
        data = b"".join(iter(lambda: sock.recv(65536), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert json.loads(body)["exception_class"] == "ValidationError"


def test_quiet_by_default(client: httpx.Client, capfd: pytest.CaptureFixture[str]) -> None:
    get(client, "/1/1")
    get(client, "/1/1/none")

    assert capfd.readouterr() == ("", "")


def test_stop_closes_kept_alive_connections_and_frees_the_port(start: Start) -> None:
    emulator = start()
    with httpx.Client(base_url=emulator.url, headers=AUTH, timeout=2) as client:
        assert get(client, "/1/1").status_code == 200
        emulator.stop()
        with pytest.raises(httpx.TransportError):
            get(client, "/1/1")
    emulator.stop()  # a second stop is harmless


def test_an_emulator_starts_once(emulator: Emulator) -> None:
    with pytest.raises(RuntimeError, match="started only once"):
        emulator.start()


def test_url_before_start_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        _ = Emulator(STATE).url


def test_context_manager_starts_and_stops() -> None:
    with Emulator(STATE) as emulator:
        url = emulator.url
        assert httpx.get(f"{url}{BASE}/1/1", headers=AUTH).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}{BASE}/1/1", headers=AUTH)


# --- request log --------------------------------------------------------------------------------


def test_request_log_records_what_was_sent_but_never_the_key(
    client: httpx.Client, emulator: Emulator
) -> None:
    get(client, "/1/1/prod/functions", limit=2, search="a b")
    client.post(f"{BASE}/1/1")
    httpx.get(f"{emulator.url}{BASE}/1/1")

    first, second, third = emulator.requests
    assert (first.method, first.path, first.query) == (
        "GET",
        f"{BASE}/1/1/prod/functions",
        "limit=2&search=a+b",
    )
    assert first.has_auth
    assert first.params == {"limit": "2", "search": "a b"}
    assert (second.method, third.has_auth) == ("POST", False)
    assert "secret" not in repr(emulator.requests)


def test_request_log_is_thread_safe(client: httpx.Client, emulator: Emulator) -> None:
    def fetch() -> None:
        with httpx.Client(base_url=emulator.url, headers=AUTH) as own:
            for _ in range(10):
                get(own, "/1/1")

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(emulator.requests) == 80


# --- faults -------------------------------------------------------------------------------------


def test_latency(start: Start) -> None:
    emulator = start(latency=0.2)
    began = time.monotonic()
    httpx.get(f"{emulator.url}{BASE}/1/1", headers=AUTH)

    assert time.monotonic() - began >= 0.2


def test_rate_limit_first_requests_with_retry_after(start: Start) -> None:
    emulator = start(rate_limit_first=2, retry_after=3)
    with httpx.Client(base_url=emulator.url, headers=AUTH) as client:
        responses = [get(client, "/1/1") for _ in range(3)]

    for response in responses[:2]:
        assert_gcore_error(response, 429, "TooManyRequestsError")
        assert response.headers["retry-after"] == "3"
    assert responses[2].status_code == 200


def test_rate_limit_without_retry_after_sends_no_header(start: Start) -> None:
    response = httpx.get(f"{start(rate_limit_first=1).url}{BASE}/1/1", headers=AUTH)

    assert response.status_code == 429
    assert "retry-after" not in response.headers


@pytest.mark.parametrize(
    ("status", "exception_class"),
    [(500, "InternalServerError"), (502, "BadGatewayError"), (503, "ServiceUnavailableError")],
)
def test_function_errors(start: Start, status: int, exception_class: str) -> None:
    emulator = start(function_errors={"alpha": status, "media/resize": 504})
    with httpx.Client(base_url=emulator.url, headers=AUTH) as client:
        assert_gcore_error(get(client, "/1/1/prod/functions/alpha"), status, exception_class)
        assert_gcore_error(get(client, "/1/1/media/functions/resize"), 504, "GatewayTimeoutError")
        assert get(client, "/1/1/prod/functions/beta").status_code == 200
        assert "alpha" in names(get(client, "/1/1/prod/functions"))  # lists are unaffected


def test_function_error_applies_even_to_a_function_the_state_lacks(start: Start) -> None:
    emulator = start(function_errors={"ghost": 500})

    response = httpx.get(f"{emulator.url}{BASE}/1/1/prod/functions/ghost", headers=AUTH)
    assert response.status_code == 500


def test_malformed_body(start: Start) -> None:
    response = httpx.get(
        f"{start(malformed={'alpha'}).url}{BASE}/1/1/prod/functions/alpha", headers=AUTH
    )

    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    assert STATE.namespaces[0].functions["alpha"].body.startswith(response.content)
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_html_body(start: Start) -> None:
    response = httpx.get(
        f"{start(html={'alpha'}).url}{BASE}/1/1/prod/functions/alpha", headers=AUTH
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text.startswith("<!DOCTYPE html>")


def test_huge_body(start: Start) -> None:
    response = httpx.get(
        f"{start(huge={'alpha'}, huge_bytes=3_000_000).url}{BASE}/1/1/prod/functions/alpha",
        headers=AUTH,
    )

    assert len(response.content) > 3_000_000
    assert response.json()["name"] == "alpha"


def test_connection_reset_midway(start: Start) -> None:
    emulator = start(reset={"alpha"})

    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        httpx.get(f"{emulator.url}{BASE}/1/1/prod/functions/alpha", headers=AUTH)
    assert (
        httpx.get(f"{emulator.url}{BASE}/1/1/prod/functions/beta", headers=AUTH).status_code == 200
    )


def test_hang_makes_the_client_time_out_and_stop_wakes_it(start: Start) -> None:
    emulator = start(hang={"alpha"}, hang_seconds=60)

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{emulator.url}{BASE}/1/1/prod/functions/alpha", headers=AUTH, timeout=0.3)
    began = time.monotonic()
    emulator.stop()
    assert time.monotonic() - began < 5


def test_list_count_extra_and_overlap(start: Start) -> None:
    emulator = start(list_count_extra=5, list_overlap=1)
    with httpx.Client(base_url=emulator.url, headers=AUTH) as client:
        first = get(client, "/1/1/prod/functions", limit=3, order_by="name.asc")
        second = get(client, "/1/1/prod/functions", limit=3, offset=3, order_by="name.asc")

    assert first.json()["count"] == len(NAMES) + 5
    assert names(first) == ["alpha", "beta", "delta"]
    assert names(second) == ["delta", "epsilon", "eta"]


def test_rate_limit_with_retry_after_ms_and_an_http_date(start: Start) -> None:
    emulator = start(rate_limit_first=1, retry_after=30, retry_after_date=True, retry_after_ms=250)
    response = httpx.get(f"{emulator.url}{BASE}/1/1", headers=AUTH)

    assert response.status_code == 429
    assert response.headers["retry-after-ms"] == "250"
    when = parsedate_to_datetime(response.headers["retry-after"])
    assert 25 <= (when - datetime.now(timezone.utc)).total_seconds() <= 31


def test_list_errors_break_one_namespace_list_only(start: Start) -> None:
    emulator = start(list_errors={"prod": 503})
    with httpx.Client(base_url=emulator.url, headers=AUTH) as client:
        assert_gcore_error(get(client, "/1/1/prod/functions"), 503, "ServiceUnavailableError")
        assert get(client, "/1/1/prod/functions/alpha").status_code == 200
        assert get(client, "/1/1/media/functions").status_code == 200


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        (BodyFault.MALFORMED, lambda r: r.content.startswith(b'{"count": 7, "results": [')),
        (BodyFault.HTML, lambda r: r.text.startswith("<!DOCTYPE html>")),
        (BodyFault.HUGE, lambda r: len(r.json()["padding"]) == 100_000 and r.json()["count"] == 7),
    ],
)
def test_list_body_faults(
    start: Start, fault: BodyFault, check: Callable[[httpx.Response], bool]
) -> None:
    emulator = start(list_faults={"prod": fault}, huge_bytes=100_000)
    with httpx.Client(base_url=emulator.url, headers=AUTH) as client:
        response = get(client, "/1/1/prod/functions", limit=1000)
        assert names(get(client, "/1/1/media/functions")) == [ODD_NAME, "resize"]

    assert response.status_code == 200
    assert check(response)


def test_list_reset_and_hang(start: Start) -> None:
    emulator = start(list_faults={"prod": BodyFault.RESET, "media": BodyFault.HANG})

    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        httpx.get(f"{emulator.url}{BASE}/1/1/prod/functions", headers=AUTH)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{emulator.url}{BASE}/1/1/media/functions", headers=AUTH, timeout=0.3)


def test_max_page_size_caps_what_limit_asks(start: Start) -> None:
    emulator = start(max_page_size=3)
    with httpx.Client(base_url=emulator.url, headers=AUTH) as client:
        first = get(client, "/1/1/prod/functions", limit=1000, order_by="name.asc")
        last = get(client, "/1/1/prod/functions", limit=1000, offset=6, order_by="name.asc")

    assert first.json()["count"] == len(NAMES)
    assert names(first) == ["alpha", "beta", "delta"]
    assert names(last) == ["zeta"]


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        ({"function_errors": {"a": 200}}, "function_errors['a']: 200 is not an error status"),
        ({"list_errors": {"ns": 302}}, "list_errors['ns']: 302 is not an error status"),
        ({"max_page_size": 0}, "max_page_size must be 1..1000, got 0"),
        ({"retry_after_ms": -5}, "retry_after_ms must not be negative, got -5"),
        ({"latency": -1}, "latency must not be negative, got -1"),
        ({"retry_after": -1}, "retry_after must not be negative, got -1"),
        ({"default_limit": 0}, "default_limit must be 1..1000, got 0"),
    ],
)
def test_faults_are_checked(faults: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Faults(**faults)


def test_faults_are_immutable_copies() -> None:
    errors = {"a": 500}
    faults = Faults(function_errors=errors, malformed={"b"})  # type: ignore[arg-type]
    errors["c"] = 502

    assert dict(faults.function_errors) == {"a": 500}
    assert faults.malformed == frozenset({"b"})
    with pytest.raises(TypeError):
        faults.function_errors["d"] = 503  # type: ignore[index]
