"""Pausing the cyclic garbage collector while large acyclic data is built.

Loading a desired file of 10,000 functions builds ~300,000 objects, a page of a function list
~50,000; none of them is in a reference cycle, so reference counting frees them all. Yet every
700 allocations start a collection, and the older generations' collections walk everything
built so far: 2,157 collections took 2.3-2.7 s of a 10,000-function check (bench/RESULTS.md).

Pausing is not all: what was built while paused is still in the youngest generation, so the
first collection after it walks all of it, a second one walks it again on promoting it, and a
full one a third time (0.1 s each after a 10,000-function load), finding nothing. Data kept for
the rest of the run (the desired state) is frozen instead (``gc.freeze``): no collection looks
at it again, and reference counting still frees whatever of it is dropped.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# Objects a build must leave behind to be frozen. Freezing takes every object alive then, and a
# cycle among them that is garbage already is never collected after: below this (a desired file
# of a few hundred functions, every test's), the walks cost a few ms and are not worth that.
FREEZE_ABOVE = 20_000


@contextmanager
def building_acyclic_data(*, long_lived: bool = False) -> Iterator[None]:
    """No cyclic collection inside; the collector's state is restored after (nested: the
    outermost one restores it). ``long_lived``: what is built inside is kept for the rest of
    the run; a large build that ends without an error is then frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if long_lived and enabled and gc.get_count()[0] > FREEZE_ABOVE:
            gc.freeze()  # the count: objects made since the last collection, less those freed
    finally:
        if enabled:
            gc.enable()


def builds_long_lived_data(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run inside ``building_acyclic_data(long_lived=True)``."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with building_acyclic_data(long_lived=True):
            return function(*args, **kwargs)

    return paused
