"""Where the API key comes from, and that no message about it ever shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from faasdrift.errors import MissingApiKeyError, UsageError
from faasdrift.live.credentials import resolve_api_key

KEY = "1234$abcdefsecret-0123456789"


def test_key_from_environment() -> None:
    assert resolve_api_key(environ={"GCORE_API_KEY": f"  {KEY}\n"}, key_file=None) == KEY


@pytest.mark.parametrize("environ", [{}, {"GCORE_API_KEY": ""}, {"GCORE_API_KEY": "   "}])
def test_missing_key_names_the_variable(environ: dict[str, str]) -> None:
    with pytest.raises(MissingApiKeyError, match="GCORE_API_KEY"):
        resolve_api_key(environ=environ, key_file=None)


def test_key_file_wins_over_environment(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    assert (
        resolve_api_key(
            environ={"GCORE_API_KEY": "9$other-key-0123456789abcdef"}, key_file=key_file
        )
        == KEY
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n\n", "is empty"),
        (b"1$abcdefsecret-012345\n2$abcdefsecret-012345\n", "more than one line"),
        (b"1$abc defsecret-012345\n", "cannot contain"),
        (b"1$abc\x01defsecret-012345", "cannot contain"),
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
        resolve_api_key(environ={"GCORE_API_KEY": "1$abc defsecret-012345"}, key_file=None)
    assert "defsecret" not in str(caught.value)


@pytest.mark.parametrize(
    "key",
    [
        "1234$0123456789abcdef",  # the shortest secret accepted
        "29841$c767d6a0b1f2a3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
        "29841_c767d6a0b1f2a3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c",
        "7$with_underscores-and$dollars",  # the secret's characters are the token's business
    ],
)
def test_keys_shaped_like_gcore_tokens_are_accepted(key: str) -> None:
    assert resolve_api_key(environ={"GCORE_API_KEY": key}, key_file=None) == key


@pytest.mark.parametrize(
    "key",
    [
        "x",
        "test",
        "1234$abc",  # a secret too short to be one Gcore generated
        "1234$0123456789abcde",  # one character short
        "demo$key-for-the-emulator",  # the id is not a number
        "$0123456789abcdef0123",  # no id
        "1234-0123456789abcdef0123",  # no separator
        "0123456789abcdef0123456789abcdef",  # a secret without its id
    ],
)
def test_keys_that_cannot_be_gcore_tokens_are_refused_without_echo(key: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_api_key(environ={"GCORE_API_KEY": key}, key_file=None)
    message = str(caught.value)
    assert message.startswith("GCORE_API_KEY is not a Gcore API key: ")
    assert "numeric id, '$' (or '_') and a secret of at least 16 characters" in message
    assert key not in message


def test_a_key_file_of_the_wrong_shape_is_named(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("placeholder\n", encoding="utf-8")
    with pytest.raises(UsageError, match=f"^API key file {key_file} is not a Gcore API key"):
        resolve_api_key(environ={}, key_file=key_file)


@pytest.mark.parametrize("prefix", ["APIKey ", "apikey ", "Bearer ", "APIKEY\t"])
def test_a_key_pasted_with_its_scheme_says_faasdrift_adds_it(prefix: str) -> None:
    key = prefix + KEY
    with pytest.raises(UsageError) as caught:
        resolve_api_key(environ={"GCORE_API_KEY": key}, key_file=None)
    message = str(caught.value)
    assert "faasdrift adds the 'APIKey ' prefix to each request itself" in message
    assert "abcdefsecret" not in message
    assert "cannot contain" not in message


def test_a_word_that_merely_starts_like_a_scheme_is_judged_by_its_shape() -> None:
    with pytest.raises(UsageError, match="is not a Gcore API key"):
        resolve_api_key(environ={"GCORE_API_KEY": "apikeyless"}, key_file=None)
