"""A release written as its notes come, chunk after chunk: the package, both CSV files, the ledger and the
changelog, each into a file of its own. Little more than each card's id stays in memory, so a build's memory
hardly grows with the deck.
"""
from __future__ import annotations

import sqlite3
import tempfile
from contextlib import ExitStack, contextmanager
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from exporter.changes import Comparison, Consent
from exporter.chunks import ShippedNote
from exporter.errors import ExporterError, Location
from exporter.media import MediaFile
from exporter.model import Deck
from exporter.notetypes import NOTE_TYPES
from exporter.releases import (LEDGER_FILE, CardEntry, Changes, Ledger, card_line, entry_line, note_type_entries, releases_after,
                               retired_entries, write_ledger)
from exporter.render import stable_id
from exporter.writers.apkg import CollectionWriter, write_package
from exporter.writers.changelog import card_label, write_changelog
from exporter.writers.csv import ANKI_CSV_HEADER, SPREADSHEET_HEAD


class ReleaseWriter:
    """Writes one release into the given files (by what they are for, as build.output_names names them)."""

    def __init__(self, files: Mapping[str, Path], deck: Deck, previous: Ledger, now: int,
                 consent: Consent = Consent()) -> None:
        self._files = files
        self._deck = deck
        self._previous = previous
        self._now = now
        self.comparison = Comparison(previous, now, consent)
        self._note_types = note_type_entries(previous, now)
        # what close() lets go of, last made first; all made so far, should making one fail
        self._resources = ExitStack()
        try:
            self._open(files, deck)
        except BaseException:
            self._resources.close()
            raise
        self.note_count = 0
        self.card_count = 0

    def _open(self, files: Mapping[str, Path], deck: Deck) -> None:
        try:
            scratch = Path(self._resources.enter_context(tempfile.TemporaryDirectory(prefix="flashcards-")))
        except OSError as error:
            raise _scratch_error(error.strerror or str(error)) from None
        self._scratch = scratch
        self._collection = CollectionWriter(scratch / "collection.anki2", deck,
                                            {type_id: entry.mtime for type_id, entry in self._note_types.items()})
        self._resources.callback(self._collection.close)
        # Ledger lines wait here to come out in card id order, as the ledger lists them,
        self._ledger_lines = sqlite3.connect(scratch / "ledger.sqlite")
        self._resources.callback(self._ledger_lines.close)
        self._ledger_lines.execute("PRAGMA journal_mode = OFF")
        # and the changelog's label of each card: 100,000 of them in a dict were a fifth of the build's memory
        self._ledger_lines.execute("CREATE TABLE lines (id TEXT PRIMARY KEY, line TEXT, label TEXT) WITHOUT ROWID")
        # Not the retired notes: a CSV import would give newcomers cards for them.
        self._anki_csv = self._resources.enter_context(open(files["anki_csv"], "x", encoding="utf-8", newline=""))
        self._anki_csv.write(ANKI_CSV_HEADER)
        self._spreadsheet_csv = self._resources.enter_context(open(files["spreadsheet_csv"], "x", encoding="utf-8",
                                                                   newline=""))
        self._spreadsheet_csv.write(SPREADSHEET_HEAD)

    def add(self, notes: Sequence[ShippedNote]) -> None:
        """Write notes, in deck order."""
        timed = [(note, self.comparison.add(note)) for note in notes]
        self._collection.add(timed)
        self._anki_csv.write("".join(note.anki_csv_line for note in notes))
        self._spreadsheet_csv.write("".join(note.spreadsheet_line for note in notes))
        self._ledger_lines.executemany("INSERT INTO lines VALUES (?, ?, ?)",
                                       [(note.card_id, card_line(note.ledger_head, mtime), note.label)
                                        for note, mtime in timed])
        self.card_count += sum(len(note.ordinals) for note in notes)
        self.note_count += len(notes)

    def changes(self, topic_locations: Mapping[str, Location]) -> Changes:
        """What the notes written change for learners; ExporterError if that needs consent not given."""
        changes = self.comparison.changes()
        refused = self.comparison.refusals(self._deck, changes, topic_locations)
        if refused:
            raise ExporterError.from_problems(refused)
        return changes

    def finish(self, changes: Changes, media: Sequence[MediaFile]) -> None:
        """Add the retired notes, then write the package on other cores (SQLite and zlib let other threads run)
        while the ledger and the changelog are written here."""
        deck, previous = self._deck, self._previous
        self._anki_csv.close()
        self._spreadsheet_csv.close()
        retired = sorted(retired_entries(previous, self.comparison.shipped, deck.version, self._now))
        self._collection.add([(_retired_note(card_id, entry), entry.mtime) for card_id, entry in retired
                              if entry.note_type in _NOTE_TYPE_IDS])
        self._ledger_lines.executemany("INSERT INTO lines VALUES (?, ?, ?)",
                                       [(card_id, entry_line(card_id, entry),
                                         card_label(card_id, entry.deck, entry.fields[0]))
                                        for card_id, entry in retired])
        ledger = Ledger(deck_id=deck.id, title=deck.title, version=deck.version, note_types=self._note_types,
                        releases=releases_after(previous, deck.version, changes, self._now))
        with ThreadPoolExecutor(max_workers=1) as pool:
            packed = pool.submit(self._write_package, media)
            with open(self._files["ledger"], "x", encoding="utf-8", newline="") as stream:
                write_ledger(stream, ledger, (line for line, in self._ledger_lines.execute(
                    "SELECT line FROM lines ORDER BY id")))
            with open(self._files["changelog"], "x", encoding="utf-8", newline="") as stream:
                write_changelog(stream, ledger, dict(self._ledger_lines.execute("SELECT id, label FROM lines")))
            packed.result()

    def _write_package(self, media: Sequence[MediaFile]) -> None:
        self._collection.finish()
        with open(self._files["apkg"], "xb") as stream:
            write_package(stream, self._scratch / "collection.anki2", media)

    def close(self) -> None:
        """Let go of the scratch files (the written files stay)."""
        self._resources.close()


@contextmanager
def scratch_failures() -> Iterator[None]:
    """A scratch database that cannot be written (a full temporary folder) as our error, not a traceback."""
    try:
        yield
    except sqlite3.Error as error:
        raise _scratch_error(str(error)) from None


def _scratch_error(reason: str) -> ExporterError:
    return ExporterError(Location(tempfile.gettempdir()), f"cannot write the build's scratch files ({reason}); "
                                                          "free some space there, or set TMPDIR to a folder with "
                                                          "room")


# A note type the exporter no longer has cannot be shipped: its notes stay in the ledger only.
_NOTE_TYPE_IDS = frozenset(note_type.id for note_type in NOTE_TYPES.values())


def _retired_note(card_id: str, entry: CardEntry) -> ShippedNote:
    """A retired card's note as the package ships it: no cards, so newcomers get nothing to study, while learners
    who have it get the retired tag (their cards and history untouched)."""
    return ShippedNote(card_id=card_id, kind=entry.kind, note_type=entry.note_type, guid=entry.guid,
                       deck_name=entry.deck, fields=entry.fields, tags=entry.tags, ordinals=(),
                       note_id=stable_id("note", entry.guid), card_ids=(), hash=entry.hash, anki_csv_line="",
                       spreadsheet_line="", ledger_head="", label="", path=LEDGER_FILE, places=(0, 0, 0, 0))
