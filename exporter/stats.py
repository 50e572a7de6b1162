"""Counts a trainer or reviewer asks for: cards per subdeck, kind, learning outcome, review status and tag."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from exporter.model import Deck
from exporter.render import RenderedNote


@dataclass(frozen=True, slots=True)
class Stats:
    """Notes (card definitions) and Anki cards, counted several ways."""

    notes: int
    cards: int
    #: (name, notes, cards) in deck order
    subdecks: tuple[tuple[str, int, int], ...]
    kinds: tuple[tuple[str, int, int], ...]
    #: (key, outcome text, notes, cards)
    outcomes: tuple[tuple[str, str, int, int], ...]
    statuses: tuple[tuple[str, int], ...]
    tags: tuple[tuple[str, int], ...]
    #: card ids of the longest cards, with their length in characters
    longest: tuple[tuple[str, int], ...]


def deck_stats(deck: Deck, notes: Sequence[RenderedNote]) -> Stats:
    """Count the deck's notes and the Anki cards they make."""
    subdeck_notes: Counter[str] = Counter()
    subdeck_cards: Counter[str] = Counter()
    kind_notes: Counter[str] = Counter()
    kind_cards: Counter[str] = Counter()
    outcome_notes: Counter[str] = Counter()
    outcome_cards: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for note in notes:
        card, made = note.card, len(note.card_ordinals)
        subdeck_notes[card.subdeck] += 1
        subdeck_cards[card.subdeck] += made
        kind_notes[card.kind] += 1
        kind_cards[card.kind] += made
        for outcome in card.outcomes:
            outcome_notes[outcome] += 1
            outcome_cards[outcome] += made
        statuses[card.review.status] += 1
        tags.update(card.tags)
    lengths = sorted(((sum(len(text) for text in note.card.fields.values()), note.card.id) for note in notes),
                     reverse=True)
    return Stats(
        notes=len(notes),
        cards=sum(len(note.card_ordinals) for note in notes),
        subdecks=tuple((name, subdeck_notes[name], subdeck_cards[name]) for name in subdeck_notes),
        kinds=tuple((kind, kind_notes[kind], kind_cards[kind]) for kind in sorted(kind_notes)),
        outcomes=tuple((key, text, outcome_notes[key], outcome_cards[key]) for key, text in deck.outcomes.items()),
        statuses=tuple(sorted(statuses.items())),
        tags=tuple(tags.most_common()),
        longest=tuple((card_id, length) for length, card_id in lengths[:5]),
    )


def stats_text(stats: Stats) -> str:
    """The counts as aligned plain-text tables."""
    width = max([len(name) for name, _, _ in stats.subdecks] + [len(f"{key} {text}") for key, text, _, _ in
                                                                 stats.outcomes] + [24])
    width = min(width, 60)

    def table(title: str, rows: list[tuple[str, ...]], columns: tuple[str, ...]) -> list[str]:
        head = f"{title:<{width}}" + "".join(f" {column:>6}" for column in columns)
        return ["", head] + [f"  {row[0][:width - 2]:<{width - 2}}" + "".join(f" {cell:>6}" for cell in row[1:])
                             for row in rows]

    lines = [f"{stats.notes} notes, {stats.cards} cards"]
    lines += table("by subdeck", [(n, str(a), str(b)) for n, a, b in stats.subdecks], ("notes", "cards"))
    lines += table("by kind", [(n, str(a), str(b)) for n, a, b in stats.kinds], ("notes", "cards"))
    lines += table("by learning outcome", [(f"{k} {t}", str(a), str(b)) for k, t, a, b in stats.outcomes],
                   ("notes", "cards"))
    lines += table("by review status", [(n, str(a)) for n, a in stats.statuses], ("notes",))
    lines += table("most used tags", [(n, str(a)) for n, a in stats.tags[:10]], ("notes",))
    lines += table("longest cards", [(n, str(a)) for n, a in stats.longest], ("chars",))
    return "\n".join(lines)
