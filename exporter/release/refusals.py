"""The messages that stop a release until the trainer consents: each says what learners' Anki would do, and the
deliberate way through."""

from __future__ import annotations

from collections.abc import Mapping

from exporter.errors import Location, Problem
from exporter.model import Deck
from exporter.release.note_type_changes import NoteTypeChange


def other_deck(deck: Deck, previous_id: str) -> Problem:
    return Problem(
        deck.key_locations.get("id", deck.location),
        f"deck id '{deck.id}' is not '{previous_id}', the deck whose release ledger is in the "
        "output folder. Note identities come from the deck id: building here would replace that "
        "deck's release history, and learners who have it would get every card again, without its "
        "review history. Build this deck into a folder of its own with -o (for example -o "
        f"dist-{deck.id})",
    )


def deck_renamed(deck: Deck, old_deck: str, new_deck: str, topic_locations: Mapping[str, Location]) -> Problem:
    where = (
        deck.key_locations.get("title", deck.location)
        if old_deck.split("::")[0] != new_deck.split("::")[0]
        else topic_locations.get(new_deck, deck.location)
    )
    return Problem(
        where,
        f"deck '{old_deck}' is now called '{new_deck}'. Anki matches decks by name: on "
        f"learners' phones the cards they have stay in '{old_deck}' and new cards go to "
        f"'{new_deck}'. To do it deliberately, tell learners to rename the deck in Anki "
        "before importing, and build with --allow-deck-rename",
    )


def card_moved(card_id: str, old_deck: str, new_deck: str, where: Location) -> Problem:
    return Problem(
        where,
        f"card '{card_id}' moved from deck '{old_deck}' to '{new_deck}'. Anki moves no card on import: learners "
        f"who have it keep it in '{old_deck}' (with the new content), only new learners get it in "
        f"'{new_deck}'. Keep it in '{old_deck}', or to do it deliberately tell learners to move it themselves "
        f"(Browse, select it, Change Deck) and build with --allow-move {card_id}",
    )


def schema_changed(deck: Deck, change: NoteTypeChange) -> Problem:
    return Problem(
        deck.location,
        f"note type {change.description}. Learners' Anki will keep the old note type, "
        "add a copy named '…+' and skip every update to these notes unless "
        "they tick 'Merge note types' when importing. To do it deliberately, "
        "build with --allow-schema-change and tell learners to import with "
        "'Merge note types' ticked and 'Update notes' set to 'Always' (merging "
        "stamps their notes with the import time, so 'If newer' would skip "
        "the new content)",
    )
