"""Counts of a card set → aligned plain-text tables for people, or one JSON document for tools."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from exporter.errors import shorten

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
    #: (language, texts, translated, stale, missing) per language edition deck.yaml lists
    translations: tuple[tuple[str, int, int, int, int], ...] = ()


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
        }
        | (
            {"translations": rows(stats.translations, "language", "texts", "translated", "stale", "missing")}
            if stats.translations
            else {}
        ),
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
    if stats.translations:
        lines += table(
            "translations (texts)",
            numbers(
                [
                    (lang, texts, done, stale, missing, f"{100 * done // max(texts, 1)}%")
                    for lang, texts, done, stale, missing in stats.translations
                ]
            ),
            ("texts", "done", "stale", "miss", "share"),
        )
    return "\n".join(lines)


_WIDTH = 48
