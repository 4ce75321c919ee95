"""``${VAR}`` interpolation: syntax, defaults, escapes, errors at file:line, what it hides."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from faasdrift.compare import compare_all
from faasdrift.desired.document import load_desired
from faasdrift.desired.interpolate import expand, interpolate
from faasdrift.desired.yaml_reader import load_yaml_file
from faasdrift.errors import DesiredFileError, ExitCode
from faasdrift.model import DesiredState, FunctionId, LiveResult, LiveStatus

ENV = {"DB_PASSWORD": "s3cret-from-env", "STAGE": "prod", "EMPTY": ""}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${STAGE}", "prod"),
        ("api-${STAGE}-v1", "api-prod-v1"),
        ("${MISSING:-fallback}", "fallback"),
        ("${EMPTY:-fallback}", "fallback"),  # like the shell's :-, empty takes the default
        ("${STAGE:-fallback}", "prod"),
        ("${MISSING:-}", ""),
        ("${EMPTY}", ""),
        ("$${STAGE}", "${STAGE}"),
        ("cost: $5, $HOME, $", "cost: $5, $HOME, $"),
        ("${MISSING:-a:-b c}", "a:-b c"),
    ],
)
def test_expand(text: str, expected: str) -> None:
    assert expand(text, ENV)[0] == expected


def test_only_real_references_count_as_used() -> None:
    assert expand("$${STAGE}", ENV) == ("${STAGE}", False)
    assert expand("${STAGE}", ENV) == ("prod", True)


def write(folder: Path, text: str) -> Path:
    path = folder / "desired.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


HEADER = """\
defaults: {project_id: 1, region_id: 1, namespace: "prod-api"}
functions:
"""


def load(folder: Path, body: str, environ: dict[str, str] = ENV) -> DesiredState:
    path = write(folder, HEADER + textwrap.dedent(body))
    return load_desired(path, display_name="desired.yaml", environ=environ)


def messages(folder: Path, body: str, environ: dict[str, str] = ENV) -> list[str]:
    with pytest.raises(DesiredFileError) as caught:
        load(folder, body, environ)
    assert caught.value.exit_code == ExitCode.USAGE
    return [str(problem) for problem in caught.value.problems]


def test_settings_are_interpolated_but_code_is_not(tmp_path: Path) -> None:
    state = load(
        tmp_path,
        """\
          - name: hello
            description: "built for ${STAGE}"
            runtime: "python-${STAGE}"
            code_text: "console.log(`${name}`)"
            dependencies: "requests==${VERSION}"
            ignore: [{path: timeout, reason: "costs $${PRICE}"}]
        """,
    )
    function = state.functions[0]
    assert function.identity == FunctionId(1, 1, "prod-api", "hello")
    assert function.ignore[0].reason == "costs ${PRICE}"  # taken as written, $${ still an escape
    assert function.fields["description"] == "built for prod"
    assert function.fields["runtime"] == "python-prod"
    assert function.fields["code_text"] == "console.log(`${name}`)"
    assert function.fields["dependencies"] == "requests==${VERSION}"


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ("  - name: ${STAGE}\n", "3:9: functions[0].name"),
        ("  - name: api\n    namespace: ${STAGE}\n", "4:14: functions[0].namespace"),
        ("  - name: api\n    project_id: ${STAGE}\n", "4:15: functions[0].project_id"),
        ("  - name: api\n    sensitive: ['${STAGE}']\n", "4:15: functions[0].sensitive[0]"),
        (
            "  - name: api\n    ignore: [{path: timeout, reason: '${STAGE}'}]\n",
            "4:36: functions[0].ignore[0].reason",
        ),
    ],
)
def test_identity_ignore_rules_and_sensitive_lists_take_no_values(
    tmp_path: Path, entry: str, where: str
) -> None:
    found = messages(tmp_path, entry, {**ENV, "STAGE": "s3cret-stage"})
    assert len(found) == 1
    assert found[0].startswith(f"desired.yaml:{where}: '${{STAGE}}' is not expanded here: ")
    assert "s3cret-stage" not in found[0]


def test_top_level_values_are_taken_as_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        defaults: {project_id: 1, region_id: 1, namespace: "${STAGE}"}
        ignore: [{path: timeout, reason: "${STAGE}"}]
        functions: [{name: api}]
        """,
    )
    with pytest.raises(DesiredFileError) as caught:
        load_desired(path, display_name="d.yaml", environ=ENV)
    assert [(p.path, p.position) for p in caught.value.problems] == [
        ("defaults.namespace", caught.value.problems[0].position),
        ("ignore[0].reason", caught.value.problems[1].position),
    ]
    assert all("is not expanded here" in p.message for p in caught.value.problems)


