"""The tags that show learners what a release changed: `new::<version>` on the notes it added, `changed::<version>`
on the notes whose text it changed, and the deck description's "What's new".

A note keeps its tag until its text changes again: Anki replaces a note's tags when it updates the note, and
skips a note whose time is not newer, so an unchanged note must ship with the very tags it had (the learner's
own tags on it then stay). The tags are worked out from the ledger's release history, never stored: the first
release adds nothing new to anyone, so it tags nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exporter.release.ledger import FieldChange, Release

NEW_TAG = "new::{version}"
CHANGED_TAG = "changed::{version}"
#: the changes that leave the card's text as learners read it (a moved card even stays in its deck on import)
_NOT_TEXT = frozenset({"tags", "deck"})


def text_changed(fields: Sequence[FieldChange]) -> bool:
    """Whether a change is one learners read on the card (not only its tags or deck)."""
    return any(change.field not in _NOT_TEXT for change in fields)


def release_tags(releases: Sequence[Release]) -> dict[str, str]:
    """Each card's release tag (for the cards that have one): the last release that added it or changed its
    text names it."""
    tags: dict[str, str] = {}
    for release in releases[1:]:
        changes = release.changes
        for card_id in changes.added:
            tags[card_id] = NEW_TAG.format(version=release.version)
        for card_id in changes.restored:
            tags[card_id] = CHANGED_TAG.format(version=release.version)
        for card_id, fields in changes.changed.items():
            if text_changed(fields):
                tags[card_id] = CHANGED_TAG.format(version=release.version)
    return tags


@dataclass(frozen=True, slots=True)
class WhatsNew:
    """What a release brings learners, for the deck description."""

    version: str
    added: tuple[str, ...]
    #: the cards whose text changed (not only their tags or deck)
    changed: tuple[str, ...]
    #: how many cards only their tags or deck changed
    retagged: int = 0


def whats_new(releases: Sequence[Release], version: str) -> WhatsNew | None:
    """What this version brings, if it is a release after the first (the first is new to everyone)."""
    if len(releases) < 2 or releases[-1].version != version:
        return None
    changes = releases[-1].changes
    changed = tuple(card_id for card_id, fields in changes.changed.items() if text_changed(fields))
    restored = tuple(card_id for card_id in changes.restored if card_id not in changes.changed)
    return WhatsNew(version, changes.added, changed + restored, len(changes.changed) - len(changed))
