"""Reading files safely: bounded reads, binary files named as such, code files kept in bounds."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from faasdrift.desired.files import (
    MAX_CODE_FILE_BYTES,
    OUTSIDE_HINT,
    ReadError,
    read_utf8,
    resolve_code_file,
)
from faasdrift.model import Position

needs_posix = pytest.mark.skipif(os.name != "posix", reason="symlinks, FIFOs and /dev/zero")


def read_error(path: Path, max_bytes: int = 100) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_utf8(path, max_bytes=max_bytes)
    return caught.value


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- read_utf8 ----------------------------------------------------------------------------------


def test_reads_up_to_the_limit(tmp_path: Path) -> None:
    assert read_utf8(write(tmp_path / "f", b"x" * 100), max_bytes=100) == "x" * 100


def test_one_byte_more_is_refused(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "f", b"x" * 101))
    assert (error.reason, error.position) == ("is larger than 100 bytes, the limit", None)


def test_limits_in_whole_mebibytes_read_as_such(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "f", b"x" * (2 * 1024 * 1024 + 1)), 2 * 1024 * 1024)
    assert error.reason == "is larger than 2 MiB, the limit"


@needs_posix
def test_an_endless_file_costs_one_bounded_read() -> None:
    assert read_error(Path("/dev/zero"), 1000).reason == "is larger than 1,000 bytes, the limit"


def test_bom_is_kept_unless_stripped(tmp_path: Path) -> None:
    file = write(tmp_path / "f", b"\xef\xbb\xbfa")
    assert read_utf8(file, max_bytes=100) == "\ufeffa"
    assert read_utf8(file, max_bytes=100, strip_bom=True) == "a"


UTF16 = "is UTF-16 or UTF-32 text, not UTF-8; save it as UTF-8"
NUL = "holds a NUL byte: binary or UTF-16 data, not UTF-8 text"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("a: 1\n".encode("utf-16"), UTF16),  # Python writes a BOM for these two
        ("a: 1\n".encode("utf-32"), UTF16),
        (codecs.BOM_UTF16_BE + "a: 1\n".encode("utf-16-be"), UTF16),
        ("a: 1\n".encode("utf-16-le"), NUL),  # no BOM: known by its NUL bytes
        ("a: 1\n".encode("utf-16-be"), NUL),
        ("a: 1\n".encode("utf-32-be"), NUL),
        (b"\0" * 1000, NUL),
    ],
)
def test_utf16_utf32_and_binary_are_named(tmp_path: Path, data: bytes, reason: str) -> None:
    error = read_error(write(tmp_path / "f", data), 10_000)
    assert error.reason == reason
    assert error.position is not None


def test_nul_byte_is_located(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "f", b"a: 1\nb: x\x00y\n"))
    assert error.position == Position(2, 5)


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    error = read_error(write(tmp_path / "f", b"a: 1\nb: caf\xe9\n"))
    assert (error.reason, error.position) == ("not UTF-8: invalid byte 0xe9", Position(2, 7))


@pytest.mark.parametrize(
    ("name", "reason"),
    [("missing", "does not exist"), (".", "is a directory, not a file")],
)
def test_os_errors_are_plain_words(tmp_path: Path, name: str, reason: str) -> None:
    assert read_error(tmp_path / name).reason == reason


def test_a_nul_in_the_name_is_no_crash(tmp_path: Path) -> None:
    assert read_error(tmp_path / "a\0b").reason == "is not a valid file name"


# --- resolve_code_file --------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A desired file's folder with code inside, and a secret next to (outside) it."""
    folder = tmp_path / "repo"
    (folder / "code").mkdir(parents=True)
    (folder / "code" / "main.py").write_text("def main(): pass\n")
    (tmp_path / "secret.txt").write_text("TOP SECRET\n")
    return folder


def resolve_error(folder: Path, name: str, *, allow_outside: bool = False) -> str:
    with pytest.raises(ReadError) as caught:
        resolve_code_file(folder, name, allow_outside=allow_outside)
    return caught.value.reason


OUTSIDE = f"is outside the folder of the desired file; {OUTSIDE_HINT}"


def test_a_file_inside_resolves(repo: Path) -> None:
    expected = (repo / "code" / "main.py").resolve()
    assert resolve_code_file(repo, "code/main.py", allow_outside=False) == expected
    assert resolve_code_file(repo, "code/../code/main.py", allow_outside=False) == expected


@pytest.mark.parametrize("name", ["../secret.txt", "code/../../secret.txt", "/etc/passwd"])
def test_paths_leading_outside_are_refused(repo: Path, name: str) -> None:
    assert resolve_error(repo, name) == OUTSIDE


def test_a_missing_file_outside_is_refused_before_its_existence_is_told(repo: Path) -> None:
    assert resolve_error(repo, "../no-such-file") == OUTSIDE


@needs_posix
def test_a_symlink_out_of_the_folder_is_refused(repo: Path) -> None:
    (repo / "code" / "innocent.py").symlink_to(repo.parent / "secret.txt")
    (repo / "escape").symlink_to(repo.parent)
    assert resolve_error(repo, "code/innocent.py") == OUTSIDE
    assert resolve_error(repo, "escape/secret.txt") == OUTSIDE


@needs_posix
def test_a_symlink_within_the_folder_is_fine(repo: Path) -> None:
    (repo / "link.py").symlink_to("code/main.py")
    assert resolve_code_file(repo, "link.py", allow_outside=False) == repo / "code" / "main.py"


@needs_posix
def test_a_desired_file_reached_through_a_symlinked_folder_is_fine(repo: Path) -> None:
    alias = repo.parent / "alias"
    alias.symlink_to(repo)
    assert resolve_code_file(alias, "code/main.py", allow_outside=False).read_text()


def test_outside_paths_can_be_allowed(repo: Path) -> None:
    file = resolve_code_file(repo, "../secret.txt", allow_outside=True)
    assert file == (repo.parent / "secret.txt").resolve()


@needs_posix
def test_a_fifo_is_refused_before_it_can_block(repo: Path) -> None:
    os.mkfifo(repo / "pipe")
    assert resolve_error(repo, "pipe") == "is not a regular file (a device, pipe or socket)"


@needs_posix
def test_a_device_is_refused_even_when_allowed(repo: Path) -> None:
    reason = resolve_error(repo, "/dev/zero", allow_outside=True)
    assert reason == "is not a regular file (a device, pipe or socket)"


@pytest.mark.parametrize(
    ("name", "reason"),
    [("code", "is a directory, not a file"), ("nope.py", "does not exist")],
)
def test_other_unusable_files(repo: Path, name: str, reason: str) -> None:
    assert resolve_error(repo, name) == reason


@needs_posix
def test_a_symlink_loop_is_no_crash(repo: Path) -> None:
    (repo / "a").symlink_to("b")
    (repo / "b").symlink_to("a")
    assert resolve_error(repo, "a") in (
        "cannot be resolved (a symlink loop?)",  # Python before 3.13
        "does not exist",
    )


def test_a_nul_in_the_name_is_refused(repo: Path) -> None:
    assert resolve_error(repo, "code/\0main.py") == "is not a valid file name"


def test_the_code_file_limit_fits_the_largest_code_text() -> None:
    assert MAX_CODE_FILE_BYTES == 4 * 100_000  # 100,000 characters of at most 4 bytes each
