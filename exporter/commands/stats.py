"""Counts a trainer or reviewer asks for: cards per subdeck, kind, learning outcome, review status and tag."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from exporter.errors import ExporterError
from exporter.model import Deck
from exporter.rendering.notes import RenderedNote, render_notes
from exporter.review_states import REVIEW_STATES
from exporter.writers.stats import TOP, Stats


def card_set_stats(cards_dir: Path) -> Stats:
    """Read and check the card set, then count it; a set with errors cannot be counted."""
    from exporter.pipeline.checked_stream import check

    checked = check(cards_dir, cache=True)
    if checked.errors or checked.deck is None:
        raise ExporterError.from_problems(checked.errors)
    from exporter.commands.translations import translation_coverage

    stats = deck_stats(checked.deck, render_notes(checked.deck))
    languages = tuple(
        (item.lang, item.texts, item.translated, item.fuzzy, item.missing)
        for item in translation_coverage(cards_dir, checked.deck)
    )
    return dataclasses.replace(stats, translations=languages)


def deck_stats(deck: Deck, notes: Sequence[RenderedNote]) -> Stats:
    """Count the deck's notes and the Anki cards they make."""
    counts: dict[str, Counter[str]] = {
        name: Counter()
        for name in (
            "subdeck_notes",
            "subdeck_cards",
            "kind_notes",
            "kind_cards",
            "outcome_notes",
            "outcome_cards",
        )
    }
    statuses: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for note in notes:
        card, made = note.card, len(note.card_ordinals)
        for group, key in (("subdeck", card.subdeck), ("kind", card.kind)):
            counts[f"{group}_notes"][key] += 1
            counts[f"{group}_cards"][key] += made
        for outcome in card.outcomes:
            counts["outcome_notes"][outcome] += 1
            counts["outcome_cards"][outcome] += made
        statuses[card.review_state] += 1
        tags.update(card.tags)
    lengths = sorted((-sum(len(text) for text in note.card.fields.values()), note.card.id) for note in notes)
    return Stats(
        title=deck.title,
        version=deck.version,
        notes=len(notes),
        cards=sum(len(note.card_ordinals) for note in notes),
        subdecks=tuple(
            (name, number, counts["subdeck_cards"][name]) for name, number in counts["subdeck_notes"].items()
        ),
        kinds=tuple(
            (kind, counts["kind_notes"][kind], counts["kind_cards"][kind]) for kind in sorted(counts["kind_notes"])
        ),
        outcomes=tuple(
            (key, text, counts["outcome_notes"][key], counts["outcome_cards"][key])
            for key, text in deck.outcomes.items()
        ),
        statuses=tuple((status, statuses[status]) for status in REVIEW_STATES),
        tags=tuple(sorted(tags.items(), key=lambda item: (-item[1], item[0]))),
        longest=tuple((card_id, -length) for length, card_id in lengths[:TOP]),
    )
