"""Issue 6 part B: values from the environment are secrets, reports cannot forge CI log lines,
plain HTTP stays on loopback, and the request log shows no credentials."""

from __future__ import annotations

import asyncio
import io
import logging
import textwrap
from pathlib import Path

import httpx
import pytest

from faasdrift.cli.console import Console
from faasdrift.compare import compare_all
from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError, ExitCode, UsageError
from faasdrift.live.client import GcoreClient
from faasdrift.loopback import is_loopback
from faasdrift.model import (
    ChangeKind,
    CheckRun,
    FunctionResult,
    FunctionStatus,
    LiveResult,
    LiveStatus,
    Position,
)
from faasdrift.report.formats import REPORTER_BY_NAME, ReportOptions, build_reporter
from faasdrift.report.formats.github import without_commands
from faasdrift.report.formats.values import printable
from tests.unit.report_cases import change, drifted, identity, result

ENV = {"CI_SECRET": "s3cret-in-description", "SHORT": "on"}


def write(folder: Path, body: str) -> Path:
    path = folder / "desired.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


# --- values from the environment ---------------------------------------------------------------


def test_every_value_taken_from_the_environment_is_told_to_protect(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        defaults: {project_id: 1, region_id: 1, namespace: prod}
        functions:
          - name: hello
            description: "by ${CI_SECRET}"
            runtime: "${UNSET:-python3.10.13}"
            envs: {FLAG: "${SHORT}"}
        """,
    )
    told: list[str] = []
    state = load_desired(path, environ=ENV, protect=told.append)
    assert sorted(told) == ["on", "s3cret-in-description"]  # a default is in the file: not told
    assert state.functions[0].sensitive_paths == frozenset({"description", "runtime", "envs.FLAG"})


def test_a_change_at_inside_or_around_an_interpolated_value_is_sensitive(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        defaults: {project_id: 1, region_id: 1, namespace: prod}
        functions:
          - name: hello
            description: "${CI_SECRET}"
            timeout: 5
            envs: {TOKENLESS: "${CI_SECRET}", LOG_LEVEL: info}
        """,
    )
    state = load_desired(path, environ=ENV)
    function = state.functions[0]
    # envs.TOKENLESS is inside the interpolated value's field; a whole-envs change around it.
    live = {"description": "old", "timeout": 9, "envs": {"TOKENLESS": "x", "LOG_LEVEL": "info"}}
    found = LiveResult(function.identity, LiveStatus.FOUND, data=live)
    changes = compare_all(state, {function.identity: found}).functions[0].changes
    assert {c.path: c.sensitive for c in changes} == {
        "timeout": False,
        "envs.TOKENLESS": True,
        "description": True,
    }
    whole = {**live, "envs": ["not", "a", "mapping"]}
    found = LiveResult(function.identity, LiveStatus.FOUND, data=whole)
    changes = compare_all(state, {function.identity: found}).functions[0].changes
    assert {c.path: c.sensitive for c in changes}["envs"] is True


def test_the_console_redacts_values_of_four_characters_or_more() -> None:
    stderr = io.StringIO()
    console = Console(stdout=io.StringIO(), stderr=stderr)
    console.add_secret_value("on")
    console.add_secret_value("s3cret-in-description")
    console.err("on: s3cret-in-description")
    assert stderr.getvalue() == "on: ***\n"


# --- reports cannot forge lines ----------------------------------------------------------------

FORGED = "x\n::error title=pwned::forged\x1b[31m\x85\u2028"


def forged_result() -> CheckRun:
    unchecked = FunctionResult(
        identity(FORGED), FunctionStatus.NOT_CHECKED, Position(3, 5), reason=f"HTTP 502: {FORGED}"
    )
    code = "def main():\n    ::error::from code\n    return 1\n"
    changes = (
        change("code_text", ChangeKind.CHANGED, code + "#\n", code, 4),
        change(f"envs.{FORGED}", ChangeKind.REMOVED, None, "v", 5),
        change("description", ChangeKind.CHANGED, FORGED, "", 6),
    )
    return result(ExitCode.INCOMPLETE, unchecked, drifted(FORGED, 2, *changes))


