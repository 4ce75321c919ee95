"""Every bad input gets exit 2, one clear message and no traceback (run_faasdrift asserts that)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from faasdrift import __version__
from tests.acceptance.conftest import (
    API_KEY,
    WriteYaml,
    run_faasdrift,
)

KEY_ENV = {"GCORE_API_KEY": API_KEY, "GCORE_BASE_URL": "http://127.0.0.1:9"}
VALID = "defaults: {project_id: 1, region_id: 1, namespace: ns}\nfunctions:\n  - name: hello\n"


def assert_usage_error(run: Any, *fragments: str) -> None:
    assert run.code == 2, run.output
    assert run.stdout == ""
    for fragment in fragments:
        assert fragment in run.stderr, run.stderr


def test_missing_file(tmp_path: Path) -> None:
    run = run_faasdrift("check", tmp_path / "nope.yaml", env=KEY_ENV)
    assert_usage_error(run, "nope.yaml", "does not exist")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    run = run_faasdrift("check", tmp_path, env=KEY_ENV)
    assert_usage_error(run, "is a directory")


def test_not_utf8(write_yaml: WriteYaml, tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"functions:\n  - name: caf\xe9\n")
    run = run_faasdrift("check", path, env=KEY_ENV)
    assert_usage_error(run, "latin1.yaml", "UTF-8")


def test_empty_file(write_yaml: WriteYaml) -> None:
    run = run_faasdrift("check", write_yaml("empty.yaml", "# only a comment\n"), env=KEY_ENV)
    assert_usage_error(run, "empty.yaml", "empty")


def test_yaml_syntax_error_names_the_line(write_yaml: WriteYaml, tmp_path: Path) -> None:
    write_yaml("broken.yaml", "functions:\n  - name: hello\n    timeout: [5\n")
    run = run_faasdrift("check", "broken.yaml", env=KEY_ENV, cwd=tmp_path)
    assert_usage_error(run, "broken.yaml:")
    first = run.stderr.splitlines()[0]
    assert first.startswith("broken.yaml:4:1: "), first


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!int ''", "'' is not a valid !!int"),
        ("!!int '-'", "- is not a valid !!int"),
        ("!!float ''", "'' is not a valid !!float"),
        ("!!bool maybe", "maybe is not a valid !!bool"),
        ("!!timestamp x", "x is not a valid !!timestamp"),
        ("2023-02-30", "2023-02-30 is not a valid !!timestamp"),
    ],
)
def test_a_value_its_tag_cannot_read_is_a_usage_error_where_it_stands(
    write_yaml: WriteYaml, tmp_path: Path, value: str, shown: str
) -> None:
    # PyYAML's constructors raise IndexError, KeyError or AttributeError for some of these:
    # each was once an internal error (exit 4).
    write_yaml("tagged.yaml", VALID + f"    description: {value}\n")
    run = run_faasdrift("check", "tagged.yaml", env=KEY_ENV, cwd=tmp_path)
    assert_usage_error(run, f"tagged.yaml:4:18: {shown}; quote it if it is text")


def test_a_tag_that_reads_its_value_is_no_error(write_yaml: WriteYaml, tmp_path: Path) -> None:
    write_yaml("tagged.yaml", VALID + "    timeout: !!int '7'\n    description: !!str 5\n")
    run = run_faasdrift("validate", "tagged.yaml", cwd=tmp_path)
    assert run.code == 0, run.output


def test_top_level_not_a_mapping(write_yaml: WriteYaml) -> None:
    run = run_faasdrift("check", write_yaml("list.yaml", "- name: hello\n"), env=KEY_ENV)
    assert_usage_error(run, "list.yaml:1:1", "mapping")


def test_code_file_that_does_not_exist(write_yaml: WriteYaml, tmp_path: Path) -> None:
    write_yaml("desired.yaml", VALID + "    code_file: handlers/nope.py\n")
    run = run_faasdrift("check", "desired.yaml", env=KEY_ENV, cwd=tmp_path)
    assert_usage_error(run, "desired.yaml:4:16: functions[0].code_file:", "handlers/nope.py")


def test_schema_violations_are_all_reported_sorted_with_positions(
    write_yaml: WriteYaml, tmp_path: Path
) -> None:
    write_yaml("desired.yaml", VALID + "    timeout: 500\n    timout: 5\n    envs: {PORT: 8080}\n")
    run = run_faasdrift("check", "desired.yaml", env=KEY_ENV, cwd=tmp_path)
    assert run.code == 2
    lines = run.stderr.splitlines()
    assert (
        lines[0]
        == "desired.yaml:4:14: functions[0].timeout: 500 is greater than the maximum of 180"
    )
    assert lines[1].startswith("desired.yaml:5:5: functions[0]")
    assert "did you mean 'timeout'" in lines[1]
    assert lines[2].startswith("desired.yaml:6:18: functions[0].envs.PORT:")
    assert "quote" in lines[2]
    assert lines[3] == "faasdrift: 3 problems found; nothing was checked"


def test_missing_api_key_names_the_variable(write_yaml: WriteYaml) -> None:
    run = run_faasdrift("check", write_yaml("desired.yaml", VALID))
    assert_usage_error(run, "GCORE_API_KEY")


def test_api_key_file_that_does_not_exist(write_yaml: WriteYaml, tmp_path: Path) -> None:
    path = write_yaml("desired.yaml", VALID)
    run = run_faasdrift("check", "--api-key-file", tmp_path / "key.txt", path)
    assert_usage_error(run, "key.txt", "does not exist")


def test_api_key_file_with_a_bad_key_is_refused_without_showing_it(
    write_yaml: WriteYaml, tmp_path: Path
) -> None:
    key_file = tmp_path / "key.txt"
    key_file.write_text("4242$has a space-secret\n", encoding="utf-8")
    run = run_faasdrift("check", "--api-key-file", key_file, write_yaml("desired.yaml", VALID))
    assert_usage_error(run, "key.txt", "cannot contain")
    assert "space-secret" not in run.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["check", "--no-such-option", "x.yaml"], "No such option"),
        (["check", "--read-timeout", "0", "x.yaml"], "--read-timeout"),
        (["check"], "Missing argument 'DESIRED...'"),
        (
            ["check", "--fail-on", "drfit", "desired.yaml"],
            "Invalid value for '--fail-on': unknown outcome 'drfit'",
        ),
        (["check", "--report", "xml=out.xml", "desired.yaml"], "unknown format 'xml'"),
        (["nope"], "No such command"),
        (["check", "--base-url", "ftp://example.com", "desired.yaml"], "invalid Gcore base URL"),
    ],
)
def test_bad_usage_exits_2(
    args: list[str], fragment: str, write_yaml: WriteYaml, tmp_path: Path
) -> None:
    write_yaml("desired.yaml", VALID)
    run = run_faasdrift(*args, env=KEY_ENV, cwd=tmp_path)
    assert_usage_error(run, fragment)


def test_version_and_help() -> None:
    version = run_faasdrift("--version")
    assert version.code == 0
    assert version.stdout.strip() == f"faasdrift, version {__version__}"
    help_text = run_faasdrift("check", "--help").stdout
    for line in (
        "0    all functions in sync",
        "1    drift found",
        "3    check incomplete",
        "130  interrupted",
    ):
        assert line in help_text
    assert "GCORE_API_KEY" in help_text
    assert "Exit codes" in run_faasdrift("--help").stdout
