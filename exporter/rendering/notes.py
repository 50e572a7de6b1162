"""The model → what Anki stores: note fields as HTML, GUIDs, tags, deck names, which cards a note makes.

Pure functions: no I/O, no genanki. Every output (package, CSV, ledger, review page, stats) is made from the
notes rendered here, so a card looks the same wherever it goes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from exporter.kinds import edition_note_types
from exporter.model import Card, Deck, Source
from exporter.notetypes import NoteType
from exporter.rendering.cloze_syntax import OPENING
from exporter.rendering.references import rewrite_references
from exporter.rendering.text_format import field_html

#: what starts the tag of each of a note's learning outcomes
OUTCOME_TAG = "outcome::"


@dataclass(frozen=True, slots=True)
class RenderedNote:
    """One Anki note, ready for any writer."""

    card: Card
    guid: str
    note_type: NoteType
    #: field HTML in the note type's field order
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck_name: str
    #: the template ordinals (or cloze numbers − 1) of the cards this note makes
    card_ordinals: tuple[int, ...]

    def field(self, name: str) -> str:
        return self.fields[_field_positions(self.note_type.fields)[name]]


@cache
def _field_positions(fields: tuple[tuple[int, str], ...]) -> dict[str, int]:
    # Writers ask for fields by name for every note; NoteType.field_names builds a new tuple each time.
    return {name: position for position, (_, name) in enumerate(fields)}


def note_guid(deck_id: str, card_id: str) -> str:
    """A note's GUID from the deck id and the card id only, so edits to the text keep learners' progress."""
    digest = hashlib.sha256(f"{deck_id}\x1f{card_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode("ascii")


def stable_id(*parts: object) -> int:
    """A positive 53-bit id from names, for Anki's deck, note and card ids (it needs integers, we need stability)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 11 or 1


def cloze_numbers(text: str) -> tuple[int, ...]:
    """The distinct cloze numbers in a text, ascending: one card each."""
    return tuple(sorted({int(number) for number in OPENING.findall(text)}))


def render_note(deck: Deck, card: Card, media_names: Mapping[str, str] | None = None) -> RenderedNote:
    """Turn one card definition into the note Anki will store; media_names maps media to stored names."""
    note_type = edition_note_types(deck.lang, deck.labels)[card.kind]
    source = source_html(card.source, dict(deck.labels).get("slide", "Slide"))
    # Each note type field is named after its YAML key (Term ← term); Source comes from the card's source.
    field_names = note_type.field_names
    values = {name: field_html(card.fields.get(name.lower(), "")) for name in field_names}
    if media_names:
        values = {name: rewrite_references(value, media_names) for name, value in values.items()}
    values["Source"] = source
    if note_type.is_cloze:
        # the numbers in the field as shipped: Anki makes its cards from the stored field, not from the YAML
        ordinals = tuple(number - 1 for number in cloze_numbers(values["Text"]))
    else:
        ordinals = tuple(range(len(note_type.templates)))
    return RenderedNote(
        card=card,
        guid=note_guid(deck.id, card.renamed_from or card.id),  # a renamed card keeps its notes
        note_type=note_type,
        fields=tuple(values[name] for name in field_names),
        tags=card.tags + outcome_tags(card.outcomes),
        deck_name=sys.intern(deck.subdeck_name(card.subdeck)),  # one string for all the notes of a deck
        card_ordinals=ordinals,
    )


@lru_cache(maxsize=4096)
def outcome_tags(outcomes: tuple[str, ...]) -> tuple[str, ...]:
    """A note's learning outcomes as tags (`outcome::LO2`), so learners and trainers can build filtered decks."""
    return tuple(f"{OUTCOME_TAG}{outcome}" for outcome in outcomes)


@lru_cache(maxsize=4096)
def source_html(source: Source, slide_word: str = "Slide") -> str:
    """A source as the Source field shows it; many notes share one, and so one string."""
    return html.escape(source.describe(slide_word), quote=False)


def render_notes(deck: Deck, media_names: Mapping[str, str] | None = None) -> list[RenderedNote]:
    """Every note of the deck, in deck order."""
    return [render_note(deck, card, media_names) for card in deck.cards]


def deck_description(deck: Deck) -> str:
    """The deck description learners see on the deck screen, with the version they have."""
    parts = [html.escape(deck.description, quote=False)] if deck.description else []
    source = html.escape(deck.source_title, quote=False)
    parts.append(f"Version {html.escape(deck.version, quote=False)}" + (f" · Source: {source}" if source else ""))
    return "<br><br>".join(parts)
