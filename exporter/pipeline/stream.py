"""A card set's chunks, file after file in order: from the cache, or read here, or read by a helper process on
the other core. A big file comes in pieces (see reading/pieces.py), so it too is read on two cores and
never held whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

from exporter.errors import Problem
from exporter.pipeline.chunks import Chunk, chunk_of, compile_piece, head_chunk, joined, remainder
from exporter.pipeline.context import Context
from exporter.pipeline.parallel import read_all, read_in_order
from exporter.reading.files import topic_file_bytes

if TYPE_CHECKING:
    from exporter.pipeline.cache import Cache
    from exporter.reading.pieces import Piece


def _untold(size: int) -> None:
    pass


#: What is read on either core: a whole file (path, card folder, context, cache identity, the cache folder to
#: keep its chunk in) or a piece of one.
_FileWork = tuple[str, str, Context, bytes | None, str | None]
_Work = tuple[str, _FileWork] | tuple[str, "tuple[Piece, Context]"]


class _Planned(NamedTuple):
    """How one topic file's chunks will come."""

    path: Path
    #: its cache entry: to take the chunk from (head None), or to keep a file in pieces under; None if neither
    key: str | None
    #: a file in pieces: its head's chunk and how many pieces follow
    head: tuple[Chunk, int] | None
    #: the file's bytes (what the progress of the reading counts)
    size: int


def card_set_chunks(
    paths: list[Path], root: Path, context: Context, cache: Cache | None, told: Callable[[int], None] = _untold
) -> Iterator[Chunk]:
    """Each topic file's chunk (a big file's as several), in order: from the cache where it has it, else read.

    told is given each file's size in bytes once its chunks are all given: the progress of the reading."""
    plan, work, sizes = _plan(paths, root, context, cache)
    fresh = read_in_order(compile_work, work, sizes)
    for planned in plan:
        if planned.head is not None:
            yield from _file_in_pieces(planned.path, root, context, cache, planned.key, planned.head, fresh)
        else:
            yield _whole_file_chunk(planned, root, context, cache, fresh)
        told(planned.size)


def _plan(
    paths: list[Path], root: Path, context: Context, cache: Cache | None
) -> tuple[list[_Planned], list[_Work], list[int]]:
    """How each file's chunks will come, and the work to read (on either core) with its sizes in bytes."""
    fingerprint = context.fingerprint()
    identity = cache.identity if cache is not None else None
    folder = cache.writable_folder() if cache is not None else None
    store_in = None if folder is None else str(folder)
    plan: list[_Planned] = []
    work: list[_Work] = []
    sizes: list[int] = []
    for path in paths:
        found = topic_file_bytes(path, root)
        if isinstance(found, Problem):
            plan.append(_Planned(path, None, None, 0))
            work.append(("file", (str(path), str(root), context, identity, None)))
            sizes.append(0)
            continue
        key = cache.key(found[0], found[1], fingerprint) if cache is not None else None
        if cache is not None and key is not None and cache.has(key):
            plan.append(_Planned(path, key, None, len(found[0])))
            continue
        # here, not at the top: it brings the YAML reader, which a set whose every file is kept does without
        from exporter.reading.pieces import PIECE_CHARACTERS, topic_in_pieces

        split = topic_in_pieces(*found) if len(found[0]) > PIECE_CHARACTERS else None
        if split is not None:
            topic, file_pieces = split
            # a set's only file changes at almost every build: keeping it costs more than it saves
            kept = key if len(paths) > 1 else None
            plan.append(_Planned(path, kept, (head_chunk(topic, context), len(file_pieces)), len(found[0])))
            work.extend(("piece", (piece, context)) for piece in file_pieces)
            sizes.extend(len(piece.text[0]) for piece in file_pieces)
            continue
        plan.append(_Planned(path, None, None, len(found[0])))
        work.append(("file", (str(path), str(root), context, identity, store_in)))
        sizes.append(len(found[0]))
    return plan, work, sizes


def _whole_file_chunk(
    planned: _Planned, root: Path, context: Context, cache: Cache | None, fresh: Iterator[object]
) -> Chunk:
    """A file's chunk from the cache, or read (on either core: fresh gives what was read in order)."""
    stored = cache.get(planned.key) if cache is not None and planned.key is not None else None
    if isinstance(stored, Chunk):
        return stored
    if planned.key is None or cache is None:  # read, on either core, and kept in the cache by whoever read it
        fresh_key, chunk = cast("tuple[str | None, Chunk]", next(fresh))
        if cache is not None and fresh_key is not None:
            cache.mark_used(fresh_key)
        return chunk
    # an entry in the cache that cannot be read: read the file here
    fresh_key, chunk = compile_file((str(planned.path), str(root), context, cache.identity, None))
    chunk = chunk.packed()
    if fresh_key is not None:
        cache.put(fresh_key, chunk)
    return chunk


def _file_in_pieces(
    path: Path,
    root: Path,
    context: Context,
    cache: Cache | None,
    key: str | None,
    planned: tuple[Chunk, int],
    fresh: Iterator[object],
) -> Iterator[Chunk]:
    """A big file's chunks: its head's, then each piece's. Should a piece not read quickly, the file is read
    whole and what it holds beyond the pieces given comes as one more chunk."""
    head, count = planned
    yield head
    given: list[Chunk] = [head]
    given_problems, given_ids, given_notes = list(head.problems), 0, 0
    whole_read = False
    for _ in range(count):
        chunk = next(fresh)  # every piece is taken, to keep the order of the files after
        if whole_read:
            continue
        if not isinstance(chunk, Chunk):
            whole_read = True
            whole = compile_file((str(path), str(root), context, None, None))[1]
            yield remainder(whole, given_problems, given_ids, given_notes).packed()
            continue
        given_problems.extend(chunk.problems)
        given_ids += len(chunk.ids)
        given_notes += chunk.note_count
        if key is not None:
            given.append(chunk)
        yield chunk
    if cache is not None and key is not None and not whole_read:
        cache.put(key, joined(given))


def compile_work(work: _Work) -> object:
    """Read one file or piece, its notes packed, and keep a file's chunk in the cache (module level: a helper
    process runs it too; packing and keeping there takes that work off this process, which also writes the
    release; see docs/performance.md)."""
    kind, item = work
    if kind == "piece":
        piece = compile_piece(cast("tuple[Piece, Context]", item))
        return None if piece is None else piece.packed()
    file_work = cast("_FileWork", item)
    key, chunk = compile_file(file_work)
    chunk = chunk.packed()
    store_in = file_work[4]
    if key is not None and store_in is not None:
        from exporter.pipeline.cache import write_entry

        write_entry(Path(store_in), key, chunk)
    return key, chunk


def compile_file(item: _FileWork) -> tuple[str | None, Chunk]:
    """Read one topic file into its chunk, with the cache key of what was read (with the code identity given)."""
    from exporter.pipeline.cache import entry_key
    from exporter.reading.loading import read_topic_file

    path, root, context, identity, _ = item
    found = topic_file_bytes(Path(path), Path(root))
    if isinstance(found, Problem):
        return None, Chunk((found,), (), (), (), None, None, 0, ())
    data, shown = found
    key = entry_key(identity, data, shown, context.fingerprint()) if identity is not None else None
    topic, problems = read_topic_file(data, shown, map_pieces=read_all)
    if topic is None:
        return key, Chunk(tuple(problems), (), (), (), None, None, 0, ())
    return key, chunk_of(topic, problems, context)
