"""Where the API key comes from, and that no message about it ever shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from faasdrift.errors import MissingApiKeyError, UsageError
from faasdrift.live.credentials import resolve_api_key

KEY = "1234$abcdefsecret"


def test_key_from_environment() -> None:
    assert resolve_api_key(environ={"GCORE_API_KEY": f"  {KEY}\n"}, key_file=None) == KEY


@pytest.mark.parametrize("environ", [{}, {"GCORE_API_KEY": ""}, {"GCORE_API_KEY": "   "}])
def test_missing_key_names_the_variable(environ: dict[str, str]) -> None:
    with pytest.raises(MissingApiKeyError, match="GCORE_API_KEY"):
        resolve_api_key(environ=environ, key_file=None)


def test_key_file_wins_over_environment(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    assert resolve_api_key(environ={"GCORE_API_KEY": "other$key"}, key_file=key_file) == KEY


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n\n", "is empty"),
        (b"1$abcdefsecret\n2$abcdefsecret\n", "more than one line"),
        (b"1$abc defsecret\n", "cannot contain"),
        (b"1$abc\x01defsecret", "cannot contain"),
        (b"1$\xff\xfeabcdefsecret", "UnicodeDecodeError"),
    ],
)
def test_bad_key_files_never_echo_their_content(
    tmp_path: Path, content: bytes, message: str
) -> None:
    key_file = tmp_path / "key"
    key_file.write_bytes(content)
    with pytest.raises(UsageError, match=message) as caught:
        resolve_api_key(environ={}, key_file=key_file)
    assert "defsecret" not in str(caught.value)


def test_key_file_missing_or_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        resolve_api_key(environ={}, key_file=tmp_path / "nope")
    with pytest.raises(UsageError, match="is a directory"):
        resolve_api_key(environ={}, key_file=tmp_path)


def test_key_with_a_space_in_the_environment_is_refused() -> None:
    with pytest.raises(UsageError, match="GCORE_API_KEY holds characters") as caught:
        resolve_api_key(environ={"GCORE_API_KEY": "1$abc defsecret"}, key_file=None)
    assert "defsecret" not in str(caught.value)
