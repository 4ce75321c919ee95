"""Rewrite the golden report files from tests/unit/report/cases.py and gate_cases.py.

    .venv/bin/python -m tests.golden.update

Then read `git diff tests/golden` line by line before committing: a golden file is only worth
something if a person has checked it is right.
"""

from __future__ import annotations

from faasdrift.report.formats import REPORTER_BY_NAME
from tests.unit.report.cases import CASES
from tests.unit.report.formats.test_gate_golden import gate_golden_path, render_gate_case
from tests.unit.report.formats.test_golden import GOLDEN, golden_path, render_case
from tests.unit.report.gate_cases import GATE_CASES


def main() -> None:
    for name in REPORTER_BY_NAME:
        for case in CASES:
            path = golden_path(name, case)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_case(name, case), encoding="utf-8")
        for case in GATE_CASES:
            path = gate_golden_path(name, case)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_gate_case(name, case), encoding="utf-8")
    count = len(REPORTER_BY_NAME) * (len(CASES) + len(GATE_CASES))
    print(f"wrote {count} files under {GOLDEN}")


if __name__ == "__main__":
    main()
