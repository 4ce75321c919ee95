"""`import`: the live functions of some namespaces -> a desired file (and its code files).

Settings in, the plan out, no click: the command prints what comes back. It only reads (the client
sends nothing but GETs) and refuses to overwrite files unless forced. Every file is written
atomically and never through a symlink (``outputs``); the live data is redacted of the run's
secrets before anything is written from it. If one GET fails, the requests still in flight are
cancelled and awaited before the client closes, and nothing is written.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from faasdrift.desired.from_live import ImportPlan, LiveFunction, plan_import
from faasdrift.errors import CheckIncompleteError, UsageError
from faasdrift.live.client import GcoreClient
from faasdrift.live.concurrency import Deadline, gather_or_cancel, run_async
from faasdrift.live.connection import ConnectionSettings, build_client
from faasdrift.live.fields import check_compared_fields
from faasdrift.model import COMPARED_FIELDS, Failure, FunctionId, FunctionList, LiveStatus
from faasdrift.outputs import (
    check_outputs,
    refuse_inputs,
    refuse_overwrite,
    refuse_symlinks,
    write_atomically,
)
from faasdrift.secrets import Secrets


@dataclass(frozen=True)
class ImportSettings:
    """Everything an import needs, as plain values; built by the CLI from its options."""

    connection: ConnectionSettings
    project_id: int
    region_id: int
    namespaces: tuple[str, ...]
    names: tuple[str, ...] = ()  # globs; none means every function
    output: Path | None = None  # None: the text goes to stdout
    code_dir: Path | None = None
    force: bool = False


def run_import(
    settings: ImportSettings, environ: Mapping[str, str], secrets: Secrets
) -> ImportPlan:
    """List the namespaces, plan the desired file and write it (and its code files) unless it
    goes to stdout; the caller prints ``plan.text`` then."""
    deadline = settings.connection.start_deadline()
    code_dir = _code_dir(settings)
    if settings.output is not None:  # fail before any request when it cannot be written
        refuse_overwrite(settings.output, force=settings.force)
        if settings.output.parent.is_dir():
            check_outputs([("import -o", settings.output)])
    client = build_client(settings.connection, environ, secrets)
    functions = run_async(_within(deadline, _live_functions(client, settings)))
    plan = plan_import(secrets.redact_data(functions), code_dir=code_dir)
    base = settings.output.parent if settings.output else Path()
    files = [(base / file.path, file.text) for file in plan.code_files]
    for path, _ in files:
        refuse_overwrite(path, force=settings.force)
        refuse_symlinks(path, what="import")  # before a folder is made through one
        _make_folder(path.parent)
    targets = [("import", path) for path, _ in files]
    if settings.output is not None:
        _make_folder(settings.output.parent)
        targets.append(("import -o", settings.output))
    key_files = (settings.connection.api_key_file, settings.connection.ca_bundle)
    refuse_inputs(check_outputs(targets), key_files)  # also: no two of them are one file
    for path, text in files:
        write_atomically(path, text, what="import")  # byte-exact: no \r\n
    if settings.output is not None:
        write_atomically(settings.output, plan.text, what="import -o")
    return plan


async def _within(deadline: Deadline, work: Any) -> list[LiveFunction]:
    try:
        result: list[LiveFunction] = await asyncio.wait_for(work, deadline.remaining())
    except asyncio.TimeoutError:
        raise CheckIncompleteError(
            f"the run's deadline (--deadline {deadline.seconds:g} s) passed before the import "
            "was complete; nothing was written"
        ) from None
    return result


def _code_dir(settings: ImportSettings) -> str | None:
    """--code-dir relative to the desired file's folder, which a check requires it to be in."""
    if settings.code_dir is None:
        return None
    base = (settings.output.parent if settings.output else Path()).resolve()
    relative = Path(os.path.relpath(settings.code_dir.resolve(), base))
    if relative.parts[:1] == ("..",):
        raise UsageError(f"--code-dir {settings.code_dir} must be inside the folder of {base}")
    return relative.as_posix()


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create the folder {folder}: {error.strerror}") from error


async def _live_functions(client: GcoreClient, settings: ImportSettings) -> list[LiveFunction]:
    async with client:
        where = (settings.project_id, settings.region_id)
        listings = await gather_or_cancel(
            *(client.list_functions(*where, namespace) for namespace in settings.namespaces)
        )
        wanted = [
            LiveFunction(*where, namespace, item)
            for namespace, listing in zip(settings.namespaces, listings, strict=True)
            for item in _listed(namespace, listing)
            if _selected(str(item["name"]), settings.names)
        ]
        return await gather_or_cancel(*(_complete(client, fn) for fn in wanted))


def _listed(namespace: str, listing: FunctionList | Failure) -> Sequence[Mapping[str, Any]]:
    if isinstance(listing, Failure):
        raise CheckIncompleteError(f"could not list namespace {namespace}: {listing.reason}")
    if listing.missing_reason is not None:  # a --namespace that names nothing: the user's to fix
        raise UsageError(f"--namespace {namespace}: {listing.missing_reason}")
    if not listing.complete:
        raise CheckIncompleteError(
            f"the list of namespace {namespace} contradicted itself (it may have changed while"
            " it was read); try again"
        )
    return [listing.items[name] for name in sorted(listing.items)]


def _selected(name: str, globs: Sequence[str]) -> bool:
    return not globs or any(fnmatchcase(name, glob) for glob in globs)


async def _complete(client: GcoreClient, fn: LiveFunction) -> LiveFunction:
    """``fn`` with every compared field: a list may abbreviate items, a GET does not."""
    identity = FunctionId(fn.project_id, fn.region_id, fn.namespace, fn.name)
    data = fn.data
    if any(field not in data for field in COMPARED_FIELDS):
        result = await client.fetch_function(identity, ())
        if result.status is not LiveStatus.FOUND or result.data is None:
            reason = result.reason or "deleted while it was imported"
            raise CheckIncompleteError(f"cannot import {identity.label}: {reason}")
        data = result.data
    present = [field for field in COMPARED_FIELDS if field in data]
    problem = check_compared_fields(data, present)
    if problem is not None:  # a file written from it would not even validate
        raise CheckIncompleteError(f"cannot import {identity.label}: {problem}")
    return LiveFunction(fn.project_id, fn.region_id, fn.namespace, data)
