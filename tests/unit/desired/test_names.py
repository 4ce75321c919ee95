"""Names reach CI logs: the schema refuses control characters in function and namespace names."""

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


@pytest.mark.parametrize("field", ["name", "namespace"])
def test_the_schema_refuses_control_characters_in_names(tmp_path: Path, field: str) -> None:
    entry = {"name": "hello", "namespace": "prod"} | {field: "x\\n::error::forged"}
    path = write(
        tmp_path,
        f"""\
        defaults: {{project_id: 1, region_id: 1}}
        functions:
          - {{name: "{entry["name"]}", namespace: "{entry["namespace"]}"}}
        """,
    )
    with pytest.raises(DesiredFileError) as raised:
        load_desired(path, display_name="d.yaml")
    [problem] = raised.value.problems
    assert str(problem).endswith(
        f"functions[0].{field}: 'x\\n::error::forged' holds a control character (a newline, "
        "tab or escape); names cannot"
    )
