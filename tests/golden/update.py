"""Rewrite the golden report files from tests/unit/report/cases.py.

    .venv/bin/python -m tests.golden.update

Then read `git diff tests/golden` line by line before committing: a golden file is only worth
something if a person has checked it is right.
"""

from __future__ import annotations

from faasdrift.report.formats import REPORTER_BY_NAME
from tests.unit.report.cases import CASES
from tests.unit.report.formats.test_golden import GOLDEN, golden_path, render_case


def main() -> None:
    for name in REPORTER_BY_NAME:
        for case in CASES:
            path = golden_path(name, case)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_case(name, case), encoding="utf-8")
    print(f"wrote {len(REPORTER_BY_NAME) * len(CASES)} files under {GOLDEN}")


if __name__ == "__main__":
    main()
