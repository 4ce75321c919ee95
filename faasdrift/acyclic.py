"""Pausing the cyclic garbage collector while large acyclic data is built.

Loading a desired file of 10,000 functions builds ~300,000 objects, a page of a function list
~50,000; none of them is in a reference cycle, so reference counting frees them all. Yet every
700 allocations start a collection, and the older generations' collections walk everything
built so far: 2,157 collections took 2.3-2.7 s of a 10,000-function check (bench/RESULTS.md).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def building_acyclic_data() -> Iterator[None]:
    """No cyclic collection inside; the collector's state is restored after (nested: the
    outermost one restores it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def builds_acyclic_data(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run inside ``building_acyclic_data``."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with building_acyclic_data():
            return function(*args, **kwargs)

    return paused
