"""The code a desired file's functions carry, counted after expansion against one total.

A ``code_file`` of 400 KB is allowed, and so are 10,000 functions; 10,000 functions naming the
same file (or one ``code_text`` repeated through an alias) would still make 4 GB of code out of
a file of a few KB, and as much drift text on stdout. So every function's code (``code_text``,
inline or read from its ``code_file``, and ``dependencies``) counts in full against
``MAX_TOTAL_CODE_BYTES``, once per function: the same bound as a desired file holding all of it
inline. A file named by several functions is read once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from faasdrift.desired.files import MAX_CODE_FILE_BYTES, ReadError, read_utf8, resolve_code_file
from faasdrift.desired.schema import code_text_messages
from faasdrift.desired.yaml_limits import MAX_FILE_BYTES

MAX_TOTAL_CODE_BYTES = MAX_FILE_BYTES
_SUBJECT = "\x00the file\x00"
TOO_MUCH_CODE = (
    f"the functions' code comes to more than {MAX_TOTAL_CODE_BYTES // (1024 * 1024)} MiB "
    "(every code_text, code_file and dependencies counted once per function that uses it), the "
    "limit; split the functions over several desired files"
)


class CodeReader:
    """Reads code files once each, and counts the code of every function of one desired file."""

    def __init__(
        self,
        base_dir: Path,
        *,
        allow_outside_paths: bool = False,
        before_read: Callable[[Path], None] | None = None,
    ) -> None:
        self.base_dir = base_dir
        self.allow_outside_paths = allow_outside_paths
        self.before_read = before_read  # told each path before it is looked at (gate --base-ref)
        self.files: dict[Path, str] = {}  # every code file read, by its real path
        self._messages: dict[Path, list[str]] = {}  # what is wrong with each, checked once
        self.total = 0

    @property
    def exhausted(self) -> bool:
        """Whether the total is over the limit: nothing more is read then."""
        return self.total > MAX_TOTAL_CODE_BYTES

    def count(self, text: str) -> bool:
        """Add ``text`` to the total; True when this is what takes it over the limit."""
        was_exhausted = self.exhausted
        self.total += len(text) if text.isascii() else len(text.encode("utf-8"))
        return self.exhausted and not was_exhausted

    def _read(self, real: Path) -> str:
        if real not in self.files:  # byte-exact, as the API keeps it
            self.files[real] = read_utf8(real, max_bytes=MAX_CODE_FILE_BYTES)
        return self.files[real]

    def load(self, code_file: str, *, name: str) -> tuple[str | None, list[str]]:
        """The code of ``code_file``, or None and why it cannot be used (messages naming the
        file as ``name``: a pull request may name /etc/passwd, or a symlink to it)."""
        if self.before_read is not None:
            self.before_read(self.base_dir / code_file)
        try:
            real = resolve_code_file(
                self.base_dir, code_file, allow_outside=self.allow_outside_paths
            )
            code = self._read(real)
        except ReadError as error:
            line = f" on line {error.position.line}" if error.position else ""
            return None, [f"cannot read {name}: {error.reason}{line}"]
        if real not in self._messages:
            # Checked once per file, with a stand-in for the name each function gives it.
            self._messages[real] = code_text_messages(code, subject=_SUBJECT)
        subject = f"the content of {name}"
        messages = [message.replace(_SUBJECT, subject) for message in self._messages[real]]
        return (None if messages else code), messages
