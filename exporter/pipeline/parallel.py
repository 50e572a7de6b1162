"""Reading a big card set on two cores: composing and reading YAML is Python work that holds one core, so a
second process reads part of the files and sends back what it read (packed as cache entries are).

Only worth it when there is much to read: starting the helper and sending the cards back has a cost of its own
(see docs/performance.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from exporter.reading.collector import collector_paused

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

#: Card files of fewer bytes than this, in all, are read in this process alone.
PARALLEL_BYTES = 4_000_000

Item = TypeVar("Item")
Result = TypeVar("Result")


def read_all(read: Callable[[Item], Result], items: Sequence[Item], sizes: Sequence[int]) -> list[Result]:
    """read(item) of each item, in order, read as read_in_order reads them."""
    return list(read_in_order(read, items, sizes))


def available_cores() -> int:
    """The cores this process may run on (public: the tests give the helper two on any machine)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


#: The helper's part of the bytes: half, as this process also writes the release from what both read, and the
#: helper also packs and keeps in the cache what it reads (see docs/performance.md).
STREAM_HELPER_SHARE = 0.5
#: How many items the helper may read ahead of this process, each waiting, read, in memory.
AHEAD = 3


def read_in_order(read: Callable[[Item], Result], items: Sequence[Item], sizes: Sequence[int]) -> Iterator[Result]:
    """read(item) of each item, yielded in order as soon as it is read; with much to read (sizes in bytes), a
    helper process reads some items, a few ahead, while this one reads and uses the others.

    read must be a module-level function (the helper finds it by name), and the items and results made of
    values the cache can pack.
    """
    import multiprocessing

    total = sum(sizes)
    # (a daemon process, such as a helper itself, may not start one of its own)
    if (
        total < PARALLEL_BYTES
        or len(items) < 2
        or available_cores() < 2
        or multiprocessing.current_process().daemon
    ):
        for item in items:
            yield read(item)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1) as pool:
        yield from _read_with_helper(pool, read, items, _helper_share(sizes))


def _helper_share(sizes: Sequence[int]) -> list[int]:
    """Which items the helper reads: every few, so that it reads STREAM_HELPER_SHARE of the bytes."""
    theirs: list[int] = []
    helper_bytes = mine = 0
    for index, size in enumerate(sizes):
        if helper_bytes * (1 - STREAM_HELPER_SHARE) <= mine * STREAM_HELPER_SHARE:
            theirs.append(index)
            helper_bytes += size
        else:
            mine += size
    return theirs


def _read_with_helper(
    pool: ProcessPoolExecutor, read: Callable[[Item], Result], items: Sequence[Item], theirs: list[int]
) -> Iterator[Result]:
    """Each item's result in order: the helper's share from the helper (at most AHEAD waiting), the rest read
    here; should the helper not start or die, what it has not given is read here."""
    from concurrent.futures.process import BrokenProcessPool

    from exporter.pipeline.cache import unpack

    waiting: dict[int, Future[bytes]] = {}
    queue = iter(theirs)
    helping = True
    for index, item in enumerate(items):
        while helping and len(waiting) < AHEAD and (upcoming := next(queue, None)) is not None:
            try:
                waiting[upcoming] = pool.submit(read_packed, read, items[upcoming])
            except (OSError, BrokenProcessPool):  # no process can be started: read the rest here
                helping = False
                waiting.clear()
        future = waiting.pop(index, None)
        if future is None:
            yield read(item)
            continue
        try:
            result: Result = unpack(future.result())  # type: ignore[assignment]
        except BrokenProcessPool:  # the helper was killed (out of memory, say): read the rest here
            helping = False
            waiting.clear()
            result = read(item)
        yield result


def read_packed(read: Callable[[Item], object], item: Item) -> bytes:
    """What the helper runs for one item: read(item), packed to send back (public: the tests make it die)."""
    from exporter.pipeline.cache import pack

    with collector_paused():
        return pack(read(item))
