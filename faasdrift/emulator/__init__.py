"""A Gcore FaaS API emulator: a real local HTTP server for tests, demos, benchmarks and CI.

It serves the read-only FaaS endpoints from a validated state file, checks the API key, logs every
request, and can misbehave on purpose (``Faults``) so clients are tested against a bad day too.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faasdrift.emulator.faults import BodyFault, Faults
    from faasdrift.emulator.recording import RecordedRequest
    from faasdrift.emulator.server import Emulator
    from faasdrift.emulator.state import (
        EmulatedFunction,
        EmulatedNamespace,
        EmulatorState,
        load_state,
        parse_state,
    )
    from faasdrift.emulator.validation import EmulatorStateError

# Loaded on first use (PEP 562): `faasdrift --version` imports the emulator's command, and with
# it this package, but must not pay for http.server, yaml and jsonschema.
_MODULE_OF = {
    "BodyFault": "faults",
    "Faults": "faults",
    "RecordedRequest": "recording",
    "Emulator": "server",
    "EmulatedFunction": "state",
    "EmulatedNamespace": "state",
    "EmulatorState": "state",
    "load_state": "state",
    "parse_state": "state",
    "EmulatorStateError": "validation",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)


__all__ = [
    "BodyFault",
    "EmulatedFunction",
    "EmulatedNamespace",
    "Emulator",
    "EmulatorState",
    "EmulatorStateError",
    "Faults",
    "RecordedRequest",
    "load_state",
    "parse_state",
]
