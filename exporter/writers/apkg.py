"""Rendered notes → an Anki package (.apkg), byte for byte the same for the same input.

The only module that imports genanki. genanki gives the collection schema and the note type and deck JSON
that every Anki version accepts; notes and cards are copied here in SQL from the pipeline's packed rows, so each
note carries the time its own content last changed (genanki would stamp every note with one build time).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import IO, Protocol

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from exporter.checking.media import MediaFile
from exporter.errors import ExporterError, Location
from exporter.kinds import edition_note_types
from exporter.model import Deck
from exporter.notetypes import NoteType
from exporter.release.note_times import note_time
from exporter.release.options_preset import OptionsPreset
from exporter.release.release_tags import WhatsNew
from exporter.rendering.notes import note_guid, stable_id
from exporter.writers.apkg_decks import (
    add_note_tags,
    column_json,
    deck_configs_json,
    decks_json,
    package_description,
)

#: zlib's level for the package: below the default, as deflating is a rebuild's largest single cost and higher
#: levels save little size for much more time (see docs/performance.md).
DEFLATE_LEVEL = 5
# Zip entries carry this date so the package depends only on its content (zip cannot store earlier dates).
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def genanki_model(note_type: NoteType) -> genanki.Model:
    """The genanki model of one of our note types, with fixed ids on every field and template."""
    return genanki.Model(
        model_id=note_type.id,
        name=note_type.name,
        fields=[{"name": name, "id": field_id} for field_id, name in note_type.fields],
        templates=[
            {"name": template.name, "id": template.id, "qfmt": template.question, "afmt": template.answer}
            for template in note_type.templates
        ],
        css=note_type.styling,
        model_type=genanki.Model.CLOZE if note_type.is_cloze else genanki.Model.FRONT_BACK,
    )


class PackageNote(Protocol):
    """What the package's rows need of a note (the pipeline's ShippedNote has it)."""

    @property
    def note_id(self) -> int: ...
    @property
    def guid(self) -> str: ...
    @property
    def note_type(self) -> int: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def fields(self) -> tuple[str, ...]: ...
    @property
    def deck_name(self) -> str: ...
    #: the ids of the note's cards, and their template ordinals (or cloze numbers − 1)
    @property
    def card_ids(self) -> tuple[int, ...]: ...
    @property
    def ordinals(self) -> tuple[int, ...]: ...


# A chunk's notes and cards as rows, each with the note's place in the chunk (pos), for CollectionWriter.add to
# copy in SQL. No column types: each value keeps the type it was given, and the tables copied into give theirs,
# as when the values are inserted there directly.
PACKAGE_ROWS_SCHEMA = """
CREATE TABLE notes (pos INTEGER PRIMARY KEY, id, guid, mid, tags, flds, sfld);
CREATE TABLE cards (pos, id, nid, did, ord);
"""


def insert_package_rows(
    connection: sqlite3.Connection, notes: Sequence[PackageNote], deck_ids: Mapping[str, int]
) -> None:
    """Insert the notes' rows and their cards' into tables made by PACKAGE_ROWS_SCHEMA."""
    connection.executemany(
        "INSERT INTO notes VALUES (?,?,?,?,?,?,?)",
        [
            (
                pos,
                note.note_id,
                note.guid,
                note.note_type,
                _anki_tags(note.tags),
                "\x1f".join(note.fields),
                note.fields[0],
            )
            for pos, note in enumerate(notes)
        ],
    )
    connection.executemany(
        "INSERT INTO cards VALUES (?,?,?,?,?)",
        [
            (pos, card_id, note.note_id, deck_ids[note.deck_name], ordinal)
            for pos, note in enumerate(notes)
            for card_id, ordinal in zip(note.card_ids, note.ordinals, strict=True)
        ],
    )


def _anki_tags(tags: Sequence[str]) -> str:
    return f" {' '.join(tags)} " if tags else ""


class CollectionWriter:
    """The package's collection database, written note by note into a file: decks, note types, notes and cards.

    Notes and cards wait in a scratch database until finish() copies them over in id order with the indexes made
    after: SQLite appends rows that come in order, but puts rows with random (hashed) ids in place one by one.
    """

    def __init__(self, path: Path, deck: Deck, note_type_mtimes: Mapping[int, int]) -> None:
        self._deck = deck
        self._note_type_mtimes = note_type_mtimes
        self._deck_names: dict[str, int] = {deck.title: stable_id("deck", deck.title)}
        self._position = 0
        # finish() may be called from another thread than the one that added the notes (never at the same time)
        self._connection = sqlite3.connect(path, check_same_thread=False)
        cursor = self._cursor = self._connection.cursor()
        # A scratch file: no need to survive a power cut, and none of these settings changes a byte of the database.
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.executescript(_TABLES)
        cursor.executescript(APKG_COL)
        cursor.execute("ATTACH DATABASE '' AS scratch")  # a private file SQLite deletes when it closes
        cursor.execute("CREATE TABLE scratch.notes AS SELECT * FROM notes WHERE 0")
        cursor.execute("CREATE TABLE scratch.cards AS SELECT * FROM cards WHERE 0")

    @property
    def connection(self) -> sqlite3.Connection:
        """The database's connection, to copy other rows from the same attached chunk (see add)."""
        return self._connection

    def add(self, deck_names: Sequence[str], note_count: int, times: bytes) -> None:
        """Add a chunk's notes and their cards from its rows, attached as `chunk` (see packed_notes.attached),
        each note with the time times gives (see release.note_times); a note with no ordinals makes no cards."""
        for name in deck_names:
            self._deck_names.setdefault(name, stable_id("deck", name))
        self._cursor.execute(
            f"INSERT INTO scratch.notes SELECT n.id, n.guid, n.mid, {note_time('n')}, -1, n.tags, "
            "n.flds, n.sfld, 0, 0, '' FROM chunk.notes n",
            {"times": times},
        )
        # a new card (type 0, queue 0), due in deck order
        self._cursor.execute(
            f"INSERT INTO scratch.cards SELECT c.id, c.nid, c.did, c.ord, {note_time('c')}, -1, 0, "
            "0, c.pos + :first, 0, 0, 0, 0, 0, 0, 0, 0, '' FROM chunk.cards c",
            {"times": times, "first": self._position + 1},
        )
        self._position += note_count

    def tag_notes(self, tags: Mapping[str, str]) -> None:
        """Add a tag to the notes of these cards (by card id), after their own tags."""
        add_note_tags(self._cursor, {self._note_id(card_id): tag for card_id, tag in tags.items()})

    def finish(self, whats_new: WhatsNew | None = None, preset: OptionsPreset | None = None) -> None:
        """Write the decks (their description ending with what's new, if given; on the deck's options preset, if
        it has options), the note types, copy the notes and cards in, and close the database."""
        deck = self._deck
        cursor = self._cursor
        description = package_description(deck, whats_new, self._first_field)
        decks = decks_json(deck, self._deck_names, description, preset if deck.options is not None else None)
        cursor.execute("UPDATE col SET decks = ?", (column_json(decks),))
        if preset is not None and deck.options is not None:
            (default_configs,) = cursor.execute("SELECT dconf FROM col").fetchone()
            configs = deck_configs_json(json.loads(default_configs), deck, deck.options, preset)
            cursor.execute("UPDATE col SET dconf = ?", (column_json(configs),))
        top_deck_id = self._deck_names[deck.title]
        models_json = {
            str(note_type.id): genanki_model(note_type).to_json(self._note_type_mtimes[note_type.id], top_deck_id)
            for note_type in edition_note_types(deck.lang, deck.labels).values()
        }
        cursor.execute("UPDATE col SET models = ?", (column_json(models_json),))
        cursor.execute("PRAGMA threads = 2")  # sorts on two cores: the rows come out in the same order
        cursor.execute("INSERT INTO notes SELECT * FROM scratch.notes ORDER BY id")
        cursor.execute("INSERT INTO cards SELECT * FROM scratch.cards ORDER BY id")
        cursor.executescript(_INDEXES)
        self._connection.commit()
        self.close()

    def _note_id(self, card_id: str) -> int:
        return stable_id("note", note_guid(self._deck.id, card_id))

    def _first_field(self, card_id: str) -> str:
        row = self._cursor.execute(
            "SELECT sfld FROM scratch.notes WHERE id = ?", (self._note_id(card_id),)
        ).fetchone()
        return str(row[0]) if row else card_id

    def close(self) -> None:
        self._connection.close()


