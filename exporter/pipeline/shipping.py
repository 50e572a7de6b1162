"""A rendered note, or a retired card's, made into what every output needs (ShippedNote): its lines of each
file, made once.

Its own module, loaded when a chunk first ships notes: validate ships none, and needs none of the writers.
"""

from __future__ import annotations

from exporter.model import Card
from exporter.pipeline.shipped import ShippedNote
from exporter.release.ledger import LEDGER_FILE, CardEntry, entry_hash
from exporter.release.ledger_lines import card_line_head
from exporter.rendering.notes import RenderedNote, stable_id
from exporter.writers.changelog import card_answer, card_label
from exporter.writers.csv import anki_csv_line, spreadsheet_line


def ship(rendered: RenderedNote) -> ShippedNote:
    """A rendered note as every output needs it."""
    card = rendered.card
    note_type = rendered.note_type.id
    digest = entry_hash(note_type, rendered.deck_name, rendered.fields, rendered.tags)
    return ShippedNote(
        card_id=card.id,
        kind=card.kind,
        note_type=note_type,
        guid=rendered.guid,
        deck_name=rendered.deck_name,
        fields=rendered.fields,
        tags=rendered.tags,
        ordinals=rendered.card_ordinals,
        note_id=stable_id("note", rendered.guid),
        card_ids=tuple(stable_id("card", rendered.guid, ordinal) for ordinal in rendered.card_ordinals),
        hash=digest,
        anki_csv_line=anki_csv_line(rendered),
        spreadsheet_line=spreadsheet_line(rendered),
        ledger_head=card_line_head(
            card.id,
            rendered.guid,
            card.kind,
            note_type,
            rendered.deck_name,
            rendered.fields,
            rendered.tags,
            rendered.card_ordinals,
            digest,
            card.renamed_from,
        ),
        label=card_label(card.id, rendered.deck_name, rendered.fields[0]),
        answer=card_answer(note_type, rendered.fields),
        path=card.location.path,
        places=_places(card),
        renamed_from=card.renamed_from,
    )


def _places(card: Card) -> tuple[int, int, int, int]:
    kind = card.where("kind")
    return card.location.line, card.location.column, kind.line, kind.column


def retired_note(card_id: str, entry: CardEntry) -> ShippedNote:
    """A retired card's note as the package ships it: no cards, so newcomers get nothing to study, while learners
    who have it get the retired tag (their cards and history untouched)."""
    return ShippedNote(
        card_id=card_id,
        kind=entry.kind,
        note_type=entry.note_type,
        guid=entry.guid,
        deck_name=entry.deck,
        fields=entry.fields,
        tags=entry.tags,
        ordinals=(),
        note_id=stable_id("note", entry.guid),
        card_ids=(),
        hash=entry.hash,
        anki_csv_line="",
        spreadsheet_line="",
        ledger_head="",
        label="",
        answer="",
        path=LEDGER_FILE,
        places=(0, 0, 0, 0),
    )
