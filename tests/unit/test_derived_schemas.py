"""schemas/derive.py: the shipped response schemas are what Gcore's own OpenAPI document says.

The committed files must be exactly the derivation of the vendored excerpt, and every conversion
the script makes must keep the meaning of the vendor's schema (same values valid, same refused).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from faasdrift.schemas import FUNCTION_LIST_SCHEMA, FUNCTION_SCHEMA, load_schema, validator_for
from tests.support import project_script

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


derive = project_script("schemas/derive.py")


def vendor() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / derive.VENDOR).read_text(encoding="utf-8"))
    return data


def test_the_committed_schemas_are_the_derivation() -> None:
    assert derive.stale(SCHEMAS) == []
    for name, schema in derive.derive(vendor()).items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == derive.rendered(schema)


def test_a_hand_edit_or_a_new_spec_is_caught(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    assert derive.stale(folder) == []
    edited = json.loads((folder / FUNCTION_SCHEMA).read_text())
    edited["properties"]["timeout"]["maximum"] = 300
    (folder / FUNCTION_SCHEMA).write_text(json.dumps(edited))
    assert derive.stale(folder) == [FUNCTION_SCHEMA]
    new_spec = json.loads((folder / derive.VENDOR).read_text())
    new_spec["schemas"]["FunctionListSerializer"]["properties"]["count"]["minimum"] = 1
    (folder / derive.VENDOR).write_text(json.dumps(new_spec))
    assert derive.stale(folder) == [FUNCTION_SCHEMA, FUNCTION_LIST_SCHEMA]
    assert derive.stale(folder, write=True) == [FUNCTION_SCHEMA, FUNCTION_LIST_SCHEMA]
    assert derive.stale(folder) == []


def test_check_mode_exits_1_on_a_stale_file_and_0_once_derived(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    script = [sys.executable, str(folder / "derive.py")]
    (folder / FUNCTION_LIST_SCHEMA).write_text("{}\n")
    checked = subprocess.run([*script, "--check"], capture_output=True, text=True, check=False)
    assert (checked.returncode, checked.stderr) == (
        1,
        f"out of date, run make schemas: {FUNCTION_LIST_SCHEMA}\n",
    )
    assert subprocess.run(script, check=False).returncode == 0
    assert subprocess.run([*script, "--check"], check=False).returncode == 0
    assert subprocess.run([*script, "--bad"], capture_output=True, check=False).returncode == 2


def test_the_excerpt_holds_only_what_the_derivation_reads() -> None:
    excerpt = vendor()
    assert excerpt["source"].startswith("G-Core/product-documentation, ")
    assert "5b666307cd89d0bb047dd97c3b4a632ac9de1ac4" in excerpt["source"]
    assert sorted(excerpt["schemas"]) == [
        "ChangeFunctionSerializer",
        "FaasAutoscalingSerializer",
        "FunctionListSerializer",
        "FunctionSerializer",
        "NamespaceSerializer",
    ]


# --- the constraints the vendor's spec brings ---------------------------------------------------

NAME = "^[a-z][-a-z0-9]{0,24}[a-z0-9]$"


def test_the_derived_constraints_are_gcores() -> None:
    schema = load_schema(FUNCTION_SCHEMA)
    properties, defs = schema["properties"], schema["$defs"]
    assert properties["name"]["pattern"] == NAME
    assert defs["namespace_name"]["pattern"] == NAME
    assert properties["keys"]["items"]["pattern"] == NAME
    instances = defs["FaasAutoscalingSerializer"]["properties"]
    assert (instances["min_instances"]["minimum"], instances["min_instances"]["maximum"]) == (0, 50)
    assert (instances["max_instances"]["minimum"], instances["max_instances"]["maximum"]) == (1, 50)
    assert properties["envs"]["propertyNames"]["pattern"] == "^[a-zA-Z_][a-zA-Z0-9_]*$"
    assert properties["deploy_status"]["additionalProperties"] == {"type": "integer"}
    assert properties["enable_api_key"]["type"] == ["boolean", "null"]
    assert properties["enable_api_key"]["default"] is None
    assert schema["required"] == ["name"]  # real answers omit the rest (the SDKs' fixtures do)
    listing = load_schema(FUNCTION_LIST_SCHEMA)
    assert listing["required"] == ["count", "results"]
    assert listing["properties"]["results"]["items"] == {"$ref": FUNCTION_SCHEMA}


def _vendor_validator(name: str) -> Draft202012Validator:
    """A validator for the vendor's own component ``name``, its refs resolved as OpenAPI does."""
    components = vendor()["schemas"]
    root = {"components": {"schemas": components}, **components[name]}
    return Draft202012Validator(root)


