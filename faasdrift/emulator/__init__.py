"""A Gcore FaaS API emulator: a real local HTTP server for tests, demos, benchmarks and CI.

It serves the read-only FaaS endpoints from a validated state file, checks the API key, logs every
request, and can misbehave on purpose (``Faults``) so clients are tested against a bad day too.
Nothing in faasdrift imports it but the ``emulator`` command, which the CLI loads only when it runs.
"""

from __future__ import annotations

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
