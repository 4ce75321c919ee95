"""faasdrift: detect drift between declared and live Gcore FaaS functions."""

from __future__ import annotations

__version__ = "0.1.0"
