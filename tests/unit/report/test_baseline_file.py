"""Every JSON report faasdrift ever wrote reads as a baseline.

``old_reports/`` holds the ``every_kind`` golden report as each earlier shape of the JSON report
wrote it (``git log -- tests/golden/json``: the commit is in each file's name). None of them has a
fingerprint: their findings are matched by kind, function and path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faasdrift.report.baseline_file import BaselineError, parse_baseline
from faasdrift.report.formats import ReportOptions, build_reporter
from tests.unit.report.cases import CASES

OLD_REPORTS = sorted((Path(__file__).parent / "old_reports").glob("*.json"))


@pytest.mark.parametrize("path", OLD_REPORTS, ids=lambda path: path.stem)
def test_every_earlier_report_shape_is_a_baseline(path: Path) -> None:
    baseline = parse_baseline(json.loads(path.read_text()), path=str(path))

    assert baseline.salt is None
    assert baseline.findings
    assert all(finding.fingerprint is None for finding in baseline.findings)
    assert {finding.first_seen for finding in baseline.findings} == {baseline.generated_at.date()}


def test_todays_report_reads_back_with_its_fingerprints() -> None:
    run = CASES["every_kind"]
    assert run.memory is not None
    document = json.loads(build_reporter("json", ReportOptions()).render(run))

    baseline = parse_baseline(document, path="r.json")

    assert baseline.salt == run.memory.salt
    assert {f.fingerprint for f in baseline.findings} == {
        f.fingerprint for f in run.memory.findings
    }


def test_an_edited_report_is_refused_both_ways() -> None:
    document = json.loads(build_reporter("json", ReportOptions()).render(CASES["every_kind"]))
    del document["salt"]
    with pytest.raises(BaselineError, match="it holds fingerprints but no salt"):
        parse_baseline(document, path="r.json")
    document["functions"].append(document["functions"][0])
    for entry in document["functions"]:
        for change in entry["changes"]:
            change.pop("fingerprint", None)
    with pytest.raises(BaselineError, match="it holds one finding twice"):
        parse_baseline(document, path="r.json")
