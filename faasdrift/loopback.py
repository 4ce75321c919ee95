"""Which hosts are this machine itself: the one rule for plain HTTP and for the emulator's address.

The client sends the API key over ``http://`` only to such a host (nobody on a network path can read
it), and the emulator warns when it listens anywhere else (anyone who reaches it can read the
state). One rule for both, so the two can never disagree about what "local" means.
"""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1 (bracketed or not): a host this machine answers for."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
