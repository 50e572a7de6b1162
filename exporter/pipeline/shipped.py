"""A note as every output needs it (ShippedNote), and a chunk's notes packed for writing (PackedNotes): the
records a chunk carries, light enough for validate to load (packing them is packed_notes.py's work)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from exporter.release.ledger_lines import parse_head
from exporter.release.notes import ComparedNote, NoteKey


class ShippedNote(NamedTuple):
    """One note as every output needs it: its identity, its content, and its line of each file, made once."""

    card_id: str
    kind: str
    note_type: int
    guid: str
    deck_name: str
    #: field HTML in the note type's field order
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    #: the template ordinals (or cloze numbers − 1) of the cards the note makes, and those cards' ids
    ordinals: tuple[int, ...]
    note_id: int
    card_ids: tuple[int, ...]
    #: the hash the ledger keeps to tell whether the note changed
    hash: str
    anki_csv_line: str
    spreadsheet_line: str
    #: the note's ledger line up to its time, which depends on the last release
    ledger_head: str
    #: how the changelog names the card, and shows its answer when it is added
    label: str
    answer: str
    #: where the card and its kind are written (as numbers: a Location each slows a rebuild; docs/performance.md)
    path: str
    places: tuple[int, int, int, int]
    #: the id whose notes the card keeps (see Card.renamed_from)
    renamed_from: str | None = None


def compared(note: ShippedNote) -> ComparedNote:
    """A note as comparing it needs it."""
    return ComparedNote(
        note.card_id,
        note.kind,
        note.deck_name,
        note.fields,
        note.tags,
        note.hash,
        note.ledger_head,
        note.path,
        note.places,
        note.renamed_from,
    )


@dataclass(frozen=True, slots=True)
class PackedNotes:
    """A chunk's notes, ready to copy into a release."""

    #: a SQLite database: notes, cards and ledger lines, each row with the note's place in the chunk (pos)
    rows: bytes
    keys: tuple[NoteKey, ...]
    #: the file the notes are written in
    path: str
    deck_names: tuple[str, ...]
    card_count: int
    anki_csv: str
    spreadsheet: str

    def compared_note(self, place: int) -> ComparedNote:
        """The note at this place, for comparing whole: its content is in its ledger head."""
        key = self.keys[place]
        entry = parse_head(key.ledger_head)
        return ComparedNote(
            key.card_id,
            entry.kind,
            key.deck_name,
            entry.fields,
            entry.tags,
            entry.hash,
            key.ledger_head,
            self.path,
            key.places,
            entry.renamed_from,
        )
