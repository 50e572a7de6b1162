"""What learners must do when they import a release, decided once from the release's facts.

The changelog's "On import" line and the install sheet's steps both say it, each in its own markup: the words
are here, as phrases marked by what they are (a button or box to tick, a search to type, a deck's name).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NamedTuple

from exporter.model import Deck
from exporter.release.ledger import RETIRED_TAG, Changes
from exporter.release.note_type_changes import description_kind


class Phrase(NamedTuple):
    """A piece of an instruction: plain words, the name of something in Anki to tap or tick, a search to type
    in Anki's browser, or a name of ours (a deck's)."""

    text: str
    style: Literal["", "control", "search", "name"] = ""


#: One sentence telling learners what to do (or that nothing needs doing).
Step = tuple[Phrase, ...]


def deck_has_options(deck: Deck) -> bool:
    """Whether the package carries a deck options preset, which a first import brings only when learners tick
    *Import any deck presets*."""
    return deck.options is not None


def needs_merge(changes: Changes) -> bool:
    """Whether learners must tick *Merge note types*: a note type's fields or templates changed (a new note type or
    a new look arrives by itself)."""
    return any(description_kind(description) == "schema" for description in changes.note_types)


def retired_search(deck_title: str) -> str:
    """What to type in Anki's browser to find the deck's retired cards (subdecks included)."""
    # in Anki's search, a backslash makes * _ " and itself plain characters
    escaped = "".join("\\" + char if char in '\\"*_' else char for char in deck_title)
    return f'"deck:{escaped}" tag:{RETIRED_TAG}'


def update_steps(changes: Changes, deck_title: str) -> tuple[Step, ...]:
    """What learners who have the last release must do when they import this one, in order; always at least one
    sentence, so that "nothing to do" is said rather than left to guess."""
    steps = tuple(_update_steps(changes, deck_title))
    if steps:
        return steps
    looks = any(description_kind(description) == "look" for description in changes.note_types)
    if looks:
        return (
            (
                Phrase(
                    "Nothing to do but import the file: the cards' look (templates or styling) changed, and "
                    "arrives with the import; progress is kept."
                ),
            ),
        )
    return ((Phrase("Nothing to do but import the file; progress is kept."),),)


def _update_steps(changes: Changes, deck_title: str) -> Iterator[Step]:
    for old, new in changes.renamed_decks:
        yield (
            Phrase("Before importing, rename the deck "),
            Phrase(old, "name"),
            Phrase(" to "),
            Phrase(new, "name"),
            Phrase(" in Anki, so the cards you have stay together."),
        )
    if needs_merge(changes):
        yield (
            Phrase("Tick "),
            Phrase("Merge note types", "control"),
            Phrase(" and set "),
            Phrase("Update notes", "control"),
            Phrase(" to "),
            Phrase("Always", "control"),
            Phrase(": the note types changed, and without it Anki keeps the old cards and skips the updates."),
        )
    if changes.options_changed:
        yield (
            Phrase("Tick "),
            Phrase("Import any deck presets", "control"),
            Phrase(" to take the deck's new daily limits and steps; without it you keep your own."),
        )
    if changes.retired:
        count = len(changes.retired)
        yield (
            Phrase(f"Suspend the {count} retired card{'s' if count != 1 else ''}: after the import, in "),
            Phrase("Browse", "control"),
            Phrase(" search "),
            Phrase(retired_search(deck_title), "search"),
            Phrase(", select them all, then " if count != 1 else ", select it, then "),
            Phrase("Suspend", "control"),
            Phrase("."),
        )


def first_import_steps(has_options: bool) -> tuple[Step, ...]:
    """What a learner importing the deck for the first time chooses in the import window."""
    if has_options:
        return (
            (
                Phrase("Tick "),
                Phrase("Import any deck presets", "control"),
                Phrase(": it sets the daily limits of new cards and reviews your trainer chose."),
            ),
        )
    return ((Phrase("Nothing to choose: keep the import window's settings."),),)


def plain_text(step: Step) -> str:
    """A step's words without any markup."""
    return "".join(phrase.text for phrase in step)
