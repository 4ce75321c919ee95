"""Validators for the structured report formats, shared by unit and acceptance tests."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker

from faasdrift.schemas import load_schema

SCHEMAS = Path(__file__).parents[2] / "schemas"


@cache
def _json_report_validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema("report.schema.json"), format_checker=FormatChecker())


@cache
def _gate_report_validator() -> Draft202012Validator:
    schema = load_schema("gate-report.schema.json")
    return Draft202012Validator(schema, format_checker=FormatChecker())


def valid_gate_report(text: str) -> dict[str, Any]:
    """The parsed gate report; fails the test unless it matches gate-report.schema.json."""
    document: dict[str, Any] = json.loads(text)
    _gate_report_validator().validate(document)
    return document


@cache
def _sarif_validator() -> Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    return Draft4Validator(schema, format_checker=FormatChecker())


@cache
def _junit_schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(SCHEMAS / "junit-10.xsd")


def valid_json_report(text: str) -> dict[str, Any]:
    """The parsed JSON report; fails the test unless it matches report.schema.json."""
    document: dict[str, Any] = json.loads(text)
    _json_report_validator().validate(document)
    return document


def valid_sarif(text: str) -> dict[str, Any]:
    """The parsed SARIF log; fails the test unless it matches the SARIF 2.1.0 schema."""
    document: dict[str, Any] = json.loads(text)
    _sarif_validator().validate(document)
    return document


def assert_valid_junit(text: str) -> None:
    """Fails the test unless ``text`` is valid against Jenkins' junit-10.xsd."""
    _junit_schema().validate(text)