def test_interpolated_env_values_and_listed_names_are_sensitive(tmp_path: Path) -> None:
    state = load(
        tmp_path,
        """\
          - name: hello
            envs: {DB_URL: "${DB_PASSWORD}", LOG_LEVEL: info, SESSION_SALT: abc}
            sensitive: [SESSION_SALT]
        """,
    )
    assert state.functions[0].sensitive == frozenset({"DB_URL", "SESSION_SALT"})


def test_the_drift_engine_hides_what_interpolation_marked(tmp_path: Path) -> None:
    state = load(
        tmp_path,
        "  - name: hello\n    envs: {DB_URL: '${DB_PASSWORD}', SALT: x}\n    sensitive: [SALT]\n",
    )
    function = state.functions[0]
    live = LiveResult(
        function.identity, LiveStatus.FOUND, data={"envs": {"DB_URL": "old", "SALT": "y"}}
    )
    changes = compare_all(state, {function.identity: live}).functions[0].changes
    assert [(change.path, change.sensitive) for change in changes] == [
        ("envs.DB_URL", True),
        ("envs.SALT", True),
    ]


def test_an_unset_variable_is_named_at_its_line(tmp_path: Path) -> None:
    assert messages(
        tmp_path,
        """\
          - name: hello
            envs: {TOKEN: "${API_TOKEN}"}
            description: "${ALSO_UNSET}"
        """,
    ) == [
        "desired.yaml:4:17: functions[0].envs.TOKEN: environment variable API_TOKEN is not set "
        "(give a default with ${API_TOKEN:-default})",
        "desired.yaml:5:16: functions[0].description: environment variable ALSO_UNSET is not set "
        "(give a default with ${ALSO_UNSET:-default})",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "${1ABC}",
            "'${1ABC}' is not a valid reference: use ${NAME} or ${NAME:-default} (write "
            "$${ for a literal ${)",
        ),
        (
            "${A:?err}",
            "'${A:?err}' is not a valid reference: use ${NAME} or ${NAME:-default} "
            "(write $${ for a literal ${)",
        ),
        ("${OPEN", "'${' is not closed with '}'; write $${ for a literal ${"),
    ],
)
def test_a_malformed_reference_is_a_problem(tmp_path: Path, value: str, message: str) -> None:
    found = messages(tmp_path, f"  - name: hello\n    description: '{value}'\n")
    assert found == [f"desired.yaml:4:16: functions[0].description: {message}"]


def test_schema_messages_quote_the_reference_never_the_value(tmp_path: Path) -> None:
    environ = {**ENV, "LONG_SECRET": "k" * 300}
    found = messages(tmp_path, "  - name: hello\n    envs: {KEY: '${LONG_SECRET}'}\n", environ)
    assert found == [
        "desired.yaml:4:15: functions[0].envs.KEY: '${LONG_SECRET}' is too long: 300 characters "
        "(the maximum is 255)"
    ]


def test_sensitive_names_must_be_unique_env_names(tmp_path: Path) -> None:
    found = messages(tmp_path, "  - name: hello\n    sensitive: [A, A, 'not valid']\n")
    assert len(found) == 2
    assert all(line.startswith("desired.yaml:4:") for line in found)


def test_an_unset_variable_is_a_placeholder_only_when_asked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "  - {name: a, timeout: '${T}', flavor: '${F:-80mCPU-128MB}', runtime: '${STAGE}',"
        + " description: 'x-${NOPE}-y'}\n",
    )
    document = load_yaml_file(path, source="desired.yaml")

    asked = interpolate(document, ENV, source="desired.yaml", unset_as_placeholder=True)
    assert asked.problems == ()
    # A default written in the file and a set variable are known values, not placeholders.
    assert asked.placeholders == {("functions", 0, "timeout"), ("functions", 0, "description")}
    assert asked.data["functions"][0]["description"] == "x--y"

    strict = interpolate(document, ENV, source="desired.yaml")
    assert strict.placeholders == frozenset()
    assert [problem.path for problem in strict.problems] == [
        "functions[0].timeout",
        "functions[0].description",
    ]
