"""Where reports go: --format auto, --report targets checked up front, --quiet, the step summary."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from faasdrift.errors import ExitCode, ReportFileError
from faasdrift.model import GateClass
from faasdrift.report.formats import REPORTER_BY_NAME
from faasdrift.report.publish import (
    STEP_SUMMARY_LIMIT,
    TRUNCATED_NOTE,
    OutputSettings,
    Publisher,
    ReportTarget,
    fit_markdown,
    parse_report_target,
    resolve_format,
)
from faasdrift.secrets import Secrets
from tests.unit.report.cases import CASES, LIVE_SECRET
from tests.unit.report.gate_cases import GATE_CASES, function, run, value


class Sink:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.err: list[str] = []


def publisher(sink: Sink, environ: dict[str, str] | None = None, **settings: object) -> Publisher:
    secrets = Secrets()
    secrets.add_value("SECRETKEY")
    return Publisher(
        OutputSettings(**settings),  # type: ignore[arg-type]
        environ=environ or {},
        secrets=secrets,
        out=sink.out.append,
        warn=sink.err.append,
    )


def test_report_targets_parse_or_say_why_not() -> None:
    assert parse_report_target("junit=out/drift.xml") == ReportTarget(
        "junit", Path("out/drift.xml")
    )
    assert parse_report_target("json=a=b.json").path == Path("a=b.json")
    with pytest.raises(ValueError, match="is not FORMAT=PATH"):
        parse_report_target("drift.xml")
    with pytest.raises(ValueError, match="unknown format 'xml'; choose from text, json"):
        parse_report_target("xml=drift.xml")


def test_auto_is_github_only_inside_github_actions() -> None:
    assert resolve_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", {}) == "text"
    assert resolve_format("json", {"GITHUB_ACTIONS": "true"}) == "json"


def test_unwritable_targets_are_refused_before_the_check(tmp_path: Path) -> None:
    cases = {
        "missing dir": (tmp_path / "nope" / "x.xml", "the directory"),
        "a directory": (tmp_path, "is a directory"),
    }
    for path, message in cases.values():
        sink = Sink()
        with pytest.raises(ReportFileError, match=message) as caught:
            publisher(sink, reports=(ReportTarget("junit", path),)).prepare()
        assert caught.value.exit_code == ExitCode.USAGE
        assert str(caught.value).startswith(f"--report junit={path}: ")


def test_the_same_file_twice_is_refused(tmp_path: Path) -> None:
    targets = (ReportTarget("json", tmp_path / "r"), ReportTarget("junit", tmp_path / "r"))
    with pytest.raises(ReportFileError, match="is the same file as --report json="):
        publisher(Sink(), reports=targets).prepare()


def test_files_are_written_redacted_and_stdout_gets_its_format(tmp_path: Path) -> None:
    sink = Sink()
    targets = (ReportTarget("json", tmp_path / "r.json"), ReportTarget("junit", tmp_path / "r.xml"))
    drift = CASES["missing"]
    drift = dataclasses.replace(
        drift, result=dataclasses.replace(drift.result, source="SECRETKEY.yaml")
    )
    pub = publisher(sink, reports=targets, format="markdown")
    pub.prepare()
    pub.publish(drift)
    assert '"source": "***.yaml"' in (tmp_path / "r.json").read_text()
    assert (tmp_path / "r.xml").read_text().startswith("<?xml")
    assert sink.out[0].startswith("## faasdrift: drift found")


def test_quiet_prints_nothing_when_all_is_in_sync() -> None:
    sink = Sink()
    publisher(sink, quiet=True).publish(CASES["in_sync"])
    publisher(sink, quiet=True).publish(CASES["empty"])
    assert sink.out == []
    publisher(sink, quiet=True).publish(CASES["missing"])
    assert len(sink.out) == 1


def test_masks_only_on_stdout_inside_github_actions(tmp_path: Path) -> None:
    sink = Sink()
    actions = {"GITHUB_ACTIONS": "true"}
    file = tmp_path / "gh.txt"
    pub = publisher(sink, actions, format="auto", reports=(ReportTarget("github", file),))
    pub.publish(CASES["sensitive"])
    assert f"::add-mask::{LIVE_SECRET}" in sink.out[0]
    assert LIVE_SECRET not in file.read_text()
    publisher(sink, format="github").publish(CASES["sensitive"])
    assert LIVE_SECRET not in sink.out[1]


def test_step_summary_is_appended_when_asked_and_set(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    sink = Sink()
    pub = publisher(sink, {"GITHUB_STEP_SUMMARY": str(summary)}, step_summary=True)
    pub.prepare()
    pub.publish(CASES["missing"])
    text = summary.read_text()
    assert text.startswith("earlier step\n## faasdrift: drift found")
    assert sink.out[0].startswith("! media/thumbnail")  # stdout still gets the text report


def test_step_summary_without_the_variable_says_so_once(tmp_path: Path) -> None:
    sink = Sink()
    pub = publisher(sink, step_summary=True)
    pub.prepare()
    pub.publish(CASES["missing"])
    assert sink.err == [
        "faasdrift: --step-summary: GITHUB_STEP_SUMMARY is not set; no summary written"
    ]


def test_a_long_summary_is_cut_under_the_limit_with_blocks_closed() -> None:
    body = "".join(f"line {n} é\n" for n in range(200))
    text = f"## head\n\n<details><summary>x</summary>\n\n```diff\n{body}```\n\n</details>\n"
    cut = fit_markdown(text, 600)
    assert len(cut.encode()) <= 600
    assert cut.endswith("```\n\n</details>\n" + TRUNCATED_NOTE)
    assert fit_markdown(text, len(text.encode())) == text


def test_a_summary_file_near_the_limit_leaves_room_for_what_fits(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * (STEP_SUMMARY_LIMIT - 300))
    pub = publisher(Sink(), {"GITHUB_STEP_SUMMARY": str(summary)}, step_summary=True)
    pub.publish(CASES["many"])
    assert summary.stat().st_size <= STEP_SUMMARY_LIMIT
    assert summary.read_text().endswith(TRUNCATED_NOTE)


def test_a_report_for_people_on_an_actions_stdout_cannot_act_as_a_command() -> None:
    sink = Sink()
    actions = {"GITHUB_ACTIONS": "true"}
    publisher(sink, actions, format="text").publish(CASES["every_kind"])
    lines = sink.out[0].splitlines()
    token = lines[0].removeprefix("::stop-commands::")
    assert lines[0].startswith("::stop-commands::")
    assert lines[-1] == f"::{token}::"
    publisher(sink, format="text").publish(CASES["every_kind"])  # outside Actions: as it is
    assert not sink.out[1].startswith("::")
    publisher(sink, actions, format="json").publish(CASES["every_kind"])  # escapes its own
    assert sink.out[2].startswith("{")


def test_the_run_is_redacted_as_data_before_any_format_encodes_it(tmp_path: Path) -> None:
    secrets = Secrets()
    secret = 'SECRET,&<"%:x'  # JSON, XML and GitHub escaping would each change its bytes
    secrets.add_value(secret)
    sink = Sink()
    run = CASES["missing"]
    run = dataclasses.replace(run, result=dataclasses.replace(run.result, source=secret))
    run = dataclasses.replace(run, warnings=(f"warned about {secret}",))
    targets = tuple(ReportTarget(name, tmp_path / name) for name in ("json", "junit", "github"))
    pub = Publisher(
        OutputSettings(reports=targets, format="sarif"),
        environ={},
        secrets=secrets,
        out=sink.out.append,
        warn=sink.err.append,
    )
    pub.prepare()
    pub.publish(run)
    texts = [*sink.out, *sink.err, *(path.read_text() for path in tmp_path.iterdir())]
    assert all("SECRET" not in text for text in texts)
    assert sink.err == ["faasdrift: warning: warned about ***"]  # warnings come last, redacted


@pytest.mark.parametrize("output_format", list(REPORTER_BY_NAME))
def test_why_a_function_is_missing_is_redacted_before_its_format_escapes_it(
    output_format: str,
) -> None:
    secrets = Secrets()
    secret = 'SECRET,&<"%:\nx'  # each format would change these bytes in its own way
    secrets.add_value(secret)
    run = CASES["missing"]
    missing = run.result.functions[2]
    assert missing.reason is not None  # the namespace's reason, which every format shows
    reason = f"{missing.reason} ({secret})"
    functions = (*run.result.functions[:2], dataclasses.replace(missing, reason=reason))
    run = dataclasses.replace(run, result=dataclasses.replace(run.result, functions=functions))
    sink = Sink()
    pub = Publisher(
        OutputSettings(format=output_format),
        environ={},
        secrets=secrets,
        out=sink.out.append,
        warn=sink.err.append,
    )
    pub.publish(run)
    [text] = sink.out
    assert "SECRET" not in text
    assert "does not exist in project 1, region 1 (***)" in text


def test_the_step_summary_and_a_report_cannot_be_one_file(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    pub = publisher(
        Sink(),
        {"GITHUB_STEP_SUMMARY": str(summary)},
        step_summary=True,
        reports=(ReportTarget("markdown", tmp_path / "." / "summary.md"),),
    )
    with pytest.raises(ReportFileError, match="is the same file as --report markdown="):
        pub.prepare()


def test_a_report_path_that_is_a_symlink_is_refused_before_the_check(tmp_path: Path) -> None:
    (tmp_path / "drift.xml").symlink_to(tmp_path / "elsewhere.xml")
    pub = publisher(Sink(), reports=(ReportTarget("junit", tmp_path / "drift.xml"),))
    with pytest.raises(ReportFileError, match="is a symbolic link; faasdrift never writes"):
        pub.prepare()
    assert not (tmp_path / "elsewhere.xml").exists()


def test_a_gate_run_goes_everywhere_a_check_run_does_redacted_first(tmp_path: Path) -> None:
    hand = value("description", GateClass.OVERWRITE, "x", 'said "SECRETKEY" & more', "x", 4)
    gate_run = run(ExitCode.DRIFT, function("hello", GateClass.OVERWRITE, 2, hand))
    sink = Sink()
    reports = tuple(ReportTarget(name, tmp_path / f"r.{name}") for name in REPORTER_BY_NAME)
    publisher(sink, reports=reports, format="json").publish(gate_run)
    for target in reports:
        text = target.path.read_text(encoding="utf-8")
        assert "SECRETKEY" not in text
        assert "***" in text
    assert '"kind": "gate"' in sink.out[0]
    quiet = Sink()
    publisher(quiet, quiet=True).publish(GATE_CASES["safe"])  # nothing lost, all checked
    assert quiet.out == []
    for case in ("every_class", "not_checked"):
        loud = Sink()
        publisher(loud, quiet=True).publish(GATE_CASES[case])
        assert len(loud.out) == 1
    accepted = Sink()
    publisher(accepted, quiet=True).publish(GATE_CASES["ignored"])  # accepted: nothing lost
    assert accepted.out == []
