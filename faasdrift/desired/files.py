"""Read the desired file and the code files it names: size-capped, strict UTF-8, and in bounds.

Both can come from a pull request, so neither is trusted: nothing reads more than its limit (a
50 MB file or ``/dev/zero`` costs one bounded read), binary and UTF-16 files are named as such, and
a ``code_file`` may not lead out of the desired file's folder, symlinks followed, unless the user
allows it. Otherwise ``code_file: /etc/passwd`` would put the runner's files into a CI log.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from faasdrift.model import Position

# code_text holds at most 100,000 characters (the function schema), UTF-8 at most 4 bytes each:
# a bigger file cannot be valid, so there is no point reading more of it.
MAX_CODE_FILE_BYTES = 400_000
OUTSIDE_HINT = "pass --allow-outside-paths to read it"


class ReadError(Exception):
    """A file could not be read as UTF-8 text; ``position`` is set for an invalid byte."""

    def __init__(self, reason: str, position: Position | None = None) -> None:
        super().__init__(reason)
        self.reason, self.position = reason, position


def read_utf8(path: Path, *, max_bytes: int, strip_bom: bool = False) -> str:
    """The file's text, decoded strictly; line endings are kept as they are.

    Never more than ``max_bytes`` (+1, to tell that there is more) are read.
    """
    try:
        with path.open("rb") as file:
            raw = file.read(max_bytes + 1)
    except OSError as error:
        raise ReadError(_os_reason(error)) from None
    except ValueError:  # a NUL or an unencodable character in the name
        raise ReadError("is not a valid file name") from None
    if len(raw) > max_bytes:
        raise ReadError(f"is larger than {_size(max_bytes)}, the limit")
    _check_not_binary(raw)
    try:
        return raw.decode("utf-8-sig" if strip_bom else "utf-8")
    except UnicodeDecodeError as error:
        position = offset_position(raw[: error.start].decode(errors="replace"))
        raise ReadError(f"not UTF-8: invalid byte 0x{raw[error.start]:02x}", position) from None


def read_regular_file(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``max_bytes``.

    Checked before it is opened: a FIFO would block forever and ``/dev/zero`` never ends.
    """
    try:
        info = path.stat()
    except OSError as error:
        raise ReadError(_os_reason(error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError("is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError("is not a regular file (a device, pipe or socket)")
    if info.st_size > max_bytes:
        raise ReadError(f"is larger than {_size(max_bytes)}, the limit")
    try:
        with path.open("rb") as file:
            raw = file.read(max_bytes + 1)
    except OSError as error:
        raise ReadError(_os_reason(error)) from None
    if len(raw) > max_bytes:  # it grew since
        raise ReadError(f"is larger than {_size(max_bytes)}, the limit")
    return raw


def resolve_code_file(base_dir: Path, name: str, *, allow_outside: bool) -> Path:
    """The real path of ``name`` (relative to ``base_dir`` unless absolute), symlinks resolved.

    Raises ``ReadError`` if it leads out of ``base_dir`` (checked before anything is said about
    the file, so a refused path does not even tell whether it exists) or is no regular file (a
    FIFO would block the check forever).
    """
    try:
        folder = base_dir.resolve()
        file = (folder / name).resolve()
    except (OSError, RuntimeError):  # a symlink loop: RuntimeError before Python 3.13
        raise ReadError("cannot be resolved (a symlink loop?)") from None
    except ValueError:
        raise ReadError("is not a valid file name") from None
    if not allow_outside and not file.is_relative_to(folder):
        raise ReadError(f"is outside the folder of the desired file; {OUTSIDE_HINT}")
    try:
        mode = file.stat().st_mode
    except OSError as error:
        raise ReadError(_os_reason(error)) from None
    if stat.S_ISDIR(mode):
        raise ReadError("is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise ReadError("is not a regular file (a device, pipe or socket)")
    return file


def offset_position(before: str) -> Position:
    """The position just after ``before``, the text that precedes it."""
    return Position(before.count("\n") + 1, len(before) - before.rfind("\n"))


def _check_not_binary(raw: bytes) -> None:
    # Say what the file is rather than "invalid byte 0xff" or "control characters not allowed".
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # UTF-32 LE starts alike
        raise ReadError("is UTF-16 or UTF-32 text, not UTF-8; save it as UTF-8", Position(1, 1))
    nul = raw.find(b"\0")
    if nul >= 0:
        position = offset_position(raw[:nul].decode(errors="replace"))
        raise ReadError("holds a NUL byte: binary or UTF-16 data, not UTF-8 text", position)


def _size(count: int) -> str:
    mib = 1024 * 1024
    return f"{count // mib} MiB" if count % mib == 0 else f"{count:,} bytes"


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "does not exist"
    if isinstance(error, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or os.strerror(error.errno or 0)
