"""Desired files as they were at a git commit (``gate --base-ref REF``), read by the normal loader.

Each base path is looked up at the commit as ``git show REF:./PATH`` would (relative to the
current directory), and the files of its folder (the whole tree with ``--allow-outside-paths``)
are laid out in a temporary folder as in the repository: folders, symlinks and desired files at
once, every other file only when the loader is about to read it as a ``code_file``, so the size
of the rest of the tree costs nothing. ``load_all`` reads them from there, so every limit, path
rule and message is the one a checkout of REF would get; messages and reports name them
``REF:path`` (what ``git show`` takes). A file too large to be read is written as a sparse file
just over its limit: the loader refuses it as it would the real one, without a byte of it read.

A path absent at REF, or a folder that holds no desired file there yet, is an empty base (a
first deploy), with a warning. A file the loader read from outside the temporary folder (through
a symlink or ``--allow-outside-paths``) was not read at REF: refused, as a usage error.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from faasdrift.desired.files import MAX_CODE_FILE_BYTES
from faasdrift.desired.git import Blob, GitError, Repository, repository_path
from faasdrift.desired.load import SOURCE_SEPARATOR, YAML_SUFFIXES, expand, load_all
from faasdrift.desired.yaml_limits import MAX_FILE_BYTES
from faasdrift.errors import DesiredFileError
from faasdrift.model import DesiredState, Problem

TOP = PurePosixPath(".")


@dataclass(frozen=True)
class StateAtRef:
    """The desired state at a commit, the commit, and what the run should warn about."""

    state: DesiredState
    commit: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Wanted:
    given: Path  # as the user wrote it
    at: PurePosixPath  # from the top of the repository
    kind: str | None  # "blob", "tree", or None where nothing (or a submodule) is


def load_at_ref(
    paths: Sequence[Path],
    ref: str,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    allow_outside_paths: bool = False,
    protect: Callable[[str], None] | None = None,
) -> StateAtRef:
    """The desired files ``paths`` name, as they were at ``ref``; raises ``GitError`` or
    ``DesiredFileError`` (exit 2)."""
    here = cwd or Path.cwd()
    repository = Repository(here, ref=ref)
    commit = repository.commit()
    wanted = [_look_up(repository, commit, path, here) for path in paths]
    found = [item for item in wanted if item.kind in ("blob", "tree")]
    folders = [TOP] if allow_outside_paths else [_folder(item) for item in found]
    candidates = _candidates(found)
    with (
        tempfile.TemporaryDirectory(prefix="faasdrift-base-") as temp,
        _open(repository, temp) as tree,
    ):
        tree.lay_out(
            repository.blobs(commit, folders), lambda path: _is_desired_file(path, candidates)
        )
        files, warnings = _desired_files(wanted, tree.root, ref)
        if not files:
            source = SOURCE_SEPARATOR.join(f"{ref}:{item.at}" for item in wanted)
            return StateAtRef(DesiredState(source, ()), commit, tuple(warnings))
        state = _load(
            files, tree, ref, environ=environ, allow_outside=allow_outside_paths, protect=protect
        )
    return StateAtRef(state, commit, tuple(warnings))


@contextmanager
def _open(repository: Repository, temp: str) -> Iterator[_Tree]:
    tree = _Tree(repository, Path(temp))
    with tree.objects:
        yield tree


def _look_up(repository: Repository, commit: str, path: Path, cwd: Path) -> _Wanted:
    at = repository_path(path, cwd=cwd, top=repository.top)
    if at is None:
        raise GitError(f"--base-ref: {path} is outside the git repository at {repository.top}")
    kind = repository.kind(commit, at)
    return _Wanted(path, at, kind if kind in ("blob", "tree") else None)


def _folder(item: _Wanted) -> PurePosixPath:
    """What a base path's code files may name without ``--allow-outside-paths``: its folder."""
    return item.at if item.kind == "tree" else item.at.parent


def _candidates(found: Iterable[_Wanted]) -> tuple[set[PurePosixPath], set[PurePosixPath]]:
    """The files named as base paths, and the folders whose YAML files are desired files."""
    files = {item.at for item in found if item.kind == "blob"}
    folders = {item.at for item in found if item.kind == "tree"}
    return files, folders


