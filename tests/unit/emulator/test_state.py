"""Loading and validating the emulator's state file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from faasdrift.emulator import EmulatorState, EmulatorStateError, load_state, parse_state
from faasdrift.errors import ExitCode, UsageError

EXAMPLE = Path(__file__).parents[3] / "examples" / "emulator-state.yaml"


def state_with(*functions: object, **namespace: Any) -> dict[str, Any]:
    ns = {
        "project_id": 1,
        "region_id": 1,
        "name": "prod",
        **namespace,
        "functions": list(functions),
    }
    return {"namespaces": [ns]}


def problems(data: object) -> list[str]:
    with pytest.raises(EmulatorStateError) as caught:
        parse_state(data, source="state.yaml")
    return str(caught.value).splitlines()


def load_text(tmp_path: Path, text: str | bytes, name: str = "state.yaml") -> EmulatorState:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return load_state(path)


def load_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | bytes) -> str:
    monkeypatch.chdir(tmp_path)
    Path("state.yaml").write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(EmulatorStateError) as caught:
        load_state("state.yaml")
    return str(caught.value)


# --- the example and what loading keeps -------------------------------------------------------


def test_example_state_loads() -> None:
    state = load_state(EXAMPLE)

    assert [(ns.name, list(ns.functions)) for ns in state.namespaces] == [
        ("prod-api", ["hello", "orders", "billing-webhook", "tmp-debug"]),
        ("media", ["resize"]),
    ]
    hello = state.namespaces[0].functions["hello"].data
    assert hello["timeout"] == 10
    assert hello["code_text"].endswith('World"\n')
    assert state.function_count == 5


def test_json_is_chosen_by_content_and_code_text_is_kept_byte_exact(tmp_path: Path) -> None:
    code = "def main():\r\n    return 'héllo'\n\n"
    state = load_text(tmp_path, json.dumps(state_with({"name": "fn", "code_text": code})))

    function = state.namespaces[0].functions["fn"]
    assert function.data["code_text"] == code
    assert json.loads(function.body)["code_text"] == code


def test_yaml_block_scalar_keeps_its_trailing_newline(tmp_path: Path) -> None:
    text = (
        "namespaces:\r\n"
        "- {project_id: 1, region_id: 1, name: pr,\r\n"
        '   functions: [{name: fn, code_text: "a\\r\\nb\\n"}]}\n'
    )
    state = load_text(tmp_path, text)

    assert state.namespaces[0].functions["fn"].data["code_text"] == "a\r\nb\n"


def test_unquoted_timestamps_stay_text(tmp_path: Path) -> None:
    text = (
        "namespaces:\n- project_id: 1\n  region_id: 1\n  name: pr\n"
        "  functions:\n  - name: fn\n    created_at: 2023-08-22T11:21:00Z\n"
    )
    function = load_text(tmp_path, text).namespaces[0].functions["fn"]

    assert function.data["created_at"] == "2023-08-22T11:21:00Z"
    assert function.created_at == "2023-08-22T11:21:00Z"


def test_informational_fields_are_filled_in() -> None:
    state = parse_state(
        state_with(
            {"name": "fn", "autoscaling": {"min_instances": 3, "max_instances": 3}}, {"name": "gn"}
        )
    )
    f, g = state.namespaces[0].functions.values()

    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", f.data["id"]
    )
    assert f.data["id"] != g.data["id"]
    assert f.data["status"] == "Running"
    assert f.data["build_status"] == "Ready"
    assert f.data["deploy_status"] == {"total": 3, "ready": 3}
    assert f.data["endpoint"] == "https://faas.example.com/1/1/prod/fn"
    assert f.created_at == "2024-01-15T09:00:00Z" < g.created_at == "2024-01-15T09:01:00Z"


def test_informational_fields_are_stable_between_loads() -> None:
    data = state_with({"name": "fn"})

    assert (
        parse_state(data).namespaces[0].functions["fn"].body
        == parse_state(data).namespaces[0].functions["fn"].body
    )


def test_state_overrides_informational_fields() -> None:
    state = parse_state(state_with({"name": "fn", "status": "Building", "id": "fixed"}))
    data = state.namespaces[0].functions["fn"].data

    assert (data["status"], data["id"], data["build_status"]) == ("Building", "fixed", "Ready")
    assert list(data)[:3] == ["name", "status", "id"]  # the state's own fields come first


def test_fill_informational_false_serves_minimal_objects() -> None:
    data = {**state_with({"name": "fn", "timeout": 5}), "fill_informational": False}

    assert json.loads(parse_state(data).namespaces[0].functions["fn"].body) == {
        "name": "fn",
        "timeout": 5,
    }


def test_namespace_object_gets_defaults() -> None:
    ns = parse_state(state_with()).namespaces[0]

    assert json.loads(ns.body) == {"name": "prod", "description": "", "envs": {}}
    assert ns.functions == {}


def test_same_namespace_name_in_another_region_is_fine() -> None:
    data = {"namespaces": [{"project_id": 1, "region_id": r, "name": "prod"} for r in (1, 2)]}

    state = parse_state(data)
    assert state.namespace(1, 2, "prod") is state.namespaces[1]
    assert state.namespace(1, 3, "prod") is None


# --- problems, one line each -------------------------------------------------------------------


def test_errors_are_usage_errors_with_exit_code_2() -> None:
    with pytest.raises(UsageError) as caught:
        parse_state([], source="state.yaml")
    assert caught.value.exit_code is ExitCode.USAGE


def test_function_schema_violation() -> None:
    data = state_with({"name": "an"}, {"name": "bn", "timeout": 500})

    assert problems(data) == [
        "state.yaml: namespaces[0].functions[1].timeout: 500 is greater than the maximum of 180"
    ]


def test_misspelled_function_field_is_refused() -> None:
    assert problems(state_with({"name": "an", "timout": 5})) == [
        "state.yaml: namespaces[0].functions[0]: "
        "Unevaluated properties are not allowed ('timout' was unexpected)"
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([1], "state.yaml: [1] is not of type 'object'"),
        ({}, "state.yaml: 'namespaces' is a required property"),
        (
            {"namespaces": [], "extra": 1},
            "state.yaml: Additional properties are not allowed ('extra' was unexpected)",
        ),
        ({"namespaces": {}}, "state.yaml: namespaces: {} is not of type 'array'"),
        (
            {"namespaces": [{"project_id": 1, "region_id": 1}]},
            "state.yaml: namespaces[0]: 'name' is a required property",
        ),
        (
            state_with(project_id="1"),
            "state.yaml: namespaces[0].project_id: '1' is not of type 'integer'",
        ),
        (
            state_with(project_id=True),
            "state.yaml: namespaces[0].project_id: True is not of type 'integer'",
        ),
        (
            state_with(region_id=0),
            "state.yaml: namespaces[0].region_id: 0 is less than the minimum of 1",
        ),
        (
            state_with(envs={"bad-name": "x"}),
            "state.yaml: namespaces[0].envs: 'bad-name' does not match '^[a-zA-Z_][a-zA-Z0-9_]*$'",
        ),
        (
            state_with({"name": "fn", "envs": {"A": 1}}),
            "state.yaml: namespaces[0].functions[0].envs.A: 1 is not of type 'string'",
        ),
        (
            state_with({"timeout": 1}),
            "state.yaml: namespaces[0].functions[0]: 'name' is a required property",
        ),
        (state_with("f"), "state.yaml: namespaces[0].functions[0]: 'f' is not of type 'object'"),
    ],
)
def test_structure_problem(data: object, expected: str) -> None:
    assert problems(data) == [expected]


def test_duplicate_namespace() -> None:
    data = {"namespaces": [{"project_id": 1, "region_id": 1, "name": "prod"}] * 2}

    assert problems(data) == [
        "state.yaml: namespaces[1].name: "
        "duplicate namespace 'prod' in project 1, region 1 (first at namespaces[0])"
    ]


def test_duplicate_function_name() -> None:
    assert problems(state_with({"name": "fn"}, {"name": "gn"}, {"name": "fn"})) == [
        "state.yaml: namespaces[0].functions[2].name: "
        "duplicate function name 'fn' (first at namespaces[0].functions[0])"
    ]


def test_long_values_are_shortened_in_messages() -> None:
    (line,) = problems(state_with({"name": "fn", "code_text": "x" * 100_001}))

    assert line.startswith("state.yaml: namespaces[0].functions[0].code_text: 'xxx")
    assert line.endswith("...' (100001 characters) is too long")
    assert len(line) < 200


def test_every_problem_is_listed_in_document_order() -> None:
    data = state_with(
        {"name": "fn", "timeout": -1}, {"name": "fn", "main_method": ""}, region_id="x"
    )

    assert problems(data) == [
        "state.yaml: namespaces[0].functions[0].timeout: -1 is less than the minimum of 0",
        "state.yaml: namespaces[0].functions[1].main_method: '' should be non-empty",
        "state.yaml: namespaces[0].functions[1].name: "
        "duplicate function name 'fn' (first at namespaces[0].functions[0])",
        "state.yaml: namespaces[0].region_id: 'x' is not of type 'integer'",
    ]


# --- file problems ------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        EmulatorStateError, match=r"^state\.yaml: cannot read: No such file or directory$"
    ):
        load_state("state.yaml")


def test_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("state.yaml").mkdir()
    with pytest.raises(EmulatorStateError, match=r"^state\.yaml: cannot read: Is a directory$"):
        load_state("state.yaml")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"namespaces": [}', "state.yaml:1:17: invalid JSON: Expecting value"),
        (b"namespaces: []\n# \xff\n", "state.yaml: not UTF-8 text (bad byte at offset 17)"),
        ("", "state.yaml: is empty: expected a mapping with 'namespaces'"),
        ("# only a comment\n", "state.yaml: is empty: expected a mapping with 'namespaces'"),
        ("just text", "state.yaml: 'just text' is not of type 'object'"),
    ],
)
def test_unreadable_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | bytes, expected: str
) -> None:
    assert load_problems(tmp_path, monkeypatch, content) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # libyaml and pure-Python PyYAML word and place these slightly differently.
        (
            "namespaces:\n  - name: a: b\n",
            r"state\.yaml:2:\d+: invalid YAML: mapping values are not allowed",
        ),
        (
            "namespaces:\n\t- x\n",
            r"state\.yaml:2:1: invalid YAML: found character that cannot start any token",
        ),
    ],
)
def test_invalid_yaml_points_at_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, expected: str
) -> None:
    assert re.match(expected, load_problems(tmp_path, monkeypatch, content))


def test_problem_lines_name_the_file_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("conf").mkdir()
    Path("conf/live.json").write_text('{"namespaces": 3}')
    with pytest.raises(EmulatorStateError) as caught:
        load_state(Path("conf/live.json"))
    assert str(caught.value) == "conf/live.json: namespaces: 3 is not of type 'array'"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            {"namespace": "Prod_API"},
            "state.yaml: namespaces[0].name: 'Prod_API' does not match "
            "'^[a-z][-a-z0-9]{0,24}[a-z0-9]$'",
        ),
        (
            {"function": "x" * 27},
            "state.yaml: namespaces[0].functions[0].name: 'xxxxxxxxxxxxxxxxxxxxxxxxxxx' does not "
            "match '^[a-z][-a-z0-9]{0,24}[a-z0-9]$'",
        ),
        (
            {"function": "hello\n"},  # Python's "$" would let the final newline through
            "state.yaml: namespaces[0].functions[0].name: 'hello\\n' does not match "
            "'^[a-z][-a-z0-9]{0,24}[a-z0-9]$'",
        ),
    ],
)
def test_names_gcore_cannot_hold_are_refused(names: dict[str, str], expected: str) -> None:
    data = state_with({"name": names.get("function", "hello")}, name=names.get("namespace", "prod"))
    assert problems(data) == [expected]


def test_gcore_names_at_the_bounds_load() -> None:
    data = state_with({"name": "x" * 26}, {"name": "ab"}, name="prod-api-2")
    assert list(parse_state(data).namespaces[0].functions) == ["x" * 26, "ab"]


def test_deploy_status_is_a_map_of_integers() -> None:
    assert problems(state_with({"name": "fn", "deploy_status": {"ready": "1"}})) == [
        "state.yaml: namespaces[0].functions[0].deploy_status.ready: '1' is not of type 'integer'"
    ]
    loaded = parse_state(state_with({"name": "fn", "deploy_status": {"deployed": 1}}))
    assert loaded.namespaces[0].functions["fn"].data["deploy_status"] == {"deployed": 1}
