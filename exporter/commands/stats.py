"""Counts a trainer or reviewer asks for: cards per subdeck, kind, learning outcome, review status and tag."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.errors import ExporterError, shorten
from exporter.model import REVIEW_STATUSES, Deck
from exporter.rendering.notes import RenderedNote, render_notes

#: How many of the most used tags and of the longest cards to show.
TOP = 5


@dataclass(frozen=True, slots=True)
class Stats:
    """Notes (card definitions) and Anki cards, counted several ways."""

    title: str
    version: str
    notes: int
    cards: int
    #: (name, notes, cards) in deck order
    subdecks: tuple[tuple[str, int, int], ...]
    #: (kind, notes, cards) by kind name
    kinds: tuple[tuple[str, int, int], ...]
    #: (key, outcome text, notes, cards) in deck.yaml order; an outcome no card teaches counts 0
    outcomes: tuple[tuple[str, str, int, int], ...]
    #: (status, notes), every status, draft first
    statuses: tuple[tuple[str, int], ...]
    #: (tag, notes), most used first, then by name
    tags: tuple[tuple[str, int], ...]
    #: (card id, characters in its fields as written), longest first
    longest: tuple[tuple[str, int], ...]


def card_set_stats(cards_dir: Path) -> Stats:
    """Read and check the card set, then count it; a set with errors cannot be counted."""
    from exporter.pipeline.checked_stream import check

    checked = check(cards_dir, cache=True)
    if checked.errors or checked.deck is None:
        raise ExporterError.from_problems(checked.errors)
    return deck_stats(checked.deck, render_notes(checked.deck))


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
        statuses[card.review.status] += 1
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
        statuses=tuple((status, statuses[status]) for status in REVIEW_STATUSES),
        tags=tuple(sorted(tags.items(), key=lambda item: (-item[1], item[0]))),
        longest=tuple((card_id, -length) for length, card_id in lengths[:TOP]),
    )


def stats_json(stats: Stats) -> str:
    """The counts as one JSON document, every table a list of objects."""

    def rows(table: Sequence[tuple[object, ...]], *keys: str) -> list[dict[str, object]]:
        return [dict(zip(keys, row, strict=True)) for row in table]

    return json.dumps(
        {
            "title": stats.title,
            "version": stats.version,
            "notes": stats.notes,
            "cards": stats.cards,
            "subdecks": rows(stats.subdecks, "subdeck", "notes", "cards"),
            "kinds": rows(stats.kinds, "kind", "notes", "cards"),
            "outcomes": rows(stats.outcomes, "outcome", "text", "notes", "cards"),
            "statuses": rows(stats.statuses, "status", "notes"),
            "tags": rows(stats.tags, "tag", "notes"),
            "longest": rows(stats.longest, "id", "characters"),
        },
        ensure_ascii=False,
        indent=2,
    )


def stats_text(stats: Stats) -> str:
    """The counts as aligned plain-text tables, one per way of counting."""

    def table(title: str, rows: Sequence[tuple[str, ...]], columns: tuple[str, ...]) -> list[str]:
        return ["", f"{title:<{_WIDTH}}" + "".join(f" {column:>6}" for column in columns)] + [
            f"  {shorten(row[0], _WIDTH - 2):<{_WIDTH - 2}}" + "".join(f" {cell:>6}" for cell in row[1:])
            for row in rows
        ]

    def numbers(rows: Sequence[tuple[object, ...]]) -> list[tuple[str, ...]]:
        return [tuple(str(cell) for cell in row) for row in rows]

    lines = [f"{stats.title} {stats.version}: {stats.notes} notes, {stats.cards} cards"]
    lines += table("by subdeck", numbers(stats.subdecks), ("notes", "cards"))
    lines += table("by kind", numbers(stats.kinds), ("notes", "cards"))
    lines += table(
        "by learning outcome",
        numbers([(f"{key} {text}", notes, cards) for key, text, notes, cards in stats.outcomes]),
        ("notes", "cards"),
    )
    lines += table("by review status", numbers(stats.statuses), ("notes",))
    lines += table(f"most used tags (top {TOP})", numbers(stats.tags[:TOP]), ("notes",))
    lines += table(f"longest cards (top {TOP})", numbers(stats.longest), ("chars",))
    return "\n".join(lines)


_WIDTH = 48
