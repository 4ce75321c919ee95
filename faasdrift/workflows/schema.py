"""`schema`: the desired file's JSON Schema, self-contained, for editors and other tools."""

from __future__ import annotations

import json

from faasdrift.schemas import DESIRED_SCHEMA, inlined_schema


def desired_schema_text() -> str:
    """The desired-file schema with every ``$ref`` resolved, as indented JSON."""
    return json.dumps(inlined_schema(DESIRED_SCHEMA), indent=2) + "\n"
