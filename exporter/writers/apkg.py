"""Rendered notes → an Anki package (.apkg), byte for byte the same for the same input.

The only module that imports genanki. genanki gives the collection schema and the note type and deck JSON
that every Anki version accepts; notes and cards are written here with executemany, so each note carries
the time its own content last changed (genanki would stamp every note with one build time).
"""
from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import IO, Mapping, Sequence

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from exporter.errors import ExporterError, Location
from exporter.media import MediaFile
from exporter.model import Deck
from exporter import notetypes
from exporter.notetypes import NOTE_TYPES, NoteType
from exporter.render import RenderedNote, deck_description, stable_id

# Zip entries carry this date so the package depends only on its content (zip cannot store earlier dates).
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def genanki_model(note_type: NoteType) -> genanki.Model:
    """The genanki model of one of our note types, with fixed ids on every field and template."""
    return genanki.Model(
        model_id=note_type.id,
        name=note_type.name,
        fields=[{"name": name, "id": field_id} for field_id, name in note_type.fields],
        templates=[{"name": template.name, "id": template.id, "qfmt": template.question,
                    "afmt": template.answer} for template in note_type.templates],
        css=notetypes.CSS,
        model_type=genanki.Model.CLOZE if note_type.is_cloze else genanki.Model.FRONT_BACK,
    )


def write_apkg(out: IO[bytes], deck: Deck, notes: Sequence[RenderedNote], *, note_mtimes: Mapping[str, int],
               note_type_mtimes: Mapping[int, int], media: Sequence[MediaFile] = ()) -> None:
    """Write the package to an open binary file, with the media files under their stored names."""
    collection = collection_bytes(deck, notes, note_mtimes=note_mtimes, note_type_mtimes=note_type_mtimes)
    write_package(out, collection, media)


def collection_bytes(deck: Deck, notes: Sequence[RenderedNote], *, note_mtimes: Mapping[str, int],
                     note_type_mtimes: Mapping[int, int]) -> bytes:
    """The package's collection database: decks, note types, notes and cards."""
    with tempfile.TemporaryDirectory(prefix="flashcards-") as scratch:
        database = Path(scratch) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            _fill_collection(connection, deck, notes, note_mtimes, note_type_mtimes)
            connection.commit()
        finally:
            connection.close()
        return database.read_bytes()


def write_package(out: IO[bytes], collection: bytes, media: Sequence[MediaFile] = ()) -> None:
    """Zip a collection database and its media files into a package (zlib lets other threads run meanwhile)."""
    with zipfile.ZipFile(out, "w") as package:
        _add_entry(package, "collection.anki2", collection)
        # Anki's package format: the "media" entry maps numbered zip entries to the files' names.
        index = {str(number): item.stored_name for number, item in enumerate(media)}
        _add_entry(package, "media", json.dumps(index, sort_keys=True).encode())
        for number, item in enumerate(media):
            _add_entry(package, str(number), _read_media(item))


def _read_media(item: MediaFile) -> bytes:
    try:
        return item.path.read_bytes()
    except OSError as error:
        raise ExporterError(Location(str(item.path)), f"cannot read the media file: {error.strerror or error}") from None


def _add_entry(package: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    package.writestr(info, data, compresslevel=9)


def _fill_collection(connection: sqlite3.Connection, deck: Deck, notes: Sequence[RenderedNote],
                     note_mtimes: Mapping[str, int], note_type_mtimes: Mapping[int, int]) -> None:
    cursor = connection.cursor()
    # A scratch file: no need to survive a power cut, and none of these settings changes a byte of the database.
    cursor.execute("PRAGMA synchronous = OFF")
    cursor.execute("PRAGMA journal_mode = MEMORY")
    cursor.execute("PRAGMA cache_size = -262144")
    cursor.executescript(APKG_SCHEMA)
    cursor.executescript(APKG_COL)

    deck_ids = {name: stable_id("deck", name) for name in _deck_names(deck, notes)}
    decks_json = {}
    for name, deck_id in deck_ids.items():
        anki_deck = genanki.Deck(deck_id, name, deck_description(deck) if name == deck.title else "")
        decks_json[str(deck_id)] = anki_deck.to_json()
    cursor.execute("UPDATE col SET decks = ?", (json.dumps(decks_json, sort_keys=True),))

    top_deck_id = deck_ids[deck.title]
    models_json = {}
    for note_type in NOTE_TYPES.values():
        models_json[str(note_type.id)] = genanki_model(note_type).to_json(note_type_mtimes[note_type.id],
                                                                         top_deck_id)
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models_json, sort_keys=True),))

    # Rows are made as SQLite takes them, not gathered into lists first: at 100,000 notes the lists alone were
    # a tenth of the build's memory.
    note_ids = [stable_id("note", note.guid) for note in notes]
    note_rows = ((note_id, note.guid, note.note_type.id, note_mtimes[note.guid], -1, _anki_tags(note.tags),
                  "\x1f".join(note.fields), note.fields[0], 0, 0, "") for note_id, note in zip(note_ids, notes))
    cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", note_rows)
    # a new card (type 0, queue 0), due in deck order
    card_rows = ((stable_id("card", note.guid, ordinal), note_id, deck_ids[note.deck_name], ordinal,
                  note_mtimes[note.guid], -1, 0, 0, position, 0, 0, 0, 0, 0, 0, 0, 0, "")
                 for position, (note_id, note) in enumerate(zip(note_ids, notes), start=1)
                 for ordinal in note.card_ordinals)
    cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows)


def _deck_names(deck: Deck, notes: Sequence[RenderedNote]) -> list[str]:
    names = [deck.title]
    names.extend(name for name in dict.fromkeys(note.deck_name for note in notes) if name != deck.title)
    return names


def _anki_tags(tags: Sequence[str]) -> str:
    return f" {' '.join(tags)} " if tags else ""
