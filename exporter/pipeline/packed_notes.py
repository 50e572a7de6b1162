"""A chunk's notes packed for writing: their rows of the package's tables and of the ledger, in a SQLite database
of their own (as bytes), so a build copies them in SQLite and a rebuild never makes a Python object per note of
an unchanged file.

The rows lack what depends on the last release (each note's time) and on the chunks before (each card's place
in the deck): the release writer gives those when it copies them (see attached).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from exporter.errors import ExporterError, Location
from exporter.pipeline.shipped import PackedNotes, ShippedNote
from exporter.release.ledger_lines import head_digest
from exporter.release.notes import NoteKey
from exporter.rendering.notes import stable_id
from exporter.writers.apkg import PACKAGE_ROWS_SCHEMA, insert_package_rows

# The package's rows (the .apkg writer's format) and the ledger's lines, each row with the note's place.
_SCHEMA = PACKAGE_ROWS_SCHEMA + "CREATE TABLE lines (pos INTEGER PRIMARY KEY, id, head, label, answer, digest);\n"


def pack(notes: Sequence[ShippedNote]) -> PackedNotes:
    """The notes, in deck order, packed."""
    deck_ids = {name: stable_id("deck", name) for name in dict.fromkeys(note.deck_name for note in notes)}
    return PackedNotes(
        rows=_rows(notes, deck_ids),
        keys=tuple(
            NoteKey(note.card_id, note.deck_name, note.ledger_head, note.places, note.renamed_from)
            for note in notes
        ),
        path=notes[0].path if notes else "",
        deck_names=tuple(deck_ids),
        card_count=sum(len(note.ordinals) for note in notes),
        anki_csv="".join(note.anki_csv_line for note in notes),
        spreadsheet="".join(note.spreadsheet_line for note in notes),
    )


def _rows(notes: Sequence[ShippedNote], deck_ids: Mapping[str, int]) -> bytes:
    """The notes' rows (see _SCHEMA), as the bytes of a SQLite database written in a scratch file."""
    try:
        descriptor, name = tempfile.mkstemp(prefix="flashcards-rows-", suffix=".sqlite")
        os.close(descriptor)
    except OSError as error:
        raise scratch_error(error.strerror or str(error)) from None
    path = Path(name)
    try:
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.executescript(_SCHEMA)
            _insert_rows(connection, notes, deck_ids)
            connection.commit()
        finally:
            connection.close()
        return path.read_bytes()
    except OSError as error:
        raise scratch_error(error.strerror or str(error)) from None
    finally:
        path.unlink(missing_ok=True)


def _insert_rows(
    connection: sqlite3.Connection, notes: Sequence[ShippedNote], deck_ids: Mapping[str, int]
) -> None:
    insert_package_rows(connection, notes, deck_ids)
    connection.executemany(
        "INSERT INTO lines VALUES (?,?,?,?,?,?)",
        [
            (pos, note.card_id, note.ledger_head, note.label, note.answer, head_digest(note.ledger_head))
            for pos, note in enumerate(notes)
        ],
    )


@contextmanager
def attached(connection: sqlite3.Connection, rows: Path) -> Iterator[None]:
    """The packed rows in the file rows attached as schema `chunk`, for copying from in one transaction."""
    connection.execute("ATTACH DATABASE ? AS chunk", (str(rows),))  # (not in a transaction: before the rest)
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    else:
        connection.commit()
    finally:
        connection.execute("DETACH DATABASE chunk")


@contextmanager
def scratch_failures() -> Iterator[None]:
    """A scratch database that cannot be written (a full temporary folder) as our error, not a traceback."""
    try:
        yield
    except sqlite3.Error as error:
        raise scratch_error(str(error)) from None


def scratch_error(reason: str) -> ExporterError:
    return ExporterError(
        Location(tempfile.gettempdir()),
        f"cannot write the build's scratch files ({reason}); "
        "free some space there, or set TMPDIR to a folder with "
        "room",
    )
