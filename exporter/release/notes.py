"""A note as comparing it with the last release needs it: the comparison's input, made by the pipeline."""

from __future__ import annotations

from typing import NamedTuple

from exporter.errors import Location


class NoteKey(NamedTuple):
    """What comparing a note with the last release needs, besides its content if that changed (ComparedNote)."""

    card_id: str
    deck_name: str
    #: the note's ledger line up to its time: an unchanged note's line is this and its time
    ledger_head: str
    places: tuple[int, int, int, int]
    #: the id whose notes the card keeps (see Card.renamed_from)
    renamed_from: str | None = None


class ComparedNote(NamedTuple):
    """A note as comparing it with the last release needs it (a ShippedNote has all of this, and more)."""

    card_id: str
    kind: str
    deck_name: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    hash: str
    ledger_head: str
    path: str
    places: tuple[int, int, int, int]
    #: the id whose notes the card keeps (see Card.renamed_from)
    renamed_from: str | None = None

    @property
    def location(self) -> Location:
        return Location(self.path, self.places[0], self.places[1])

    @property
    def kind_location(self) -> Location:
        return Location(self.path, self.places[2], self.places[3])