@pytest.mark.parametrize("name", ["text", "github", "markdown", "junit"])
def test_no_report_line_starts_with_a_forged_command(name: str) -> None:
    text = build_reporter(name, ReportOptions()).render(forged_result())  # type: ignore[arg-type]
    assert "\x1b" not in text
    assert "\x85" not in text
    assert "\u2028" not in text
    lines = text.splitlines()
    assert not any(line.startswith("::error title=pwned") for line in lines)
    assert "x\\n::error title=pwned::forged\\x1b[31m\\x85\\u2028" in text


@pytest.mark.parametrize("name", list(REPORTER_BY_NAME))
def test_every_format_renders_a_forged_name_without_a_raw_escape(name: str) -> None:
    text = build_reporter(name, ReportOptions()).render(forged_result())  # type: ignore[arg-type]
    assert "\x1b" not in text


def test_github_wraps_each_group_body_in_stop_commands() -> None:
    lines = build_reporter("github", ReportOptions()).render(forged_result()).splitlines()  # type: ignore[arg-type]
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[start].removeprefix("::stop-commands::")
    end = lines.index(f"::{token}::")
    inside = lines[start + 1 : end]
    assert any(line.strip().startswith("::error::from code") for line in inside)
    assert all(not line.startswith("::error ") for line in inside)  # annotations stay outside
    assert any(line.startswith("::error ") for line in lines[end:])


def test_the_stop_token_is_not_in_the_text_it_wraps() -> None:
    body = ["::stop-commands::abc", "::abc::", "    ::endgroup::"]
    wrapped = without_commands(body)
    token = wrapped[0].removeprefix("::stop-commands::")
    assert len(token) == 32
    assert wrapped == [f"::stop-commands::{token}", *body, f"::{token}::"]
    assert all(token not in line for line in body)


def test_printable_keeps_tabs_and_text_and_spells_out_the_rest() -> None:
    assert printable("plain\ttext é ü") == "plain\ttext é ü"
    assert printable("a\nb\r\x1b\x00\x9b") == "a\\nb\\r\\x1b\\x00\\x9b"


@pytest.mark.parametrize("field", ["name", "namespace"])
def test_the_schema_refuses_control_characters_in_names(tmp_path: Path, field: str) -> None:
    entry = {"name": "hello", "namespace": "prod"} | {field: "x\\n::error::forged"}
    path = write(
        tmp_path,
        f"""\
        defaults: {{project_id: 1, region_id: 1}}
        functions:
          - {{name: "{entry["name"]}", namespace: "{entry["namespace"]}"}}
        """,
    )
    with pytest.raises(DesiredFileError) as raised:
        load_desired(path, display_name="d.yaml")
    [problem] = raised.value.problems
    assert str(problem).endswith(
        f"functions[0].{field}: 'x\\n::error::forged' holds a control character (a newline, "
        "tab or escape); names cannot"
    )


# --- transport ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST.", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("128.0.0.1", False),
        ("localhost.example.com", False),
        ("api.gcore.com", False),
        ("0.0.0.0", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("url", ["http://api.gcore.com", "http://192.0.2.1:8000/x"])
def test_plain_http_beyond_loopback_is_refused_before_any_request(url: str) -> None:
    with pytest.raises(UsageError, match="refusing to send the API key over plain HTTP"):
        GcoreClient(base_url=url, api_key="1$secret-key")


def test_plain_http_on_loopback_and_https_anywhere_are_fine() -> None:
    for url in ("http://127.0.0.1:8080", "http://[::1]:8080", "https://api.gcore.com"):
        GcoreClient(base_url=url, api_key="1$secret-key")


def test_the_request_log_names_no_header(caplog: pytest.LogCaptureFixture) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"message": "no"})

    client = GcoreClient(
        base_url="https://user:pass@api.gcore.com",
        api_key="1$secret-key-value",
        transport=httpx.MockTransport(answer),
    )

    async def go() -> None:
        async with client:
            await client.fetch_function(identity("hello"), ["timeout"])

    with caplog.at_level(logging.DEBUG, logger="faasdrift"):
        asyncio.run(go())
    [record] = caplog.records
    message = record.getMessage()
    assert message.startswith(
        "GET https://api.gcore.com/cloud/v1/faas/namespaces/1/1/prod-api/functions/hello -> 404 "
    )
    assert "secret-key-value" not in message
    assert "pass" not in message