# genanki's schema, its tables first and its indexes apart (made once the rows are in)
_TABLES = ";".join(part for part in APKG_SCHEMA.split(";") if "CREATE INDEX" not in part.upper())
_INDEXES = ";".join(part for part in APKG_SCHEMA.split(";") if "CREATE INDEX" in part.upper())


def write_package(out: IO[bytes], collection: Path, media: Sequence[MediaFile] = ()) -> None:
    """Zip a collection database and its media files into a package (zlib lets other threads run meanwhile)."""
    with zipfile.ZipFile(out, "w") as package:
        info = _entry_info("collection.anki2")
        info.file_size = collection.stat().st_size  # known: zip64 is chosen as writestr would
        with open(collection, "rb") as source, package.open(info, "w") as entry:
            entry._compressor = _BlockCompressor()  # type: ignore[attr-defined]
            shutil.copyfileobj(source, entry, 1 << 20)
        # Anki's package format: the "media" entry maps numbered zip entries to the files' names.
        index = {str(number): item.stored_name for number, item in enumerate(media)}
        _add_entry(package, "media", json.dumps(index, sort_keys=True).encode())
        for number, item in enumerate(media):
            _add_entry(package, str(number), _read_media(item))


class _BlockCompressor:
    """Deflate on every core: the data in blocks, each compressed alone and ended on a byte boundary (a sync
    flush), so the blocks' output joined is one deflate stream (as pigz makes it). The same data always gives
    the same bytes; the blocks cost hardly any size (see docs/performance.md)."""

    BLOCK = 1 << 20

    def __init__(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._workers = os.cpu_count() or 1
        self._pool = ThreadPoolExecutor(max_workers=self._workers)
        self._pending: list[Future[bytes]] = []
        self._buffer = bytearray()

    def compress(self, data: bytes) -> bytes:
        self._buffer += data
        while len(self._buffer) >= 2 * self.BLOCK:  # one block is kept back: the last must end the stream
            with memoryview(self._buffer) as view:
                block = bytes(view[: self.BLOCK])
            del self._buffer[: self.BLOCK]
            self._pending.append(self._pool.submit(_deflate, block, zlib.Z_SYNC_FLUSH))
        done = []
        # a block waiting per core at most, so memory holds a few blocks, not the whole database
        while self._pending and (self._pending[0].done() or len(self._pending) > self._workers):
            done.append(self._pending.pop(0).result())
        return b"".join(done)

    def flush(self) -> bytes:
        self._pending.append(self._pool.submit(_deflate, bytes(self._buffer), zlib.Z_FINISH))
        self._buffer = bytearray()
        try:
            return b"".join(future.result() for future in self._pending)
        finally:
            self._pending = []
            self._pool.shutdown()


def _deflate(block: bytes, ending: int) -> bytes:
    compressor = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)  # raw deflate, as zip stores it
    return compressor.compress(block) + compressor.flush(ending)


def _read_media(item: MediaFile) -> bytes:
    try:
        return item.path.read_bytes()
    except OSError as error:
        raise ExporterError(
            Location(str(item.path)), f"cannot read the media file: {error.strerror or error}"
        ) from None


def _entry_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    # no level: zlib's default, for the media (the collection is deflated by _BlockCompressor, at DEFLATE_LEVEL)
    return info


def _add_entry(package: zipfile.ZipFile, name: str, data: bytes) -> None:
    package.writestr(_entry_info(name), data)
