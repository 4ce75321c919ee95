"""Output files: atomic, never through a symlink, never one file twice, never over an input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from faasdrift.errors import ExitCode, OutputFileError
from faasdrift.outputs import (
    check_outputs,
    json_text,
    refuse_inputs,
    refuse_overwrite,
    write_atomically,
)


def test_a_file_is_replaced_whole_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old")
    target.chmod(0o640)
    write_atomically(target, "new ü", what="--report json")
    assert target.read_bytes() == "new ü".encode()
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r.json"]  # no temporary left


def test_append_keeps_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("earlier\n")
    write_atomically(target, "mine\n", what="summary", append=True)
    write_atomically(tmp_path / "new.md", "first\n", what="summary", append=True)
    assert target.read_text() == "earlier\nmine\n"
    assert (tmp_path / "new.md").read_text() == "first\n"


@pytest.mark.parametrize("dangling", [True, False])
def test_a_symlink_is_never_written_through(tmp_path: Path, dangling: bool) -> None:
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_text("keep me")
    link = tmp_path / "drift.xml"
    link.symlink_to(victim)
    with pytest.raises(OutputFileError, match="is a symbolic link") as caught:
        write_atomically(link, "report", what="--report junit=drift.xml")
    assert caught.value.exit_code == ExitCode.USAGE
    assert victim.exists() is not dangling
    assert dangling or victim.read_text() == "keep me"
    with pytest.raises(OutputFileError, match="is a symbolic link"):
        check_outputs([("x", link)])
    with pytest.raises(OutputFileError, match="exists; pass --force"):
        refuse_overwrite(link, force=False)  # a dangling link exists too


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.json"
    target.write_text("old report")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OutputFileError, match=r"cannot write .*: No space left on device"):
        write_atomically(target, "new report", what="--report json")
    assert target.read_text() == "old report"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r.json"]


def test_two_names_of_one_file_are_refused(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    targets = [("--report json=a.json", tmp_path / "a.json")]
    targets.append(("--report junit=sub/../a.json", tmp_path / "sub" / ".." / "a.json"))
    with pytest.raises(OutputFileError) as caught:
        check_outputs(targets)
    assert str(caught.value) == (
        f"--report junit=sub/../a.json: {tmp_path}/sub/../a.json is the same file as "
        "--report json=a.json"
    )


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    desired = tmp_path / "desired.yaml"
    desired.write_text("functions: []\n")
    (tmp_path / "sub").mkdir()
    outputs = check_outputs(
        [("--report text=sub/../desired.yaml", tmp_path / "sub/../desired.yaml")]
    )
    with pytest.raises(
        OutputFileError,
        match=r"is an input of this run \(.*desired.yaml\); faasdrift never overwrites",
    ):
        refuse_inputs(outputs, [None, desired])
    refuse_inputs(outputs, [tmp_path / "other.yaml"])


def test_a_missing_folder_or_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match=r"the directory .* does not exist"):
        check_outputs([("x", tmp_path / "nope" / "r.json")])
    with pytest.raises(OutputFileError, match="is a directory"):
        check_outputs([("x", tmp_path)])


def test_json_text_writes_a_lone_surrogate_as_its_escape() -> None:
    text = json_text({"description": "a\ud800b ü"})
    text.encode("utf-8")  # would raise with the surrogate written raw
    assert "\\ud800" in text
    assert "ü" in text
    assert json.loads(text) == {"description": "a\ud800b ü"}


def test_a_folder_of_a_relative_path_that_is_a_symlink_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "out").symlink_to(elsewhere)  # committed by a pull request
    monkeypatch.chdir(checkout)
    with pytest.raises(OutputFileError, match="out is a symbolic link"):
        write_atomically(Path("out/drift.xml"), "report", what="--report junit=out/drift.xml")
    assert list(elsewhere.iterdir()) == []
    write_atomically(elsewhere / "drift.xml", "report", what="an absolute path: the CI's own")
    assert (elsewhere / "drift.xml").read_text() == "report"
