"""Code counted after expansion: many functions naming one file cannot make gigabytes of code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from faasdrift.desired.code import MAX_TOTAL_CODE_BYTES, TOO_MUCH_CODE
from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError

HEAD = "defaults: {project_id: 1, region_id: 1, namespace: prod}\nfunctions:\n"


def problems(path: Path, **options: object) -> list[str]:
    with pytest.raises(DesiredFileError) as caught:
        load_desired(path, display_name="d.yaml", environ={}, **options)  # type: ignore[arg-type]
    return [str(problem) for problem in caught.value.problems]


def test_ten_thousand_functions_naming_one_file_are_refused_at_the_total(tmp_path: Path) -> None:
    # 100,000 characters of 4 bytes each: the largest valid code file, 400 KB.
    (tmp_path / "big.py").write_text("\U0001f600" * 100_000, encoding="utf-8")
    entries = "".join(f"  - {{name: f{n}, code_file: big.py}}\n" for n in range(10_000))
    (tmp_path / "d.yaml").write_text(HEAD + entries)
    found = problems(tmp_path / "d.yaml")
    crossing = MAX_TOTAL_CODE_BYTES // 400_000  # the function whose code goes over: index 83
    assert found == [f"d.yaml:{3 + crossing}:28: functions[{crossing}].code_file: {TOO_MUCH_CODE}"]


def test_an_invalid_code_file_is_checked_once_and_reported_for_each_function(
    tmp_path: Path,
) -> None:
    (tmp_path / "long.py").write_text("x" * 100_001)
    entries = "".join(f"  - {{name: f{n}, code_file: long.py}}\n" for n in range(3))
    (tmp_path / "d.yaml").write_text(HEAD + entries)
    assert [line.split(": ", 2)[2] for line in problems(tmp_path / "d.yaml")] == [
        "the content of 'long.py' (" + str(tmp_path / "long.py") + ") is too long: 100001 "
        "characters (the maximum is 100000)"
    ] * 3


def test_code_repeated_through_an_alias_counts_each_time(tmp_path: Path) -> None:
    code = "y" * 100_000
    body = f"  - {{name: f0, code_text: &c {code}}}\n" + "".join(
        f"  - {{name: f{n}, code_text: *c}}\n" for n in range(1, 400)
    )
    (tmp_path / "d.yaml").write_text(HEAD + body)
    found = problems(tmp_path / "d.yaml")
    assert len(found) == 1
    assert found[0].endswith(f"functions[335].code_text: {TOO_MUCH_CODE}")


def test_a_file_named_many_times_within_the_total_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "small.py").write_text("def main():\n    return 1\n")
    entries = "".join(f"  - {{name: f{n}, code_file: small.py}}\n" for n in range(50))
    (tmp_path / "d.yaml").write_text(HEAD + entries)
    state = load_desired(tmp_path / "d.yaml", environ={})
    codes = [function.fields["code_text"] for function in state.functions]
    assert all(code is codes[0] for code in codes)  # one string, not fifty copies
    assert state.files == (tmp_path / "d.yaml", (tmp_path / "small.py").resolve())


def test_a_code_file_from_the_environment_is_named_as_written(tmp_path: Path) -> None:
    key = "-----BEGIN KEY-----\nb3BlbnNzaC1rZXk\n-----END KEY-----"
    (tmp_path / "d.yaml").write_text(
        HEAD
        + textwrap.dedent("""\
          - name: hello
            code_file: "${SSH_KEY}"
        """)
    )
    with pytest.raises(DesiredFileError) as caught:
        load_desired(tmp_path / "d.yaml", display_name="d.yaml", environ={"SSH_KEY": key})
    [problem] = caught.value.problems
    assert (
        str(problem)
        == "d.yaml:4:14: functions[0].code_file: cannot read '${SSH_KEY}': does not exist"
    )