class _Tree:
    """The files below ``folders`` at ``commit``, laid out under ``root`` as in the repository.

    Folders, symlinks (as a checkout makes them: the loader's rules judge where they lead) and
    the desired files are written at once; every other file only when the loader is about to
    look at it (``write_if_known``), so a folder holding gigabytes next to its desired files
    costs nothing but the few files they name.
    """

    def __init__(self, repository: Repository, root: Path) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.objects = repository.objects()
        self.pending: dict[PurePosixPath, Blob] = {}

    def lay_out(self, blobs: Iterable[Blob], desired: Callable[[PurePosixPath], bool]) -> None:
        for blob in blobs:
            target = _inside(self.root, blob.path)
            if target is None:  # a path no checkout could write ("..", ".git"): as if absent
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if blob.is_symlink:
                os.symlink(os.fsdecode(self.objects.read(blob)), target)
            elif desired(blob.path):
                self._write(blob, target, MAX_FILE_BYTES)
            else:
                self.pending[blob.path] = blob

    def write_if_known(self, path: Path, limit: int = MAX_CODE_FILE_BYTES) -> None:
        """Write the file ``path`` leads to (symlinks followed), if the tree holds one; one over
        ``limit`` (the loader's for what it will read it as) is written sparse, just over it."""
        real = Path(os.path.realpath(path))
        if not real.is_relative_to(self.real_root):
            return
        blob = self.pending.pop(PurePosixPath(real.relative_to(self.real_root).as_posix()), None)
        if blob is not None:
            self._write(blob, real, limit)

    def _write(self, blob: Blob, target: Path, limit: int) -> None:
        if blob.size > limit:  # sparse: costs no disk, and the loader refuses it as too large
            with target.open("wb") as file:
                file.truncate(limit + 1)
        else:
            target.write_bytes(self.objects.read(blob))


def _is_desired_file(
    path: PurePosixPath, candidates: tuple[set[PurePosixPath], set[PurePosixPath]]
) -> bool:
    files, folders = candidates
    return path in files or (path.suffix in YAML_SUFFIXES and path.parent in folders)


def _inside(root: Path, path: PurePosixPath) -> Path | None:
    parts = path.parts
    if not parts or any(part in ("", ".", "..", ".git") for part in parts):
        return None
    return root.joinpath(*parts)


def _desired_files(wanted: Sequence[_Wanted], root: Path, ref: str) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    warnings: list[str] = []
    for item in wanted:
        local = root.joinpath(*item.at.parts)
        if item.kind is None:
            warnings.append(
                f"{ref}:{item.at} does not exist at {ref}: an empty base (a first deploy)"
            )
        elif item.kind == "tree" and not any(
            path.suffix in YAML_SUFFIXES for path in _entries(local)
        ):
            warnings.append(
                f"{ref}:{item.at} holds no *.yaml or *.yml file at {ref}: an empty base "
                "(a first deploy)"
            )
        else:
            files.append(local)
    return files, warnings


def _entries(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.is_dir() else []


def _load(
    files: list[Path],
    tree: _Tree,
    ref: str,
    *,
    environ: Mapping[str, str] | None,
    allow_outside: bool,
    protect: Callable[[str], None] | None,
) -> DesiredState:
    root, real_root = tree.root, tree.real_root

    def display(path: Path) -> str:
        return f"{ref}:{path.relative_to(root).as_posix()}"

    for file in expand(files):  # a desired file that is a symlink out of the tree: not at REF
        tree.write_if_known(file, MAX_FILE_BYTES)
        _refuse_outside(file, real_root, ref)
    try:
        state = load_all(
            files,
            environ=environ,
            allow_outside_paths=allow_outside,
            protect=protect,
            display=display,
            before_read=tree.write_if_known,
        )
    except DesiredFileError as error:
        raise DesiredFileError(
            [_at_ref(problem, root, ref) for problem in error.problems]
        ) from None
    for file in state.files:  # a code file read through a symlink, or --allow-outside-paths
        _refuse_outside(file, real_root, ref)
    return dataclasses.replace(state, files=())  # nothing of the working tree was read


def _refuse_outside(file: Path, real_root: Path, ref: str) -> None:
    real = file.resolve()
    if not real.is_relative_to(real_root):
        raise GitError(
            f"--base-ref {ref!r}: the base files read {real}, which is not in the repository at "
            f"{ref}, so it cannot be read as it was there"
        )


def _at_ref(problem: Problem, root: Path, ref: str) -> Problem:
    """``problem`` naming the files as ``REF:path``, not by the temporary folder."""
    message = problem.message
    for folder in {str(root.resolve()), str(root)}:
        message = message.replace(folder + os.sep, f"{ref}:")
    return dataclasses.replace(problem, message=message)
