"""The cyclic garbage collector, paused while many objects are made and none refers back: reading a card set,
streaming its chunks, a helper process's work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading a file makes many objects and no cycles, and each collection
    would walk every node made so far (see docs/performance.md)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
