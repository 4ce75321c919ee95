"""Every file faasdrift writes: atomically, never through a symlink, never over one of its inputs.

Reports, the step summary, snapshots and imported desired files all go through here. A file is
written to a temporary file in the same folder and renamed over the target, so a crash or Ctrl-C
leaves either the old file or the new one, never half of one; ``os.replace`` replaces a symlink
rather than following it, so even a link created after the checks cannot redirect the write.
Paths are resolved before they are compared, so ``a.json`` and ``sub/../a.json`` are one file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faasdrift.errors import OutputFileError

# A lone surrogate (from a JSON escape such as "\\ud800" in an API answer) is no character: UTF-8
# cannot hold it. In JSON text it is written back as the same escape.
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """``data`` as JSON that any UTF-8 file or terminal can hold, non-ASCII text kept readable.

    Lone surrogates can only stand inside JSON strings, where ``\\udXXX`` is their own escape:
    the text means exactly what ``data`` holds.
    """
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def real_output_path(path: Path, *, what: str) -> Path:
    """Where writing ``path`` would land, resolved; raises ``OutputFileError`` unless faasdrift
    may write it there: not a symlink, not a directory, in an existing folder it can write in.

    A relative path lies in the checkout, which a pull request controls, so none of its folders
    may be a symlink either (``out -> /somewhere`` would move the report out of it); the folders
    of an absolute path are the CI configuration's, and are taken as they are.
    """
    refuse_symlinks(path, what=what)
    try:
        folder = path.parent.resolve(strict=True)
    except (OSError, RuntimeError):
        raise OutputFileError(f"{what}: the directory {path.parent} does not exist") from None
    real = folder / path.name
    if not folder.is_dir():
        raise OutputFileError(f"{what}: {path.parent} is not a directory")
    if real.is_dir():
        raise OutputFileError(f"{what}: {path} is a directory")
    if not os.access(folder, os.W_OK):  # the temporary file is made beside the target
        raise OutputFileError(f"{what}: cannot write {path}: permission denied")
    return real


@dataclass(frozen=True)
class Output:
    """A file a run will write: what it is (for messages), as given, and where it lands."""

    what: str
    path: Path
    real: Path


def refuse_symlinks(path: Path, *, what: str) -> None:
    """Raise if ``path``, or a folder of it inside the checkout, is a symlink (see above)."""
    linked = next((part for part in _checked_parts(path) if part.is_symlink()), None)
    if linked is not None:
        raise OutputFileError(
            f"{what}: {linked} is a symbolic link; faasdrift never writes through one "
            "(remove it or choose another path)"
        )


def _checked_parts(path: Path) -> list[Path]:
    """``path`` itself, and for a relative path each folder on the way to it."""
    if path.is_absolute():
        return [path]
    prefixes = [Path(*path.parts[: index + 1]) for index in range(len(path.parts))]
    return [prefix for prefix in prefixes if prefix.name not in ("", ".", "..")]


def check_outputs(targets: Iterable[tuple[str, Path]]) -> tuple[Output, ...]:
    """``targets`` (what, path) as outputs; raises unless each may be written and no two are the
    same file once resolved (``a.json`` and ``sub/../a.json``)."""
    outputs: dict[Path, Output] = {}
    for what, path in targets:
        output = Output(what, path, real_output_path(path, what=what))
        first = outputs.setdefault(output.real, output)
        if first is not output:
            raise OutputFileError(f"{what}: {path} is the same file as {first.what}")
    return tuple(outputs.values())


def refuse_inputs(outputs: Iterable[Output], inputs: Iterable[Path | None]) -> None:
    """Raise if an output is one of ``inputs``, the files the run reads: a report must never
    overwrite the desired file it reports on, or a code file, key file or snapshot."""
    real_inputs = {_real(path): path for path in inputs if path is not None}
    for output in outputs:
        source = real_inputs.get(output.real)
        if source is not None:
            raise OutputFileError(
                f"{output.what}: {output.path} is an input of this run ({source}); faasdrift "
                "never overwrites what it reads"
            )


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def write_atomically(path: Path, text: str, *, what: str, append: bool = False) -> None:
    """Write ``text`` (UTF-8, byte-exact) to ``path`` through a temporary file and a rename.

    ``append`` keeps what the file holds and adds ``text`` after it, still by replacing the
    whole file. Raises ``OutputFileError`` saying why it cannot be written.
    """
    real = real_output_path(path, what=what)
    temporary = real.with_name(f".{real.name}.{secrets.token_hex(4)}.tmp")
    try:
        _write_new(temporary, _existing(real) if append else b"", text.encode("utf-8"))
        with contextlib.suppress(OSError):  # keep an existing file's permissions
            os.chmod(temporary, real.stat().st_mode & 0o7777)
        os.replace(temporary, real)
    except OSError as error:
        raise OutputFileError(f"{what}: cannot write {path}: {_reason(error)}") from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()  # gone already after the rename; left by a failure or Ctrl-C


def _write_new(path: Path, head: bytes, body: bytes) -> None:
    # O_EXCL and O_NOFOLLOW: the temporary name is new, and never a link someone slipped in;
    # mode 0o666 leaves the permissions to the umask, as any new file gets.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o666)
    with os.fdopen(descriptor, "wb") as file:
        file.write(head)
        file.write(body)


def _existing(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def refuse_overwrite(path: Path, *, force: bool) -> None:
    """Raise if ``path`` exists (a dangling symlink counts) and ``force`` was not given."""
    if os.path.lexists(path) and not force:
        raise OutputFileError(f"{path} exists; pass --force to overwrite it")
