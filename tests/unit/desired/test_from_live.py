"""The importer's document reads back, through the real desired-file loader, to the live values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faasdrift.desired.document import load_desired
from faasdrift.desired.from_live import MAX_FUNCTIONS, LiveFunction, escape, plan_import
from faasdrift.desired.interpolate import expand
from faasdrift.errors import UsageError

# Text the API can hold: any character but surrogates and NUL (code_text must be non-empty).
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=80)
ENV_VALUE = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40
)


def live(name: str, namespace: str = "prod", **data: Any) -> LiveFunction:
    return LiveFunction(1, 1, namespace, {"name": name, **data})


def read_back(tmp_path: Path, functions: list[LiveFunction], environ: dict[str, str]) -> Any:
    plan = plan_import(functions)
    path = tmp_path / "desired.yaml"
    path.write_text(plan.text, encoding="utf-8")
    return load_desired(path, environ=environ)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=TEXT.filter(bool), dependencies=TEXT, value=ENV_VALUE, description=ENV_VALUE)
def test_every_value_round_trips(
    tmp_path: Path, code: str, dependencies: str, value: str, description: str
) -> None:
    fn = live(
        "fn",
        code_text=code,
        dependencies=dependencies,
        description=description,
        envs={"PLAIN": value},
        timeout=5,
    )
    state = read_back(tmp_path, [fn], {})
    assert dict(state.functions[0].fields) == {
        **{key: fn.data[key] for key in fn.data if key != "name"},
        "disabled": False,  # written even when the API leaves them out: absent means these
        "keys": [],
    }


@given(value=ENV_VALUE)
def test_escape_is_undone_by_interpolation(value: str) -> None:
    assert expand(escape(value), {}) == (value, False)


def test_defaults_take_the_most_common_namespace(tmp_path: Path) -> None:
    functions = [live("fa", "small"), live("fb", "big"), live("fc", "big")]
    plan = plan_import(functions)
    assert "  namespace: big\n" in plan.text
    assert "- name: fa\n  namespace: small\n" in plan.text
    state = read_back(tmp_path, functions, {})
    assert [fn.identity.label for fn in state.functions] == ["big/fb", "big/fc", "small/fa"]


def test_a_secret_shared_by_value_needs_one_variable() -> None:
    functions = [
        live("a", envs={"DB_PASSWORD": "one"}),
        live("b", envs={"DB_PASSWORD": "one"}),
        live("c", envs={"DB_PASSWORD": "two"}),
    ]
    plan = plan_import(functions)
    assert plan.variables == ("DB_PASSWORD", "PROD_C_DB_PASSWORD")
    assert "one" not in plan.text
    assert "two" not in plan.text
    assert "DB_PASSWORD: ${PROD_C_DB_PASSWORD}  # secret: live value not written" in plan.text


def test_secrets_come_back_from_the_environment(tmp_path: Path) -> None:
    functions = [live("fa", envs={"API_TOKEN": "t", "LEVEL": "info"})]
    state = read_back(tmp_path, functions, {"API_TOKEN": "t"})
    assert state.functions[0].fields["envs"] == {"API_TOKEN": "t", "LEVEL": "info"}
    assert state.functions[0].sensitive == frozenset({"API_TOKEN"})


def test_code_dir_files_are_named_uniquely() -> None:
    functions = [
        live("A", code_text="a", runtime="python3.10"),
        live("a", code_text="b", runtime="python3.10"),
        live("x/../y", code_text="c", runtime="node18"),
        live("z", code_text="d", runtime="weird"),
    ]
    plan = plan_import(functions, code_dir="code")
    assert [file.path for file in plan.code_files] == [
        "code/prod/A.py",
        "code/prod/a-2.py",
        "code/prod/x_.._y.js",
        "code/prod/z.txt",
    ]
    assert "code_text" not in plan.text


def test_too_many_functions_is_refused() -> None:
    assert MAX_FUNCTIONS == 10_000  # the desired schema's maxItems
    with pytest.raises(UsageError, match="at most 10000"):
        plan_import([live(f"f{index}") for index in range(MAX_FUNCTIONS + 1)])
