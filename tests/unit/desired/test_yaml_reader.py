"""The YAML loader: safe parsing, marks for every path, and one clear line per unusable file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from faasdrift.desired.yaml_limits import MAX_FILE_BYTES, MAX_NUMBER_CHARS
from faasdrift.desired.yaml_reader import (
    LOADER,
    YamlDocument,
    format_path,
    load_yaml_file,
    parse_yaml,
)
from faasdrift.errors import DesiredFileError
from faasdrift.model import Position


def parse(text: str) -> YamlDocument:
    return parse_yaml(text, source="d.yaml")


def fatal(text: str) -> str:
    with pytest.raises(DesiredFileError) as caught:
        parse(text)
    assert len(caught.value.problems) == 1
    return str(caught.value)


def test_uses_libyaml_when_available() -> None:
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert LOADER is expected


def test_data_is_plain_python() -> None:
    doc = parse("a: 1\nb: [x, 2.5, null, true]\nc: {d: e}\n")
    assert doc.data == {"a": 1, "b": ["x", 2.5, None, True], "c": {"d": "e"}}
    assert doc.problems == ()


def test_marks_for_keys_values_and_items() -> None:
    doc = parse("top:\n  - name: hello\n    envs: {A: b}\n  - name: two\n")
    assert doc.key_position(("top",)) == Position(1, 1)
    assert doc.value_position(("top",)) == Position(2, 3)
    assert doc.value_position(("top", 0)) == Position(2, 5)  # the item starts at its content
    assert doc.key_position(("top", 0, "name")) == Position(2, 5)
    assert doc.value_position(("top", 0, "name")) == Position(2, 11)
    assert doc.key_position(("top", 0, "envs", "A")) == Position(3, 12)
    assert doc.value_position(("top", 0, "envs", "A")) == Position(3, 15)
    assert doc.value_position(("top", 1)) == Position(4, 5)


def test_unknown_path_falls_back_to_closest_ancestor() -> None:
    doc = parse("a:\n  b: 1\n")
    assert doc.value_position(("a", "missing", "deeper")) == Position(2, 3)
    assert doc.value_position(()) == Position(1, 1)


def test_scalar_text_is_kept_as_written() -> None:
    doc = parse("a: yes\nb: 0x10\nc: 'quoted'\nd:\ne: [1]\n")
    assert doc.data["a"] is True
    assert doc.data["b"] == 16
    assert doc.text(("a",)) == "yes"
    assert doc.text(("b",)) == "0x10"
    assert doc.text(("c",)) == "quoted"
    assert doc.text(("d",)) == ""
    assert doc.text(("e",)) is None  # lists and mappings have no text
    assert doc.text(("nope",)) is None


def test_keys_are_strings_as_written() -> None:
    # Env vars named NO or ON must not turn into YAML 1.1 booleans.
    doc = parse("NO: a\nON: b\n1: c\n")
    assert doc.data == {"NO": "a", "ON": "b", "1": "c"}


def test_duplicate_keys_are_reported_not_silently_overwritten() -> None:
    doc = parse("functions:\n  - name: a\n    timeout: 1\n    timeout: 2\nfunctions: []\n")
    assert doc.data["functions"][0]["timeout"] == 1
    assert [str(problem) for problem in doc.problems] == [
        "d.yaml:4:5: functions[0].timeout: duplicate key 'timeout' (first defined on line 3)",
        "d.yaml:5:1: functions: duplicate key 'functions' (first defined on line 1)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: b: c\n", "d.yaml:1:5: invalid YAML: mapping values are not allowed in this context"),
        (
            "a: [1\n",
            "d.yaml:2:1: invalid YAML: did not find expected ',' or ']'"
            " (while parsing a flow sequence on line 1)",
        ),
        ("a: 'open\n", "d.yaml:2:1: invalid YAML: found unexpected end of stream"),
    ],
)
def test_syntax_errors_are_one_line_with_position(text: str, expected: str) -> None:
    message = fatal(text)
    assert message.startswith(expected)
    assert "\n" not in message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(text: str) -> None:
    assert fatal(text) == (
        "d.yaml:1:1: the file is empty; expected a mapping with a 'functions' list"
    )


def test_more_than_one_document() -> None:
    assert fatal("a: 1\n---\nb: 2\n") == (
        "d.yaml:3:1: more than one YAML document; put everything in one"
    )


def test_a_single_document_with_markers_is_fine() -> None:
    assert parse("---\na: 1\n...\n").data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- a\n- b\n", "a list"), ("hello\n", "a single value"), ("5\n", "a single value")],
)
def test_top_level_must_be_a_mapping(text: str, kind: str) -> None:
    assert fatal(text) == f"d.yaml:1:1: the top level must be a mapping (key: value), not {kind}"


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object/apply:os.system ['echo hi']\n", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
        ("a: !Ref other\n", "!Ref"),
        ("a: !!binary aGk=\n", "!!binary"),
        ("a: !!set {x}\n", "!!set"),
        ("!!python/tuple [1]: a\n", "!!python/tuple"),
    ],
)
def test_non_standard_tags_are_refused(text: str, tag: str) -> None:
    message = fatal(text)
    assert f"tag '{tag}' is not allowed; only plain YAML data is read" in message


def test_standard_tags_are_fine() -> None:
    assert parse("a: !!str 8080\nb: !!int '5'\n").data == {"a": "8080", "b": 5}


def test_anchors_and_aliases_work() -> None:
    doc = parse("x: &common {A: b}\ny: *common\n")
    assert doc.data == {"x": {"A": "b"}, "y": {"A": "b"}}
    assert doc.value_position(("y", "A")) == Position(1, 16)  # the alias's target


def test_recursive_alias_is_refused() -> None:
    assert "an alias refers to a value that contains it" in fatal("a: &x [*x]\n")


def test_merge_keys_are_refused() -> None:
    assert "merge keys ('<<') are not supported" in fatal("a: {x: 1}\nb:\n  <<: {x: 1}\n")


def test_complex_keys_are_refused() -> None:
    assert "only plain keys are supported" in fatal("? [a]\n: 1\n")


def test_excessive_nesting_is_refused() -> None:
    assert "nested deeper than" in fatal("a: " + "[" * 100 + "]" * 100 + "\n")


def test_impossible_date_is_a_clear_error() -> None:
    assert fatal("a: 2023-02-30\n") == (
        "d.yaml:1:4: 2023-02-30 is not a valid !!timestamp; quote it if it is text"
    )


def test_control_character_is_a_clear_error() -> None:
    assert fatal("a: b\nc: \x01\n").startswith("d.yaml:2:4: invalid YAML: ")


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("functions",), "functions"),
        (("functions", 1, "timeout"), "functions[1].timeout"),
        (("functions", 0, "envs", "LOG_LEVEL"), "functions[0].envs.LOG_LEVEL"),
    ],
)
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text


# --- reading the file ---------------------------------------------------------------------------


def load_error(path: Path) -> str:
    with pytest.raises(DesiredFileError) as caught:
        load_yaml_file(path, source="d.yaml")
    assert len(caught.value.problems) == 1
    return str(caught.value)


def test_bom_is_stripped(tmp_path: Path) -> None:
    file = tmp_path / "d.yaml"
    file.write_bytes(b"\xef\xbb\xbfa: 1\n")
    doc = load_yaml_file(file, source="d.yaml")
    assert doc.data == {"a": 1}
    assert doc.key_position(("a",)) == Position(1, 1)


def test_crlf_line_endings_just_work(tmp_path: Path) -> None:
    file = tmp_path / "d.yaml"
    file.write_bytes(b"a: 1\r\nb: |\r\n  x\r\n  y\r\nc: z\r\n")
    doc = load_yaml_file(file, source="d.yaml")
    assert doc.data == {"a": 1, "b": "x\ny\n", "c": "z"}
    assert doc.value_position(("c",)) == Position(5, 4)


def test_missing_file(tmp_path: Path) -> None:
    assert load_error(tmp_path / "nope.yaml") == "d.yaml: does not exist"


def test_directory(tmp_path: Path) -> None:
    assert load_error(tmp_path) == "d.yaml: is a directory, not a file"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    file = tmp_path / "d.yaml"
    file.write_text("a: 1\n")
    file.chmod(0)
    assert load_error(file) == "d.yaml: permission denied"


def test_not_utf8(tmp_path: Path) -> None:
    file = tmp_path / "d.yaml"
    file.write_bytes(b"a: 1\nb: caf\xe9\n")
    assert load_error(file) == "d.yaml:2:7: not UTF-8: invalid byte 0xe9"


def test_permission_denied_without_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_self: Path, _mode: str) -> bytes:
        raise PermissionError(13, "Permission denied")

    file = tmp_path / "d.yaml"
    file.write_text("a: 1\n")
    monkeypatch.setattr(Path, "open", refuse)
    assert load_error(file) == "d.yaml: permission denied"


# --- hostile text: one clear line whatever the file holds ---------------------------------------


def test_tab_indentation_gets_a_hint() -> None:
    assert fatal("functions:\n\t- name: x\n").endswith("; YAML cannot indent with tabs, use spaces")


def test_tabs_inside_values_are_fine() -> None:
    doc = parse('a: "x\\ty"\nb: |\n  x\tindented\nc:\t1\n')
    assert doc.data == {"a": "x\ty", "b": "x\tindented\n", "c": 1}


def test_a_lone_surrogate_from_the_pure_python_scanner_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # libyaml refuses "\ud800" itself; PyYAML's fallback lets it through, and no encoder can
    # write it out again, so the loader stops it.
    monkeypatch.setattr("faasdrift.desired.yaml_reader.LOADER", yaml.SafeLoader)
    message = fatal('a: "\\ud800"\n')
    assert message == "d.yaml:1:4: a \\u escape names a lone surrogate, which is not a character"


def test_long_or_unprintable_text_in_messages_is_short_and_escaped() -> None:
    assert fatal(f"a: !!int {'9' * 99}x\n").startswith(f"d.yaml:1:4: {'9' * 59}… is not a valid")
    doc = parse('"a\\nb": 1\n"a\\nb": 2\n')
    assert [problem.message for problem in doc.problems] == [
        "duplicate key 'a\\nb' (first defined on line 1)"
    ]


def test_alias_bomb_is_refused_before_anything_is_built() -> None:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    assert fatal("\n".join(lines)).endswith("more than 300,000 values once aliases are expanded")


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    file = tmp_path / "d.yaml"
    file.write_bytes(b"a: 1\n" + b"#" * MAX_FILE_BYTES)
    assert load_error(file) == "d.yaml: is larger than 32 MiB, the limit"


@pytest.mark.parametrize(
    "number",
    [
        "0x" + "f" * 3_600,  # int() takes it; printing it fails (more than 4,300 digits)
        "0b" + "1" * 20_000,
        "0" + "7" * 5_000,  # YAML 1.1 octal
        "9" * 5_000,  # a project_id
        "1" + ":0" * 100_000,  # sexagesimal: quadratic to build
        "1" + "0" * 400 + ".5",
        "1_000" * 50,
    ],
)
def test_a_number_is_capped_before_it_is_built(number: str) -> None:
    message = fatal(f"functions:\n  - timeout: {number}\n")
    assert message == (
        f"d.yaml:2:14: a number written with {len(number):,} characters; the limit is "
        f"{MAX_NUMBER_CHARS} (quote it if it is text)"
    )


def test_the_number_cap_is_exact_and_quoted_text_is_no_number() -> None:
    at_limit = "1" * MAX_NUMBER_CHARS
    assert parse(f"a: {at_limit}\n").data == {"a": int(at_limit)}
    assert "a number written with 101 characters" in fatal(f"a: {at_limit}1\n")
    assert parse(f"a: '{'9' * 5000}'\n").data == {"a": "9" * 5000}
    assert parse(f"a: 0x{'f' * 98}\n").data == {"a": int("f" * 98, 16)}


def test_long_text_that_is_no_number_stays_text_and_a_tagged_number_is_capped_too() -> None:
    digest = "4" + "a1b2c3d4" * 16  # a hex digest written plain: YAML reads it as a string
    assert parse(f"a: {digest}\n").data == {"a": digest}
    assert "a number written with 5,000 characters" in fatal(f'a: !!int "{"9" * 5000}"\n')
