"""What every test shares: hypothesis never times an example.

Time is measured by ``make bench``, never asserted in tests. Hypothesis' default deadline (200 ms
per example) is a timed assertion: on a loaded CI machine a 6 ms example once took 548 ms and
failed a run. Property tests that want fewer or more examples still set their own ``settings``;
this profile only takes the deadline away.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("faasdrift", deadline=None)
settings.load_profile("faasdrift")
