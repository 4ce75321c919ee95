"""Compare declared functions with their live state. The only module that imports deepdiff.

Only the fields a function declares are compared, and each declared value is complete: a declared
``envs`` is the whole map, so an env var set live but not declared is drift. Comparison is exact
(like Terraform) with two deliberate exceptions, both about representation rather than meaning:

* ``code_text`` and ``dependencies`` drop ONE trailing newline from each side before comparing,
  because a YAML ``|`` block adds one the user never meant to deploy (so ``x`` equals ``x\n``, but
  ``x\n`` does not equal ``x\n\n``); ``strict=True`` turns this off.
* numbers compare by value (``5`` equals ``5.0``: JSON has a single number type), but a boolean
  never equals a number and a string never equals anything but a string.

Where the API's null (or a field it leaves out) means "none", it equals the declared empty value:
``envs: null`` is ``{}``, ``enable_api_key`` and ``disabled`` null are ``false``, ``keys`` null is
``[]``. ``keys`` is a set: order and repeats are not meaningful, and each key is its own change.

deepdiff output is turned into ``Change`` records right here; no deepdiff type leaves this module.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

from faasdrift.model import (
    COMPARED_FIELDS,
    Change,
    ChangeKind,
    DesiredFunction,
    DesiredState,
    DriftResult,
    FunctionId,
    FunctionResult,
    FunctionStatus,
    LiveResult,
    LiveStatus,
)
from faasdrift.secrets import is_sensitive_env

NEWLINE_TOLERANT_FIELDS = frozenset({"code_text", "dependencies"})
# What null (or an absent field) means: the API returns null for a function without envs, and
# null is its default for enable_api_key; disabled and keys are left out or null when unset.
NULL_MEANS: Mapping[str, Any] = {"envs": {}, "enable_api_key": False, "disabled": False, "keys": []}
# Lists whose order and repeats mean nothing: compared as sets, one change per member.
SET_FIELDS = frozenset({"keys"})
_SCALARS = frozenset({str, int, float})  # each equal to its own type as ``_same`` has it

# deepdiff compares live (t1) to desired (t2): "added" is declared but not live, and so on.
_KIND_BY_REPORT: Mapping[str, ChangeKind] = {
    "values_changed": ChangeKind.CHANGED,
    "type_changes": ChangeKind.CHANGED,
    "dictionary_item_added": ChangeKind.ADDED,
    "dictionary_item_removed": ChangeKind.REMOVED,
    "iterable_item_added": ChangeKind.ADDED,
    "iterable_item_removed": ChangeKind.REMOVED,
}

# One difference before it becomes a Change: (path, kind, desired value, live value).
_Diff = tuple[str, ChangeKind, Any, Any]


def compare_all(
    state: DesiredState, live: Mapping[FunctionId, LiveResult], *, strict: bool = False
) -> DriftResult:
    """Compare every declared function with its live result, in desired-file order."""
    results = tuple(_compare_entry(desired, live, strict) for desired in state.functions)
    return DriftResult(source=state.source, functions=results)


def _compare_entry(
    desired: DesiredFunction, live: Mapping[FunctionId, LiveResult], strict: bool
) -> FunctionResult:
    result = live.get(desired.identity)
    if result is None:  # the fetch stage skipped it (e.g. the run was cut short)
        return _not_checked(desired, "live state was not fetched", desired.source)
    # Several desired files may be checked at once: each verdict names its own.
    return compare_function(
        desired, result, strict=strict, sensitive_names=desired.sensitive, source=desired.source
    )


def compare_function(
    desired: DesiredFunction,
    live: LiveResult,
    *,
    strict: bool = False,
    sensitive_names: Collection[str] = (),
    source: str = "",
) -> FunctionResult:
    """Compare one declared function with what the API said about it.

    ``sensitive_names`` adds env var names whose values must be hidden, beyond the name pattern;
    ``source`` is the desired file the verdict names.
    """
    if live.status is LiveStatus.MISSING:  # with why, when its namespace does not exist either
        status = FunctionStatus.MISSING
        return FunctionResult(
            desired.identity, status, desired.position, reason=live.reason, source=source
        )
    if live.status is LiveStatus.ERROR or live.data is None:
        return _not_checked(desired, live.reason or "no live data", source)
    changes = sorted(_changes(desired, live.data, strict, sensitive_names), key=_change_rank)
    status = FunctionStatus.DRIFTED if changes else FunctionStatus.IN_SYNC
    return FunctionResult(desired.identity, status, desired.position, tuple(changes), source=source)


def _not_checked(desired: DesiredFunction, reason: str, source: str = "") -> FunctionResult:
    status = FunctionStatus.NOT_CHECKED
    return FunctionResult(desired.identity, status, desired.position, reason=reason, source=source)


def _changes(
    desired: DesiredFunction, live: Mapping[str, Any], strict: bool, hidden_names: Collection[str]
) -> Iterator[Change]:
    for field, wanted in desired.fields.items():
        # An absent field can only be a nullable one here: the client refuses any other absence.
        # A set member from ${VAR} would show in its change's path: such a set changes as a whole.
        whole = _touches(field, desired.sensitive_paths)
        for path, kind, want, have in _field_diffs(field, wanted, live.get(field), strict, whole):
            yield Change(
                path=path,
                kind=kind,
                desired=want,
                live=have,
                position=desired.position_of(path),
                sensitive=is_hidden(path, (want, have), hidden_names, desired.sensitive_paths),
            )


def _field_diffs(
    field: str, desired: Any, live: Any, strict: bool, whole: bool = False
) -> list[_Diff]:
    """The differences in one declared field; most fields are equal, so that check is first."""
    if type(desired) is type(live) and desired == live and _flat(desired) and _flat(live):
        return []  # what _same says of them, in one step
    desired_value, live_value = _comparable(field, desired), _comparable(field, live)
    if field in NEWLINE_TOLERANT_FIELDS and not strict:
        desired_value, live_value = _drop_one_newline(desired_value), _drop_one_newline(live_value)
    if _same(desired_value, live_value):
        return []
    if field in SET_FIELDS and not whole and _is_list(desired_value) and _is_list(live_value):
        return list(_set_diffs(field, desired_value, live_value))
    if isinstance(desired_value, Mapping) and isinstance(live_value, Mapping):
        return list(_mapping_diffs(field, desired_value, live_value))
    return [(field, ChangeKind.CHANGED, desired, live)]  # the original values, newlines and all


def _comparable(field: str, value: Any) -> Any:
    if value is None and field in NULL_MEANS:
        value = NULL_MEANS[field]
    if field in SET_FIELDS and _is_list(value):
        return sorted(set(value), key=str)  # the API's key names are strings; str() is a guard
    return value


def _set_diffs(field: str, desired: Sequence[Any], live: Sequence[Any]) -> Iterator[_Diff]:
    wanted, have = set(desired), set(live)
    for member in sorted(wanted - have, key=str):
        yield (f"{field}.{member}", ChangeKind.ADDED, member, None)
    for member in sorted(have - wanted, key=str):
        yield (f"{field}.{member}", ChangeKind.REMOVED, None, member)


def _mapping_diffs(
    field: str, desired: Mapping[str, Any], live: Mapping[str, Any]
) -> Iterator[_Diff]:
    # Imported here: deepdiff costs ~50 ms to import, and only a mapping that differs needs it.
    from deepdiff import DeepDiff  # noqa: PLC0415
    from deepdiff.helper import notpresent  # noqa: PLC0415

    # threshold_to_diff_deeper=0: key by key, never a mostly-different map as one whole change.
    tree = DeepDiff(_plain(live), _plain(desired), view="tree", threshold_to_diff_deeper=0)
    for report, levels in tree.items():
        kind = _KIND_BY_REPORT.get(report, ChangeKind.CHANGED)
        for level in levels:
            want, have = (None if side is notpresent else side for side in (level.t2, level.t1))
            if kind is ChangeKind.CHANGED and _same(want, have):
                continue  # a type change deepdiff sees but we don't, e.g. 5 vs 5.0
            keys = level.path(output_format="list")
            yield (".".join([field, *map(str, keys)]), kind, want, have)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: exact, except that int and float compare by value (bool is not a number)."""
    # A string (the most frequent) equals only a string, a boolean only a boolean.
    if type(a) is str or type(b) is str or isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(value, b[key]) for key, value in a.items())
    if _is_list(a) and _is_list(b):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _flat(value: Any) -> bool:
    """A string, a number, or a dict of them: where ``==`` is ``_same`` (no bool to equal 1)."""
    kind = type(value)
    return kind in _SCALARS or (kind is dict and all(type(v) in _SCALARS for v in value.values()))


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _plain(value: Any) -> Any:
    """``value`` as plain dicts and lists, so deepdiff never reports a container type change."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if _is_list(value):
        return [_plain(item) for item in value]
    return value


def _drop_one_newline(value: Any) -> Any:
    return value[:-1] if isinstance(value, str) and value.endswith("\n") else value


def is_hidden(
    path: str, values: Iterable[Any], names: Collection[str], secret_paths: Collection[str]
) -> bool:
    """Whether a change at ``path`` between ``values`` may show none of them (``gate`` asks too):
    an env var with a sensitive name or one of ``names``, or a value from ``${VAR}``."""
    return _is_sensitive(path, values, names) or _touches(path, secret_paths)


def _is_sensitive(path: str, values: Iterable[Any], extra_names: Collection[str]) -> bool:
    field, _, rest = path.partition(".")
    if field != "envs":
        return False
    # A whole-envs change carries every value: hide it if any of its names is sensitive.
    whole = [str(key) for value in values if isinstance(value, Mapping) for key in value]
    names = [rest.split(".")[0]] if rest else whole
    return any(is_sensitive_env(name, extra_names) for name in names)


def _touches(path: str, secret_paths: Collection[str]) -> bool:
    """Whether a change at ``path`` shows a value that came from the environment: the value
    itself, one inside it (a whole ``envs`` change) or the one it is part of."""
    return any(
        path == secret or path.startswith(f"{secret}.") or secret.startswith(f"{path}.")
        for secret in secret_paths
    )


def _change_rank(change: Change) -> tuple[int, str]:
    field = change.path.split(".")[0]
    index = COMPARED_FIELDS.index(field) if field in COMPARED_FIELDS else len(COMPARED_FIELDS)
    return (index, change.path)
