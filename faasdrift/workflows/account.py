"""`import` and `snapshot`: read the live account through the client, write files from it.

Kept out of the click layer like ``check``: the commands build the settings, call these, print.
Both only read (the client sends nothing but GETs) and refuse to overwrite files unless forced.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from faasdrift.desired.from_live import ImportPlan, LiveFunction, plan_import
from faasdrift.desired.load import load_all
from faasdrift.errors import CheckIncompleteError, UsageError
from faasdrift.live.answers import Failure, FunctionList, check_compared_fields
from faasdrift.live.client import GcoreClient
from faasdrift.live.fetch import Progress, fetch_live
from faasdrift.model import COMPARED_FIELDS, FunctionId, LiveStatus
from faasdrift.snapshot.store import Snapshot, save_snapshot
from faasdrift.workflows.check import CheckSettings, build_client


@dataclass(frozen=True)
class ImportSettings:
    connection: CheckSettings  # base URL, key file, timeouts, retries (its ``desired`` is unused)
    project_id: int
    region_id: int
    namespaces: tuple[str, ...]
    names: tuple[str, ...] = ()  # globs; none means every function
    output: Path | None = None  # None: the text goes to stdout
    code_dir: Path | None = None
    force: bool = False


def run_import(
    settings: ImportSettings, environ: Mapping[str, str], protect: Callable[[str], None]
) -> ImportPlan:
    """List the namespaces, plan the desired file and write it (and its code files) unless it
    goes to stdout; the caller prints ``plan.text`` then."""
    code_dir = _code_dir(settings)
    _refuse_overwrite(settings.output, settings.force)
    client = build_client(settings.connection, environ, protect)
    functions = asyncio.run(_live_functions(client, settings))
    plan = plan_import(functions, code_dir=code_dir)
    base = settings.output.parent if settings.output else Path()
    for file in plan.code_files:
        _refuse_overwrite(base / file.path, settings.force)
    for file in plan.code_files:
        _write(base / file.path, file.text)
    if settings.output is not None:
        _write(settings.output, plan.text)
    return plan


def _code_dir(settings: ImportSettings) -> str | None:
    """--code-dir relative to the desired file's folder, which a check requires it to be in."""
    if settings.code_dir is None:
        return None
    base = (settings.output.parent if settings.output else Path()).resolve()
    relative = Path(os.path.relpath(settings.code_dir.resolve(), base))
    if relative.parts[:1] == ("..",):
        raise UsageError(f"--code-dir {settings.code_dir} must be inside the folder of {base}")
    return relative.as_posix()


def _refuse_overwrite(path: Path | None, force: bool) -> None:
    if path is not None and path.exists() and not force:
        raise UsageError(f"{path} exists; pass --force to overwrite it")


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as file:  # byte-exact: no \r\n
            file.write(text)
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from error


async def _live_functions(client: GcoreClient, settings: ImportSettings) -> list[LiveFunction]:
    async with client:
        where = (settings.project_id, settings.region_id)
        listings = await asyncio.gather(
            *(client.list_functions(*where, namespace) for namespace in settings.namespaces)
        )
        wanted = [
            LiveFunction(*where, namespace, item)
            for namespace, listing in zip(settings.namespaces, listings, strict=True)
            for item in _listed(namespace, listing)
            if _selected(str(item["name"]), settings.names)
        ]
        return list(await asyncio.gather(*(_complete(client, fn) for fn in wanted)))


def _listed(namespace: str, listing: FunctionList | Failure) -> Sequence[Mapping[str, Any]]:
    if isinstance(listing, Failure):
        raise CheckIncompleteError(f"could not list namespace {namespace}: {listing.reason}")
    if not listing.complete:
        raise CheckIncompleteError(
            f"the list of namespace {namespace} changed while it was read; try again"
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


@dataclass(frozen=True)
class SnapshotSummary:
    found: int
    missing: int
    not_checked: int
    namespaces_listed: int  # complete listings kept (--unmanaged)


def take_snapshot(
    settings: CheckSettings,
    output: Path,
    *,
    unmanaged: bool,
    environ: Mapping[str, str],
    protect: Callable[[str], None],
    on_progress: Progress | None = None,
) -> SnapshotSummary:
    """Fetch what ``settings.desired`` declares (as check does) and save it to ``output``."""
    state = load_all(
        settings.desired_paths,
        environ=environ,
        allow_outside_paths=settings.allow_outside_paths,
    )
    client = build_client(settings, environ, protect)
    fetched = fetch_live(
        state,
        client,
        mode=settings.fetch_mode,
        concurrency=settings.concurrency,
        on_progress=on_progress,
        list_all=unmanaged,
    )
    taken_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    snapshot = Snapshot.new(
        taken_at=taken_at, base_url=settings.base_url, desired=settings.display_name
    )
    for function in state.functions:
        snapshot.record(fetched.live[function.identity], function.sensitive)
    listed = 0
    for key, listing in sorted(fetched.listings.items()) if unmanaged else ():
        if isinstance(listing, FunctionList) and listing.complete:  # else "missing" is unknown
            snapshot.record_listing(key, listing.items.values())
            listed += 1
    save_snapshot(snapshot, output)
    statuses = [fetched.live[function.identity].status for function in state.functions]
    return SnapshotSummary(
        found=statuses.count(LiveStatus.FOUND),
        missing=statuses.count(LiveStatus.MISSING),
        not_checked=statuses.count(LiveStatus.ERROR),
        namespaces_listed=listed,
    )
