"""The card kinds: one entry each says everything about a kind that is data, and every layer looks that up here.

A new kind is one entry in KINDS (its note type, with new ids, in notetypes.py) and its branch in
schema/topic.schema.json, which a test holds to this table. Rules only one kind has (a cloze's deletions, the
acronyms coverage counts) stay code in their layer, and name their kind (see ARCHITECTURE.md, Adding a card kind).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from exporter.notetypes import ACRONYM, BASIC, CLOZE, NoteType, edition_note_type


@dataclass(frozen=True, slots=True)
class CardKind:
    """One kind of card: its YAML keys, its Anki note type and how each output shows it."""

    #: what cards write after ``kind:``
    name: str
    #: the text keys a card of this kind must have; the first names the card to a person (renames, titles)
    required: tuple[str, ...]
    #: the text keys it may have; required then optional is the order the content fingerprint uses
    optional: tuple[str, ...]
    note_type: NoteType
    #: the key of what the learner must recall (a cloze: the text, whose deletions are the answers)
    recall: str
    #: the key of what the card always shows before the answer; "" when each side is the other's answer
    prompt: str
    #: the keys shown as front, back and extra in plain text (the review sheet, diff); a cloze's text is both
    sides: tuple[str, str, str]
    #: Anki's stock note type for the CSV Anki imports, and our note fields for its front, its back ("" for
    #: none) and the back's extras
    stock_note_type: str
    stock_front: str
    stock_back: str
    stock_extras: tuple[str, ...]
    #: the note fields in the spreadsheet's front, back and extra columns ("" for an empty column)
    spreadsheet_fields: tuple[str, str, str]
    #: the note fields that say what a card is: an id whose note has other values in all of them holds other
    #: content (none for a cloze: its deletions say it)
    identity_fields: tuple[str, ...]
    #: those fields as a message names them ("its term")
    identity_described: str

    @property
    def fields(self) -> tuple[str, ...]:
        """Every text key, required first."""
        return self.required + self.optional

    @property
    def is_cloze(self) -> bool:
        return self.note_type.is_cloze


#: Every kind, in the order messages list them.
KINDS: tuple[CardKind, ...] = (
    CardKind(
        name="acronym",
        required=("term", "expansion"),
        optional=("explanation",),
        note_type=ACRONYM,
        recall="expansion",
        prompt="",
        sides=("term", "expansion", "explanation"),
        # The back is only the expansion: the stock reverse card shows the whole back as its question.
        stock_note_type="Basic (and reversed card)",
        stock_front="Term",
        stock_back="Expansion",
        stock_extras=(),
        spreadsheet_fields=("Term", "Expansion", "Explanation"),
        identity_fields=("Term",),
        identity_described="its term",
    ),
    CardKind(
        name="basic",
        required=("question", "answer"),
        optional=("extra",),
        note_type=BASIC,
        recall="answer",
        prompt="question",
        sides=("question", "answer", "extra"),
        stock_note_type="Basic",
        stock_front="Question",
        stock_back="Answer",
        stock_extras=("Extra", "Source"),
        spreadsheet_fields=("Question", "Answer", "Extra"),
        identity_fields=("Question", "Answer"),
        identity_described="its question and its answer",
    ),
    CardKind(
        name="cloze",
        required=("text",),
        optional=("extra",),
        note_type=CLOZE,
        recall="text",
        prompt="text",
        sides=("text", "text", "extra"),
        stock_note_type="Cloze",
        stock_front="Text",
        stock_back="",
        stock_extras=("Extra", "Source"),
        spreadsheet_fields=("Text", "", "Extra"),
        identity_fields=(),
        identity_described="every deletion",
    ),
)

#: Each kind by its name: looked up once a card, never searched.
KIND_BY_NAME: Mapping[str, CardKind] = {kind.name: kind for kind in KINDS}

#: The note type of each kind (a dict, so a test can swap one in for the release code that takes it).
NOTE_TYPES: dict[str, NoteType] = {kind.name: kind.note_type for kind in KINDS}


@lru_cache(maxsize=32)
def edition_note_types(lang: str, labels: tuple[tuple[str, str], ...] = ()) -> Mapping[str, NoteType]:
    """The note type of each kind in a language edition ("" for the English source edition): see
    notetypes.edition_note_type."""
    if not lang:
        return NOTE_TYPES
    return {name: edition_note_type(note_type, lang, labels) for name, note_type in NOTE_TYPES.items()}
