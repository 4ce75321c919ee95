"""Every format against every gate case, byte for byte: tests/golden/gate/<format>/<case>.<suffix>.

To change a report on purpose: `python -m tests.golden.update`, then review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from faasdrift import __version__
from faasdrift.report.formats import (
    GATE_REPORTER_BY_NAME,
    REPORTER_BY_NAME,
    ReportOptions,
    render,
)
from tests.unit.report.formats.test_golden import GOLDEN, VERSION_MARK
from tests.unit.report.gate_cases import GATE_CASES

GATE_GOLDEN = GOLDEN / "gate"


def gate_golden_path(format_name: str, case: str) -> Path:
    return GATE_GOLDEN / format_name / f"{case}{REPORTER_BY_NAME[format_name].file_suffix}"


def render_gate_case(format_name: str, case: str) -> str:
    text = render(format_name, ReportOptions(), GATE_CASES[case])
    return text.replace(f'"{__version__}"', f'"{VERSION_MARK}"')


def test_every_format_of_check_exists_for_the_gate_by_the_same_name() -> None:
    assert list(GATE_REPORTER_BY_NAME) == list(REPORTER_BY_NAME)
    for name, reporter in GATE_REPORTER_BY_NAME.items():
        assert issubclass(reporter, REPORTER_BY_NAME[name])  # its suffix, its guarantees


@pytest.mark.parametrize("case", sorted(GATE_CASES))
@pytest.mark.parametrize("format_name", sorted(REPORTER_BY_NAME))
def test_gate_report_matches_its_golden_file(format_name: str, case: str) -> None:
    path = gate_golden_path(format_name, case)
    assert path.exists(), f"no golden file {path}: run python -m tests.golden.update"
    assert render_gate_case(format_name, case) == path.read_text(encoding="utf-8")


def test_every_gate_golden_file_belongs_to_a_case() -> None:
    expected = {gate_golden_path(name, case) for name in REPORTER_BY_NAME for case in GATE_CASES}
    found = {path for name in REPORTER_BY_NAME for path in (GATE_GOLDEN / name).iterdir()}
    assert found == expected
