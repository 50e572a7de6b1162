"""What a release adds to the package's collection besides notes and cards: its decks and deck options preset as
Anki keeps them (schema 11: the `decks` and `dconf` JSON of the `col` row), the deck description with what the
release brings, and the tags that mark the notes it added or changed.

The preset is a copy of Anki's default one with the deck's values, under an id of its own that every deck of
the package points at: Anki imports it, and switches the decks to it, only when the learner ticks *Import any
deck presets*; otherwise the decks keep the preset the learner gave them (a new deck gets the default one).
"""

from __future__ import annotations

import copy
import html
import json
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

import genanki

from exporter.model import Deck, DeckOptions
from exporter.release.options_preset import OptionsPreset
from exporter.release.release_tags import CHANGED_TAG, NEW_TAG, WhatsNew
from exporter.rendering.notes import deck_description
from exporter.rendering.plain_text import gapped_line

#: how many cards "What's new" names before it only counts them
WHATS_NEW_LINES = 3
_SNIPPET = 60


def add_note_tags(cursor: sqlite3.Cursor, tags: Mapping[int, str]) -> None:
    """Add a tag to these notes (by id) of the table scratch.notes, after their own tags: in one pass over it."""
    cursor.execute("CREATE TEMP TABLE added_tags (id INTEGER PRIMARY KEY, tag TEXT)")
    cursor.executemany("INSERT INTO added_tags VALUES (?, ?)", list(tags.items()))
    cursor.execute(
        "UPDATE scratch.notes SET tags = CASE tags WHEN '' THEN ' ' ELSE tags END "
        "|| (SELECT tag FROM added_tags a WHERE a.id = notes.id) || ' ' WHERE id IN (SELECT id FROM added_tags)"
    )
    cursor.execute("DROP TABLE added_tags")


def decks_json(
    deck: Deck, deck_ids: Mapping[str, int], description: str, preset: OptionsPreset | None
) -> dict[str, Any]:
    """The `decks` JSON: the deck (with this description) and its subdecks, on the preset if there is one."""
    decks = {}
    for name, deck_id in deck_ids.items():
        anki_deck = genanki.Deck(deck_id, name, description if name == deck.title else "").to_json()
        if preset is not None:
            anki_deck["conf"] = preset.id
        decks[str(deck_id)] = anki_deck
    return decks


def deck_configs_json(
    default_configs: Mapping[str, Any], deck: Deck, options: DeckOptions, preset: OptionsPreset
) -> dict[str, Any]:
    """The `dconf` JSON: Anki's default preset, and the deck's own with its options."""
    configs = dict(default_configs)
    config = copy.deepcopy(default_configs["1"])
    config.update(id=preset.id, name=preset.name(deck.title), desiredRetention=options.desired_retention)
    config["new"].update(perDay=options.new_cards_per_day, delays=list(options.learning_steps))
    config["rev"].update(perDay=options.reviews_per_day, maxIvl=options.maximum_interval)
    config["lapse"].update(delays=list(options.relearning_steps))
    configs[str(preset.id)] = config
    return configs


def package_description(deck: Deck, whats_new: WhatsNew | None, first_field: Callable[[str], str]) -> str:
    """The deck description, ending with what this release brings (first_field gives a card's first field)."""
    description = deck_description(deck)
    if whats_new is None:
        return description
    return f"{description}<br><br>{whats_new_html(whats_new, first_field)}"


def whats_new_html(whats_new: WhatsNew, first_field: Callable[[str], str]) -> str:
    """ "What's new in <version>": a few cards by their start, then how many, and the tags that find them."""
    version = html.escape(whats_new.version, quote=False)
    lines = [f"<b>What's new in {version}</b>"]
    named = [("New", card_id) for card_id in whats_new.added] + [
        ("Changed", card_id) for card_id in whats_new.changed
    ]
    lines += [
        f"{what}: {html.escape(_snippet(first_field(card_id)), quote=False)}"
        for what, card_id in named[:WHATS_NEW_LINES]
    ]
    counts = []
    if whats_new.added:
        counts.append(f"{len(whats_new.added)} new (tag:{NEW_TAG.format(version=version)})")
    if whats_new.changed:
        counts.append(f"{len(whats_new.changed)} changed (tag:{CHANGED_TAG.format(version=version)})")
    if whats_new.retagged:
        counts.append(f"{whats_new.retagged} with new tags only")
    lines.append(f"Cards: {', '.join(counts)}" if counts else "No card added or changed.")
    return "<br>".join(lines)


def _snippet(field_html: str) -> str:
    """A card's first field as a line of plain text, without giving away a cloze's answers."""
    text = gapped_line(field_html)
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1].rstrip() + "…"


def column_json(value: Mapping[str, Any]) -> str:
    """A `col` column's JSON, the same bytes for the same value."""
    return json.dumps(value, sort_keys=True)
