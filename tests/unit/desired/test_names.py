"""Names reach CI logs: function and namespace names must be names Gcore accepts, and a control
character (even one final newline, which Python's "$" lets through) never is."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from faasdrift.desired.document import load_desired
from faasdrift.errors import DesiredFileError


def write(folder: Path, body: str) -> Path:
    path = folder / "desired.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def with_name(folder: Path, field: str, value: str) -> tuple[Path, dict[str, str]]:
    """A desired file declaring ``prod/hello`` with ``field`` (name or namespace) set to
    ``value`` as a double-quoted YAML string, so escapes such as ``\\n`` are read."""
    entry = {"name": "hello", "namespace": "prod"} | {field: value}
    body = f"""\
        defaults: {{project_id: 1, region_id: 1}}
        functions:
          - {{name: "{entry["name"]}", namespace: "{entry["namespace"]}"}}
        """
    return write(folder, body), entry


@pytest.mark.parametrize("value", ["x\\n::error::forged", "hello\\n", "hello\\r", "hel\\tlo"])
@pytest.mark.parametrize("field", ["name", "namespace"])
def test_the_schema_refuses_control_characters_in_names(
    tmp_path: Path, field: str, value: str
) -> None:
    path, _ = with_name(tmp_path, field, value)
    with pytest.raises(DesiredFileError) as raised:
        load_desired(path, display_name="d.yaml")
    [problem] = raised.value.problems
    # The YAML escape is what the value's repr shows: the message holds no control character.
    assert str(problem).endswith(
        f"functions[0].{field}: '{value}' is not a name Gcore accepts: 2 to 26 lowercase letters,"
        " digits and '-', starting with a letter and ending with a letter or a digit"
    )


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("ab", True),
        ("a", False),  # at least two characters
        ("a" * 26, True),
        ("a" * 27, False),
        ("prod-api-2", True),
        ("prod_api", False),
        ("Prod", False),
        ("2prod", False),
        ("prod-", False),
        ("-prod", False),
    ],
)
@pytest.mark.parametrize("field", ["name", "namespace"])
def test_names_follow_gcores_rule(tmp_path: Path, field: str, value: str, ok: bool) -> None:
    path, entry = with_name(tmp_path, field, value)
    if ok:
        [function] = load_desired(path).functions
        assert function.identity.label == f"{entry['namespace']}/{entry['name']}"
        return
    with pytest.raises(DesiredFileError) as raised:
        load_desired(path, display_name="d.yaml")
    [problem] = raised.value.problems
    assert problem.position is not None
    assert problem.position.line == 3
    assert f"functions[0].{field}: '{value}' is not a name Gcore accepts: 2 to 26" in str(problem)
