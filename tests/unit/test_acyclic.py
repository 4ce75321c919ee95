"""The cyclic collector paused while acyclic data is built, and a large lasting build frozen."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from faasdrift import acyclic
from faasdrift.acyclic import building_acyclic_data, builds_long_lived_data
from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    """Each test starts with nothing frozen and the collector on, and leaves it so."""
    gc.unfreeze()
    enabled = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable() if enabled else gc.disable()


def build(count: int) -> list[list[int]]:
    return [[index] for index in range(count)]  # each inner list: one object the collector tracks


def test_no_collection_inside_and_the_collector_back_on_after() -> None:
    with building_acyclic_data():
        assert not gc.isenabled()
        with building_acyclic_data():
            pass
        assert not gc.isenabled()  # the inner one leaves restoring to the outer one
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    with building_acyclic_data(long_lived=True):
        kept = build(2 * acyclic.FREEZE_ABOVE)
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0  # whoever switched it off decides
    assert kept


def test_a_large_lasting_build_is_frozen_a_small_one_is_not() -> None:
    with building_acyclic_data(long_lived=True):
        small = build(acyclic.FREEZE_ABOVE // 10)
    assert gc.get_freeze_count() == 0
    with building_acyclic_data(long_lived=True):
        large = build(2 * acyclic.FREEZE_ABOVE)
    assert gc.get_freeze_count() >= len(large)
    assert gc.isenabled()
    assert small


def test_a_build_not_kept_is_never_frozen() -> None:
    with building_acyclic_data():  # a list page: read, then dropped
        page = build(2 * acyclic.FREEZE_ABOVE)
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    assert page


def test_a_build_that_fails_is_not_frozen() -> None:
    @builds_long_lived_data
    def failing() -> None:
        kept = build(2 * acyclic.FREEZE_ABOVE)
        raise ValueError(len(kept))

    with pytest.raises(ValueError, match=str(2 * acyclic.FREEZE_ABOVE)):
        failing()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_a_desired_file_is_frozen_once_loaded_only_when_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desired = tmp_path / "desired.yaml"
    lines = [f"  - {{name: fn-{index}, envs: {{A: x}}}}" for index in range(50)]
    head = "defaults: {project_id: 1, region_id: 1, namespace: ns}\nfunctions:\n"
    desired.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    assert len(load_desired(desired).functions) == 50
    assert gc.get_freeze_count() == 0  # 50 functions: far below the bound

    monkeypatch.setattr(acyclic, "FREEZE_ABOVE", 200)
    state = load_desired(desired)
    assert gc.get_freeze_count() > 0
    dropped = weakref.ref(state.functions[0])
    del state
    assert dropped() is None  # frozen, and still freed by reference counting once dropped

    gc.unfreeze()
    desired.write_text(head + "\n".join(lines) + "\n  - {name: fn-1}\n", encoding="utf-8")
    with pytest.raises(DesiredFileError, match="duplicate function ns/fn-1"):
        load_desired(desired)
    assert gc.get_freeze_count() == 0
