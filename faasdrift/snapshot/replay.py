"""A snapshot as the live source of a check (``check --live FILE``): no network, no API key.

It answers the fetch stage as the client would, so the drift and exit code are those the live
run would have given when the snapshot was taken. A secret saved as a digest is given back as
the desired value when their digests match, else as a value that differs from it: the verdict
is the same and the secret itself was never saved.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from faasdrift.live.answers import error_result
from faasdrift.live.fields import check_compared_fields
from faasdrift.model import DesiredState, Failure, FunctionId, FunctionList, LiveResult, LiveStatus
from faasdrift.secrets import REDACTED
from faasdrift.snapshot.format import DIGEST_KEY
from faasdrift.snapshot.store import Snapshot


class SnapshotSource:
    """Implements ``fetch.LiveApi`` from a loaded snapshot, for the functions of ``state``."""

    def __init__(self, snapshot: Snapshot, state: DesiredState) -> None:
        self._snapshot = snapshot
        self._declared = {function.identity: function.fields for function in state.functions}

    async def __aenter__(self) -> SnapshotSource:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    @property
    def retries(self) -> int:
        return 0  # nothing is requested

    async def fetch_function(self, identity: FunctionId, fields: Collection[str]) -> LiveResult:
        result = self._snapshot.lookup(identity)
        if result.status is not LiveStatus.FOUND or result.data is None:
            return result
        # Taken for a file that declared fewer fields, it may not hold one: that is not a null.
        absent = [name for name in fields if name not in result.data]
        if absent:
            reason = f"the snapshot does not hold field {absent[0]} (take it again from this file)"
            return error_result(identity, reason)
        data = self._revealed(result.data, self._declared.get(identity, {}))
        problem = check_compared_fields(data, fields, absent_means_null=False)
        if problem is not None:
            return error_result(identity, problem)
        return LiveResult(identity=identity, status=LiveStatus.FOUND, data=data)

    async def namespace_exists(
        self, project_id: int, region_id: int, namespace: str
    ) -> bool | None:
        return None  # a missing function's reason is in the snapshot (``lookup``), if it had one

    async def list_functions(
        self, project_id: int, region_id: int, namespace: str
    ) -> FunctionList | Failure:
        # Asked only for --unmanaged: then only a complete listing can tell what is unmanaged.
        space = self._snapshot.namespaces.get((project_id, region_id, namespace))
        if space is None or not space.complete:
            reason = (
                f"the snapshot holds no complete list of {namespace} (take it with --unmanaged)"
            )
            return Failure(reason)
        return FunctionList(items=dict(space.functions), complete=True)

    def _revealed(self, data: Mapping[str, Any], declared: Mapping[str, Any]) -> dict[str, Any]:
        """``data`` with each digest (a field or an env value) given back as described above."""
        revealed = {name: self._value(value, declared.get(name)) for name, value in data.items()}
        envs, wanted = revealed.get("envs"), declared.get("envs")
        if not isinstance(envs, dict):
            return revealed
        wanted = wanted if isinstance(wanted, dict) else {}
        revealed["envs"] = {name: self._value(envs[name], wanted.get(name)) for name in envs}
        return revealed

    def _value(self, saved: Any, wanted: Any) -> Any:
        if not (isinstance(saved, dict) and DIGEST_KEY in saved):
            return saved
        if isinstance(wanted, str) and self._snapshot.digest(wanted) == saved[DIGEST_KEY]:
            return wanted
        return REDACTED if wanted != REDACTED else REDACTED * 2  # anything but the desired value
