"""The gate's orchestration: both states loaded, one fetch, the run built with its exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from faasdrift.errors import DesiredFileError, ExitCode, UsageError
from faasdrift.judge.gate import GateJudging, before_gate
from faasdrift.live.fetch import FetchMode
from faasdrift.model import DesiredState, GateClass
from faasdrift.secrets import Secrets
from faasdrift.workflows.gate import GateSettings, gate, load_states, run_gate
from tests.unit.workflows.test_check import FakeSource, declared, found

DEFAULTS = {"project_id": 1, "region_id": 1, "namespace": "ns"}


def test_each_function_is_asked_for_once_with_the_fields_of_both_states() -> None:
    base = DesiredState("base.yaml", (declared("a", timeout=5), declared("gone", timeout=5)))
    new = DesiredState("new.yaml", (declared("a", flavor="x"), declared("b", timeout=5)))
    source = FakeSource(
        {
            "a": found("a", timeout=9, flavor="x"),
            "b": found("b", timeout=5),
            "gone": found("gone", timeout=5),
        },
        retries=2,
    )
    prepared = before_gate(base, new, GateJudging())

    run = run_gate(prepared, source, fetch_mode=FetchMode.PER_FUNCTION, concurrency=1)

    assert source.asked == [
        ("a", ("timeout", "flavor")),
        ("b", ("timeout",)),
        ("gone", ("timeout",)),
    ]
    assert {f.identity.name: f.gate_class for f in run.result.functions} == {
        "a": GateClass.RELEASED,  # timeout is no longer declared; flavor is as live
        "b": GateClass.ADOPTED,  # live already, declared as it is
        "gone": GateClass.DELETE,
    }
    assert run.exit_code == ExitCode.IN_SYNC
    assert run.retries == 2


def write(folder: Path, name: str, content: object) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return path


def test_the_problems_of_both_states_are_reported_together(tmp_path: Path) -> None:
    bad = {"defaults": DEFAULTS, "functions": [{"name": "hello", "timeout": 500}]}
    new, base = write(tmp_path, "new.yaml", bad), write(tmp_path, "base.yaml", bad)
    settings = GateSettings(new=(new,), base=(base,))

    with pytest.raises(DesiredFileError) as caught:
        load_states(settings, {}, Secrets())

    assert [problem.source for problem in caught.value.problems] == [str(base), str(new)]


def test_a_gate_needs_a_base(tmp_path: Path) -> None:
    new = write(tmp_path, "new.yaml", {"defaults": DEFAULTS, "functions": []})
    with pytest.raises(UsageError, match="--base PATH or --base-ref REF"):
        gate(GateSettings(new=(new,)), {}, Secrets())
