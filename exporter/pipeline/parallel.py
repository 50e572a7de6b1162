"""Reading a big card set on two cores: composing and reading YAML is Python work that holds one core, so a
second process reads part of the files and sends back what it read (packed as cache entries are).

Only worth it when there is much to read: starting the helper and sending the cards back costs about a fifth of
reading them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from exporter.reading.composing import collector_paused

#: Card files of fewer bytes than this, in all, are read in this process alone.
PARALLEL_BYTES = 4_000_000
#: The part of the bytes the helper reads: a little less than half, as it also starts up and packs its cards.
HELPER_SHARE = 0.45

Item = TypeVar("Item")
Result = TypeVar("Result")


def read_all(read: Callable[[Item], Result], items: Sequence[Item], sizes: Sequence[int]) -> list[Result]:
    """read(item) of each item, in order; when the items' sizes (bytes of YAML) add up to much, the last ones are
    read by a helper process.

    read must be a module-level function (the helper finds it by name), and the items and results made of
    values the cache can pack.
    """
    total = sum(sizes)
    if total < PARALLEL_BYTES or len(items) < 2 or _cores() < 2:
        return [read(item) for item in items]
    import multiprocessing

    if multiprocessing.current_process().daemon:  # a daemon process may not start one of its own
        return [read(item) for item in items]
    half, running = 0, 0
    while running < total * (1 - HELPER_SHARE) and half < len(items) - 1:
        running += sizes[half]
        half += 1
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from exporter.pipeline.cache import unpack

    with ProcessPoolExecutor(max_workers=1) as pool:
        try:
            theirs = pool.submit(_read_packed, read, items[half:])
        except OSError:  # no process can be started (out of memory or processes): read everything here
            return [read(item) for item in items]
        mine = [read(item) for item in items[:half]]
        try:
            rest: list[Result] = unpack(theirs.result())  # type: ignore[assignment]
        except BrokenProcessPool:  # the helper was killed (out of memory, say): read its share here
            rest = [read(item) for item in items[half:]]
    return mine + rest


def _read_packed(read: Callable[[Item], object], items: Sequence[Item]) -> bytes:
    from exporter.pipeline.cache import pack

    with collector_paused():
        return pack([read(item) for item in items])


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


#: The helper's part of a streamed build: more than half, as this process also writes what both read.
STREAM_HELPER_SHARE = 0.6
#: How many items the helper may read ahead of this process, each waiting, read, in memory.
AHEAD = 3


def read_in_order(read: Callable[[Item], Result], items: Sequence[Item], sizes: Sequence[int]) -> Iterator[Result]:
    """read(item) of each item, yielded in order as soon as it is read; with much to read (sizes in bytes), a
    helper process reads some items, a few ahead, while this one reads and uses the others.

    read must be a module-level function, and the items and results made of values the cache can pack.
    """
    import multiprocessing

    total = sum(sizes)
    if total < PARALLEL_BYTES or len(items) < 2 or _cores() < 2 or multiprocessing.current_process().daemon:
        for item in items:
            yield read(item)
        return
    theirs: list[int] = []
    helper_bytes = mine = 0
    for index, size in enumerate(sizes):
        if helper_bytes * (1 - STREAM_HELPER_SHARE) <= mine * STREAM_HELPER_SHARE:
            theirs.append(index)
            helper_bytes += size
        else:
            mine += size
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from exporter.pipeline.cache import unpack

    with ProcessPoolExecutor(max_workers=1) as pool:
        waiting: dict[int, Future[bytes]] = {}
        queue = iter(theirs)
        helping = True
        for index, item in enumerate(items):
            while helping and len(waiting) < AHEAD:
                upcoming = next(queue, None)
                if upcoming is None:
                    break
                try:
                    waiting[upcoming] = pool.submit(_read_one_packed, read, items[upcoming])
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


def _read_one_packed(read: Callable[[Item], object], item: Item) -> bytes:
    from exporter.pipeline.cache import pack

    with collector_paused():
        return pack(read(item))
