"""load_desired: defaults, identities, code files, cross-field rules, positions and messages."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError, ExitCode
from faasdrift.model import DesiredState, FunctionId, Position

EXAMPLE = """\
# yaml-language-server: $schema=../schemas/desired.schema.json
version: 1
defaults:
  project_id: 1
  region_id: 1
  namespace: prod-api
functions:
  - name: hello
    code_text: |
      def main():
          return 'Hello World'
    envs: {LOG_LEVEL: info}
    flavor: 80mCPU-128MB
    timeout: 5
    autoscaling: {min_instances: 1, max_instances: 2}
  - name: resize
    namespace: media
    code_file: handlers/resize.py
    timeout: 30
"""

RESIZE = "def main(event):\r\n    return 'resized'\r\n"  # CRLF: kept byte-exact


def write(folder: Path, text: str, name: str = "desired.yaml") -> Path:
    file = folder / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(textwrap.dedent(text), encoding="utf-8")
    return file


def load(folder: Path, text: str) -> DesiredState:
    return load_desired(write(folder, text), display_name="desired.yaml")


def problems(folder: Path, text: str) -> list[str]:
    with pytest.raises(DesiredFileError) as caught:
        load(folder, text)
    assert caught.value.exit_code is ExitCode.USAGE
    return [str(problem) for problem in caught.value.problems]


@pytest.fixture
def example(tmp_path: Path) -> DesiredState:
    (tmp_path / "handlers").mkdir()
    (tmp_path / "handlers" / "resize.py").write_bytes(RESIZE.encode())
    return load(tmp_path, EXAMPLE)


def test_defaults_and_overrides(example: DesiredState) -> None:
    hello, resize = example.functions
    assert hello.identity == FunctionId(1, 1, "prod-api", "hello")
    assert resize.identity == FunctionId(1, 1, "media", "resize")
    assert example.source == "desired.yaml"


def test_fields_hold_only_declared_compared_fields(example: DesiredState) -> None:
    hello, resize = example.functions
    assert hello.fields == {
        "code_text": "def main():\n    return 'Hello World'\n",
        "envs": {"LOG_LEVEL": "info"},
        "flavor": "80mCPU-128MB",
        "timeout": 5,
        "autoscaling": {"min_instances": 1, "max_instances": 2},
    }
    assert resize.fields == {"code_text": RESIZE, "timeout": 30}


def test_positions_of_fields(example: DesiredState) -> None:
    hello, resize = example.functions
    assert hello.position == Position(8, 5)
    assert hello.positions == {
        "code_text": Position(9, 16),
        "envs": Position(12, 11),
        "envs.LOG_LEVEL": Position(12, 23),
        "flavor": Position(13, 13),
        "timeout": Position(14, 14),
        "autoscaling": Position(15, 18),
        "autoscaling.min_instances": Position(15, 34),
        "autoscaling.max_instances": Position(15, 52),
    }
    assert resize.position == Position(16, 5)
    assert resize.positions == {"code_text": Position(18, 16), "timeout": Position(19, 14)}
    assert hello.position_of("envs.OTHER") == Position(12, 11)


def test_display_name_defaults_to_the_path_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "functions: []\n")
    monkeypatch.chdir(tmp_path)
    assert load_desired(Path("desired.yaml")).source == "desired.yaml"
    assert load_desired(Path("./desired.yaml"), display_name="-").source == "-"


def test_empty_functions_list(tmp_path: Path) -> None:
    assert load(tmp_path, "functions: []\n").functions == ()


def test_every_identity_part_may_come_from_the_function(tmp_path: Path) -> None:
    state = load(tmp_path, "functions: [{project_id: 3, region_id: 4, namespace: nn, name: fn}]\n")
    assert state.functions[0].identity == FunctionId(3, 4, "nn", "fn")
    assert state.functions[0].fields == {}


def test_missing_identity_parts_are_named(tmp_path: Path) -> None:
    text = """\
    defaults: {region_id: 1}
    functions:
      - name: fn
      - namespace: nn
        project_id: 1
    """
    assert problems(tmp_path, text) == [
        "desired.yaml:3:5: functions[0]: missing 'project_id': set it on the function or under"
        " defaults",
        "desired.yaml:3:5: functions[0]: missing 'namespace': set it on the function or under"
        " defaults",
        "desired.yaml:4:5: functions[1]: missing 'name'",
    ]


def test_duplicate_identity_names_the_first(tmp_path: Path) -> None:
    text = """\
    defaults: {project_id: 1, region_id: 1, namespace: ns}
    functions:
      - name: fn
      - name: fn
        namespace: other
      - name: fn
        project_id: 1
    """
    assert problems(tmp_path, text) == [
        "desired.yaml:6:5: functions[2]: duplicate function ns/fn (project 1, region 1);"
        " first declared on line 3",
    ]


def test_code_file_is_relative_to_the_yaml_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "conf"
    write(folder, "print('hi')\n", name="code/main.py")
    file = write(
        folder,
        "functions: [{project_id: 1, region_id: 1, namespace: nn, name: fn,"
        " code_file: code/main.py}]\n",
    )
    monkeypatch.chdir(tmp_path)
    state = load_desired(file.relative_to(tmp_path))
    assert state.functions[0].fields == {"code_text": "print('hi')\n"}
    assert state.source == "conf/desired.yaml"


CODE_FILE = "functions: [{project_id: 1, region_id: 1, namespace: nn, name: fn, code_file: %s}]\n"


def test_missing_code_file(tmp_path: Path) -> None:
    assert problems(tmp_path, CODE_FILE % "nope.py") == [
        f"desired.yaml:1:79: functions[0].code_file: cannot read 'nope.py'"
        f" ({tmp_path / 'nope.py'}): does not exist"
    ]


def test_code_file_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "code").mkdir()
    assert problems(tmp_path, CODE_FILE % "code") == [
        f"desired.yaml:1:79: functions[0].code_file: cannot read 'code'"
        f" ({tmp_path / 'code'}): is a directory, not a file"
    ]


def test_code_file_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_bytes(b"# ok\nx = 'caf\xe9'\n")
    found = problems(tmp_path, CODE_FILE % "main.py")
    assert found == [
        f"desired.yaml:1:79: functions[0].code_file: cannot read 'main.py'"
        f" ({tmp_path / 'main.py'}): not UTF-8: invalid byte 0xe9 on line 2"
    ]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "must not be empty"),
        (100001, "is too long: 100001 characters (the maximum is 100000)"),
    ],
)
def test_code_file_content_meets_code_text_rules(tmp_path: Path, size: int, expected: str) -> None:
    (tmp_path / "main.py").write_text("x" * size)
    found = problems(tmp_path, CODE_FILE % "main.py")
    assert found == [
        f"desired.yaml:1:79: functions[0].code_file: the content of 'main.py'"
        f" ({tmp_path / 'main.py'}) {expected}"
    ]


@pytest.mark.parametrize("size", [1, 100000])
def test_code_file_content_at_the_bounds_is_fine(tmp_path: Path, size: int) -> None:
    (tmp_path / "main.py").write_text("x" * size)
    state = load(tmp_path, CODE_FILE % "main.py")
    assert len(state.functions[0].fields["code_text"]) == size


def test_code_text_and_code_file_together(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("x")
    text = CODE_FILE.replace("code_file", "code_text: y, code_file") % "main.py"
    assert problems(tmp_path, text) == [
        "desired.yaml:1:93: functions[0].code_file: set code_text or code_file, not both"
    ]


def test_min_greater_than_max(tmp_path: Path) -> None:
    text = "functions: [{project_id: 1, region_id: 1, namespace: nn, name: fn,"
    assert problems(tmp_path, text + " autoscaling: {min_instances: 3, max_instances: 2}}]") == [
        "desired.yaml:1:81: functions[0].autoscaling: min_instances (3) is greater than"
        " max_instances (2)"
    ]
    state = load(tmp_path, text + " autoscaling: {min_instances: 2, max_instances: 2}}]")
    assert state.functions[0].fields["autoscaling"] == {"min_instances": 2, "max_instances": 2}


def test_every_problem_is_reported_sorted_by_position(tmp_path: Path) -> None:
    text = """\
    defaults: {project_id: 1, region_id: 1, namespace: ns}
    functions:
      - name: one
        timeout: 500
        envs: {DEBUG: yes}
        timout: 5
        timeout: 6
      - name: two
        autoscaling: {min_instances: 5, max_instances: 1}
        status: Running
      - name: one
    version: 2
    """
    assert problems(tmp_path, text) == [
        "desired.yaml:4:14: functions[0].timeout: 500 is greater than the maximum of 180",
        "desired.yaml:5:19: functions[0].envs.DEBUG: yes is a YAML boolean, not a string;"
        ' quote it: "yes"',
        "desired.yaml:6:5: functions[0]: unknown key 'timout' (did you mean 'timeout'?)",
        "desired.yaml:7:5: functions[0].timeout: duplicate key 'timeout' (first defined on line 4)",
        "desired.yaml:9:18: functions[1].autoscaling: min_instances (5) is greater than"
        " max_instances (1)",
        "desired.yaml:10:5: functions[1].status: 'status' is read-only in the Gcore API and is"
        " never compared; remove it",
        "desired.yaml:11:5: functions[2]: duplicate function ns/one (project 1, region 1);"
        " first declared on line 3",
        "desired.yaml:12:10: version: must be 1, not 2",
    ]


def test_unusable_file_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(DesiredFileError) as caught:
        load_desired(tmp_path / "missing.yaml", display_name="missing.yaml")
    assert str(caught.value) == "missing.yaml: does not exist"


def test_an_entry_with_nothing_of_its_own_beside_one_with_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Entries with no `sensitive`, `ignore` or ${VAR} skip reading them: they get what a neighbour
    # that has each of them does not, and the neighbour keeps all of its own.
    monkeypatch.setenv("TOKEN", "s3cret")
    plain, rich = load(
        tmp_path,
        """\
        defaults: {project_id: 1, region_id: 1, namespace: ns}
        ignore: [{path: timeout, reason: file}]
        functions:
          - {name: plain, envs: {A: x}, timeout: 5}
          - name: rich
            envs: {A: x, B: "${TOKEN}"}
            description: "${TOKEN}"
            sensitive: [A]
            ignore: [{path: envs, reason: own}]
        """,
    ).functions
    assert (plain.sensitive, plain.sensitive_paths) == (frozenset(), frozenset())
    assert [rule.reason for rule in plain.ignore] == ["file"]
    assert plain.position == Position(4, 5)
    assert dict(plain.positions) == {
        "envs": Position(4, 25),
        "envs.A": Position(4, 29),
        "timeout": Position(4, 42),
    }
    assert rich.sensitive == frozenset({"A", "B"})
    assert rich.sensitive_paths == frozenset({"envs.B", "description"})
    assert [rule.reason for rule in rich.ignore] == ["own", "file"]