def _derived_validator() -> Any:
    return validator_for(FUNCTION_SCHEMA)


SAMPLES: list[dict[str, Any]] = [
    {"name": "hello", "timeout": 180},
    {"name": "hello", "timeout": 181},
    {"name": "hello", "timeout": -1},
    {"name": "Hello"},
    {"name": "a"},
    {"name": "hello", "envs": None},
    {"name": "hello", "envs": {"A_1": "v"}},
    {"name": "hello", "envs": {"1A": "v"}},
    {"name": "hello", "envs": {"A": 5}},
    {"name": "hello", "envs": {"A": "v" * 256}},
    {"name": "hello", "envs": []},
    {"name": "hello", "enable_api_key": None},
    {"name": "hello", "enable_api_key": "yes"},
    {"name": "hello", "autoscaling": {"min_instances": 0, "max_instances": 1}},
    {"name": "hello", "autoscaling": {"min_instances": 0, "max_instances": 0}},
    {"name": "hello", "autoscaling": {"min_instances": 51, "max_instances": 50}},
    {"name": "hello", "autoscaling": {"min_instances": 1}},
    {"name": "hello", "deploy_status": {"total": 2, "ready": 1}},
    {"name": "hello", "deploy_status": {"ready": "1"}},
    {"name": "hello", "code_text": ""},
    {"name": "hello", "description": "d" * 256},
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_conversion_keeps_the_vendors_meaning(sample: dict[str, Any]) -> None:
    # Only "required" is relaxed on purpose, so the vendor's answer gets every field it requires.
    known = load_schema(FUNCTION_SCHEMA)["properties"]
    complete = {
        **dict.fromkeys(vendor()["schemas"]["FunctionSerializer"]["required"], "x"),
        "timeout": 5,
        "autoscaling": {"min_instances": 0, "max_instances": 1},
        "deploy_status": {},
        **sample,
    }
    assert set(complete) <= set(known)
    vendor_ok = _vendor_validator("FunctionSerializer").is_valid(complete)
    assert _derived_validator().is_valid(complete) is vendor_ok
    assert _derived_validator().is_valid(sample) is vendor_ok  # nothing else is required


@pytest.mark.parametrize(
    ("field", "value"),
    [("disabled", True), ("disabled", None), ("disabled", "no"), ("keys", ["a-b", "cd"]),
     ("keys", None), ("keys", ["Key_1"]), ("keys", "cd")],
)  # fmt: skip
def test_disabled_and_keys_follow_the_update_request(field: str, value: Any) -> None:
    vendor_ok = _vendor_validator("ChangeFunctionSerializer").is_valid({field: value})
    assert _derived_validator().is_valid({"name": "hello", field: value}) is vendor_ok


def test_a_final_newline_never_passes_a_pattern() -> None:
    # Python's "$" matches before a final newline; JSON Schema's (ECMA-262) does not.
    assert Draft202012Validator(load_schema(FUNCTION_SCHEMA)).is_valid({"name": "hello\n"})
    assert not _derived_validator().is_valid({"name": "hello\n"})
    assert not _derived_validator().is_valid({"name": "hello", "envs": {"A\n": "v"}})
    assert _derived_validator().is_valid({"name": "hello", "envs": {"A": "v\n"}})
