"""Card files read, checked and rendered (chunks), and translation files read and checked, kept between runs,
so a rebuild (or a second validate, in a folder of its own) reads only the files that changed; also the codec
of the helper process (pack, unpack).

An entry is found by a hash of the file's bytes, the path it is shown under, what else decides its chunk (the
deck's id, title and outcomes, the media, the build's options) and the code itself (the exporter's version and
every one of its modules, the Python and YAML libraries), so an entry made from other bytes, for another deck
or by other code is never found: a stale entry cannot be used, only missed. The folder is
safe to delete at any time. An entry that cannot be read (cut short, damaged, from elsewhere) counts as
missing; writing one that fails is skipped. Entries hold only the model's own types (nothing else is
unpickled) and are rewritten whole under a new name, then renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib
import importlib.util
import io
import operator
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

CACHE_FOLDER = ".flashcards-cache"
_SUFFIX = ".entry"
#: a file kept whole (its entry holds its hash)
_FILE_SUFFIX = ".file"
_GITIGNORE = "# made by flashcards build: a cache of read card files, safe to delete\n*\n"
# What an entry may hold besides built-in values: the model and its locations, nothing that runs code.
_ALLOWED_CLASSES = {
    ("exporter.model", "Deck"),
    ("exporter.model", "DeckOptions"),
    ("exporter.model", "Card"),
    ("exporter.model", "Topic"),
    ("exporter.model", "Source"),
    ("exporter.model", "Review"),
    ("exporter.model", "Translation"),
    ("exporter.errors", "Location"),
    ("exporter.errors", "Problem"),
    ("exporter.errors", "KeyPlaces"),
    ("exporter.pipeline.chunks", "Chunk"),
    ("exporter.pipeline.shipped", "ShippedNote"),
    ("exporter.pipeline.shipped", "PackedNotes"),
    ("exporter.release.notes", "NoteKey"),
}


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if (module, name) not in _ALLOWED_CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")
        # imported if need be: a command whose every file is kept loads no reader, and so not every module
        cls: type = getattr(importlib.import_module(module), name)
        return cls


class Cache:
    """A folder of read files, by the hash of what was read and what read it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._identity = code_identity()
        self._used: set[str] = set()

    @property
    def identity(self) -> bytes:
        """What the code contributes to every key (see entry_key)."""
        return self._identity

    def key(self, data: bytes | Path, shown: str, context: bytes = b"") -> str:
        """The entry name for a file of these bytes (or this file) shown under this path, in this context, read
        by this code."""
        return entry_key(self._identity, data, shown, context)

    def has(self, key: str) -> bool:
        """Whether there is an entry under key (it may still turn out unreadable)."""
        return os.path.isfile(self.folder / (key + _SUFFIX))

    def get(self, key: str) -> object | None:
        """The value stored under key, or None if there is none that can be read."""
        self._used.add(key)
        stored_key: object
        value: object
        try:
            with open(self.folder / (key + _SUFFIX), "rb") as stream:
                stored_key, value = unpack(stream.read())  # type: ignore[misc]  # anything else: TypeError
        except FileNotFoundError:
            return None
        # A damaged entry can fail in any of these ways; it is only a miss, never an error the user sees.
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            ValueError,
            TypeError,
            AttributeError,
            KeyError,
            IndexError,
            ImportError,
            MemoryError,
            RecursionError,
        ):
            return None
        return value if stored_key == key else None

    def put(self, key: str, value: object) -> None:
        """Store a value under key; a cache that cannot be written is simply not written."""
        self._used.add(key)
        if self.writable_folder() is not None:
            write_entry(self.folder, key, value)

    def writable_folder(self) -> Path | None:
        """The folder, made if need be, for write_entry; None if it cannot be made."""
        try:
            self._make_folder()
        except OSError:
            return None
        return self.folder

    def mark_used(self, key: str) -> None:
        """Keep the entry under key at prune(): one written by write_entry, in this process or the helper."""
        self._used.add(key)

    def _make_folder(self) -> None:
        if not self.folder.is_dir():
            self.folder.mkdir(parents=True)
            # as pytest and mypy do with theirs: no card set's repository should ever commit a cache
            (self.folder / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")

    def file(self, key: str) -> Path | None:
        """The file stored under key (see put_file), or None if there is none, or not as it was stored."""
        digest = self.get(key)
        if not isinstance(digest, str):
            return None
        path = self.folder / (key + _FILE_SUFFIX)
        found = hashlib.sha256()
        try:
            with open(path, "rb") as stream:
                for block in _blocks(stream):
                    found.update(block)
        except OSError:
            return None
        return path if found.hexdigest() == digest else None

    def put_file(self, key: str, source: Path) -> None:
        """Store a copy of a file under key, checked by its hash when found; a cache that cannot be written is
        simply not written."""
        temporary = self.folder / f".{key}.{os.urandom(4).hex()}.tmp"
        digest = hashlib.sha256()
        try:
            self._make_folder()
            with open(source, "rb") as reading, open(temporary, "xb") as writing:
                for block in _blocks(reading):
                    digest.update(block)
                    writing.write(block)
            os.replace(temporary, self.folder / (key + _FILE_SUFFIX))
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            return
        self.put(key, digest.hexdigest())

    def prune(self) -> None:
        """Delete the entries this run neither found nor stored: they belong to files that are gone or changed."""
        for name in _entry_names(self.folder):
            if name.rsplit(".", 1)[0] not in self._used:
                with contextlib.suppress(OSError):
                    (self.folder / name).unlink()


def entry_key(identity: bytes, data: bytes | Path, shown: str, context: bytes = b"") -> str:
    """The entry name for a file's bytes (or the file: the same name, without holding them all) shown under a
    path, in a context, read by the code of that identity."""
    digest = hashlib.sha256(identity)
    for part in (shown.encode("utf-8", "surrogateescape"), context):
        digest.update(len(part).to_bytes(8, "big") + part)
    if isinstance(data, Path):
        with open(data, "rb") as stream:
            for block in _blocks(stream):
                digest.update(block)
    else:
        digest.update(data)
    return digest.hexdigest()


def write_entry(folder: Path, key: str, value: object) -> None:
    """Store a value under key in a cache folder (Cache.put's, or writable_folder's in the helper process, which
    keeps the entries of the files it reads); a cache that cannot be written is simply not written."""
    temporary = folder / f".{key}.{os.urandom(4).hex()}.tmp"
    try:
        with open(temporary, "xb") as stream:
            stream.write(pack((key, value)))
        os.replace(temporary, folder / (key + _SUFFIX))
    except OSError:
        with contextlib.suppress(OSError):  # the folder itself is not there to write in
            temporary.unlink(missing_ok=True)


def pack(value: object) -> bytes:
    """A value of model objects and built-in values as bytes that unpack() turns back into it."""
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _by_constructor()
    pickler.dump(value)
    return stream.getvalue()


def unpack(data: bytes) -> object:
    """What pack() packed; pickle.UnpicklingError if the bytes name anything but model classes."""
    return _ModelUnpickler(io.BytesIO(data)).load()


@functools.lru_cache(maxsize=1)
def _by_constructor() -> dict[type, Callable[[Any], tuple[type, tuple[Any, ...]]]]:
    """Store each model object as its class and field values, so reading it back is one constructor call (a
    frozen dataclass's own pickling calls dataclasses.fields() for every object; see docs/performance.md)."""
    from exporter import model
    from exporter.pipeline import chunks, shipped

    def reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
        # attrgetter of two or more names gives their values as a tuple, in C
        values = operator.attrgetter(*(field.name for field in dataclasses.fields(cls)))
        return lambda value: (cls, values(value))

    # (ShippedNote, Location and Problem are named tuples: pickle stores them as class and values already)
    classes = (
        model.Deck,
        model.DeckOptions,
        model.Card,
        model.Topic,
        model.Source,
        model.Review,
        model.Translation,
        chunks.Chunk,
        shipped.PackedNotes,
    )
    return {cls: reducer(cls) for cls in classes}


def _blocks(stream: BinaryIO) -> Iterator[bytes]:
    """A file's bytes a megabyte at a time: a kept ledger grows with the deck (see docs/performance.md)."""
    while block := stream.read(1 << 20):
        yield block


def _entry_names(folder: Path) -> Iterable[str]:
    try:
        return [name for name in os.listdir(folder) if name.endswith((_SUFFIX, _FILE_SUFFIX))]
    except OSError:
        return []


def code_identity() -> bytes:
    """A hash of everything besides a file's bytes that decides what reading it gives."""
    digest = hashlib.sha256()
    # (the package's version adds nothing to its modules' sources, and reading it costs a command's start-up)
    for part in (sys.version.encode(), _yaml_identity(), str(pickle.HIGHEST_PROTOCOL).encode()):
        digest.update(part + b"\0")
    package = Path(__file__).parent.parent  # the whole exporter: reading, checking, rendering, writers too
    for module in _modules(str(package)):
        digest.update(module.encode() + b"\0" + (package / module).read_bytes())
    return digest.digest()


def _modules(package: str) -> list[str]:
    """The package's Python files, as sorted paths relative to it."""
    found = [
        os.path.relpath(os.path.join(folder, name), package)
        for folder, _, names in os.walk(package)
        for name in names
        if name.endswith(".py")
    ]
    return sorted(found, key=lambda module: Path(module).parts)


def _yaml_identity() -> bytes:
    """PyYAML as installed, found without importing it (a command whose every file is kept reads no YAML): its
    __init__, which names its version, and the name and size of each of its files, libyaml's extension among
    them."""
    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:  # pragma: no cover - the exporter cannot run without PyYAML
        return b"none"
    init = Path(spec.origin)
    files = sorted((entry.name, entry.stat().st_size) for entry in os.scandir(init.parent) if entry.is_file())
    return init.read_bytes() + repr(files).encode()
