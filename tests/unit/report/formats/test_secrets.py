"""No format ever prints a sensitive value, desired or live (the issue's all-formats test)."""

from __future__ import annotations

import pytest

from faasdrift.report.formats import REPORTER_BY_NAME, ReportOptions, build_reporter
from tests.unit.report.cases import CASES, SECRETS


@pytest.mark.parametrize("verbose", [False, True])
@pytest.mark.parametrize("format_name", sorted(REPORTER_BY_NAME))
def test_no_secret_in_any_format(format_name: str, verbose: bool) -> None:
    text = build_reporter(format_name, ReportOptions(verbose=verbose)).render(CASES["sensitive"])
    for secret in SECRETS:
        assert secret not in text
    assert "(sensitive" in text or format_name in {"json", "junit", "sarif"}


def test_github_masks_are_the_only_lines_that_carry_a_secret() -> None:
    options = ReportOptions(add_masks=True)
    lines = build_reporter("github", options).render(CASES["sensitive"]).splitlines()
    other = "\n".join(line for line in lines if not line.startswith("::add-mask::"))
    for secret in SECRETS:
        assert secret not in other
