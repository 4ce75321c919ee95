"""What a git repository holds at a commit, asked of ``git`` itself: for ``gate --base-ref REF``.

``git`` runs with a fixed argv and no shell, never prompts, takes no optional locks and runs no
filters (``cat-file --batch`` gives blobs as committed). It only reads. Every way it can fail
(not installed, not a repository, a ref it does not know, a shallow clone without the ref) is a
``GitError``: a usage error (exit 2) that names the ref and says what to do.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from faasdrift.errors import UsageError
from faasdrift.text import printable

_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
SUBMODULE_MODE = "160000"
SYMLINK_MODE = "120000"


class GitError(UsageError):
    """``--base-ref`` cannot be read: no git, no repository, no such commit (exit 2)."""


@dataclass(frozen=True)
class Blob:
    """A file in the tree: its path from the top of the repository, mode, object and size."""

    path: PurePosixPath
    mode: str
    object: str
    size: int

    @property
    def is_symlink(self) -> bool:
        return self.mode == SYMLINK_MODE


class Repository:
    """The git repository ``cwd`` is in; ``git`` runs at its top, so paths are from there."""

    def __init__(self, cwd: Path, *, ref: str) -> None:
        self.ref = ref
        self.cwd = cwd
        self.top = Path(self._git(["rev-parse", "--show-toplevel"], where=cwd).strip())

    def commit(self) -> str:
        """The commit ``ref`` names; ``GitError`` saying how to get it when there is none."""
        if self.ref.startswith("-") or not self.ref.strip():
            raise GitError(f"--base-ref {self.ref!r} is not a git revision")
        try:
            return self._git(["rev-parse", "--verify", "--quiet", f"{self.ref}^{{commit}}"]).strip()
        except GitError:
            pass
        shallow = self._git(["rev-parse", "--is-shallow-repository"]).strip() == "true"
        hint = (
            "this clone is shallow: fetch the ref first (actions/checkout: fetch-depth: 0; "
            "GitLab: GIT_DEPTH: 0; or git fetch origin <branch>)"
            if shallow
            else "is it fetched? (git fetch origin <branch>)"
        )
        raise GitError(f"--base-ref {self.ref!r}: no such commit in {self.top}; {hint}")

    def kind(self, commit: str, path: PurePosixPath) -> str | None:
        """``blob``, ``tree`` (``commit`` for a submodule), or None where nothing is."""
        if str(path) == ".":
            return "tree"
        try:
            return self._git(["cat-file", "-t", f"{commit}:{path}"]).strip()
        except GitError:
            return None

    def blobs(self, commit: str, folders: Iterable[PurePosixPath]) -> list[Blob]:
        """Every file below ``folders`` at ``commit``, once each (submodules are not files)."""
        specs = [str(folder) for folder in folders]
        args = ["--literal-pathspecs", "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--"]
        listing = self._git_bytes([*args, *specs])
        found = {blob.path: blob for blob in _parse_tree(listing)}
        return list(found.values())

    def objects(self) -> ObjectReader:
        """A reader of blobs by object id, one ``git cat-file --batch`` for all (close it)."""
        try:
            process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, **_GIT_ENV},
            )
        except OSError as error:
            raise GitError(f"--base-ref: cannot run git: {error.strerror}") from None
        return ObjectReader(process, self.ref)

    def _git(self, args: list[str], *, where: Path | None = None) -> str:
        return os.fsdecode(self._git_bytes(args, where=where))

    def _git_bytes(
        self, args: list[str], *, where: Path | None = None, stdin: bytes | None = None
    ) -> bytes:
        argv = ["git", *args]
        try:
            done = subprocess.run(
                argv,
                cwd=where or self.top,
                input=stdin,
                capture_output=True,
                env={**os.environ, **_GIT_ENV},
                check=False,
            )
        except FileNotFoundError:
            raise GitError(
                "--base-ref needs git, which is not installed (or not on PATH)"
            ) from None
        except OSError as error:
            raise GitError(f"--base-ref: cannot run git: {error.strerror}") from None
        if done.returncode != 0:
            said = os.fsdecode(done.stderr).strip().splitlines()
            detail = printable(said[0]) if said else f"git exited {done.returncode}"
            if where is not None:
                raise GitError(
                    f"--base-ref needs a git repository: {printable(str(where))}: {detail}"
                )
            raise GitError(f"--base-ref {self.ref!r}: {detail}")
        return done.stdout


class ObjectReader:
    """Blobs read one at a time, as they are needed, from one ``git cat-file --batch``: only
    what is asked for is ever in memory, however large the rest of the tree."""

    def __init__(self, process: subprocess.Popen[bytes], ref: str) -> None:
        self._process = process
        self._ref = ref

    def read(self, blob: Blob) -> bytes:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None
        assert stdout is not None
        try:
            stdin.write(f"{blob.object}\n".encode())
            stdin.flush()
            header = stdout.readline().split()
        except OSError:
            header = []
        if len(header) != 3:  # "<object> missing": a partial clone that cannot fetch it
            raise GitError(f"--base-ref {self._ref!r}: git has no object for {blob.path}")
        data = stdout.read(int(header[2]))
        stdout.read(1)  # the newline after each object
        return data

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def __enter__(self) -> ObjectReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _parse_tree(listing: bytes) -> Iterator[Blob]:
    """``<mode> <type> <object> <size>\\t<path>`` entries, NUL-terminated (``ls-tree -z -l``)."""
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, obj, size = meta.decode().split()
        if kind != "blob" or mode == SUBMODULE_MODE:
            continue
        yield Blob(PurePosixPath(os.fsdecode(name)), mode, obj, int(size))


def repository_path(path: Path, *, cwd: Path, top: Path) -> PurePosixPath | None:
    """``path`` (as given: relative to ``cwd``) from the top of the repository, as ``git show
    REF:./PATH`` reads it; None when it lies outside the repository. Symlinks in its folders are
    followed, as the shell's path to the working tree does; the last part is kept as written."""
    absolute = Path(os.path.abspath(cwd / path))
    folder = Path(os.path.realpath(absolute.parent))
    name = absolute.name
    real_top = Path(os.path.realpath(top))
    full = folder / name if name else folder
    try:
        relative = full.relative_to(real_top)
    except ValueError:
        return None
    return PurePosixPath(relative.as_posix())
