"""Every format against every case, byte for byte: tests/golden/<format>/<case>.<suffix>.

The faasdrift version is written as @VERSION@ in the golden files, so a release does not touch
them. To change a report on purpose: `python -m tests.golden.update`, then review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from faasdrift import __version__
from faasdrift.report.formats import REPORTER_BY_NAME, ReportOptions, build_reporter
from tests.unit.report.cases import CASES

GOLDEN = Path(__file__).parents[3] / "golden"
VERSION_MARK = "@VERSION@"


def golden_path(format_name: str, case: str) -> Path:
    return GOLDEN / format_name / f"{case}{REPORTER_BY_NAME[format_name].file_suffix}"


def render_case(format_name: str, case: str) -> str:
    text = build_reporter(format_name, ReportOptions()).render(CASES[case])
    return text.replace(f'"{__version__}"', f'"{VERSION_MARK}"')


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("format_name", sorted(REPORTER_BY_NAME))
def test_report_matches_its_golden_file(format_name: str, case: str) -> None:
    path = golden_path(format_name, case)
    assert path.exists(), f"no golden file {path}: run python -m tests.golden.update"
    assert render_case(format_name, case) == path.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_a_case() -> None:
    expected = {golden_path(name, case) for name in REPORTER_BY_NAME for case in CASES}
    found = {path for name in REPORTER_BY_NAME for path in (GOLDEN / name).iterdir()}
    assert found == expected
