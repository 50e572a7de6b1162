"""A language edition of the card set: its translation file read and checked, its deck, and what streaming its
chunks shows about the translation (entries that name nothing, the share translated).

Every edition is read, checked and rendered by the same chunks as the English one; only the Context differs
(see context.py), so an edition has its own cache entries and the English ones stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from exporter.checking.translations import unknown_contexts
from exporter.errors import ExporterError, Problem
from exporter.model import Deck
from exporter.pipeline.checked_stream import OpenedSet, translation_file
from exporter.pipeline.chunks import Chunk
from exporter.reading.translations import translation_path
from exporter.rendering.translation import Catalog, deck_texts, edition_deck, language_name, subdeck_context

if TYPE_CHECKING:
    from exporter.pipeline.cache import Cache


@dataclass(frozen=True, slots=True)
class Edition:
    """A language edition before its cards are streamed: its deck (own id, title, labels) and translations."""

    deck: Deck
    catalog: Catalog
    #: the deck file's texts kept in English for want of a translation, and the translation file's warnings
    fallbacks: list[Problem]


def open_edition(opened: OpenedSet, lang: str, *, strict: bool, cache: Cache | None) -> Edition:
    """The edition of a language listed in deck.yaml; ExporterError if its translation file is missing,
    unreadable or holds a translation that cannot ship."""
    path = translation_path(opened.root, lang)
    entries, problems = translation_file(opened, lang, cache)
    if any(problem.severity == "error" for problem in problems):
        raise ExporterError.from_problems(problems)
    catalog = Catalog(lang, str(path), {entry.context: entry for entry in entries}, strict=strict)
    deck, fallbacks = edition_deck(opened.deck, catalog)
    return Edition(deck, catalog, fallbacks + problems)


@dataclass(slots=True)
class Seen:
    """What an edition's chunks showed while they streamed by."""

    contexts: set[str] = field(default_factory=set)
    subdecks: set[str] = field(default_factory=set)
    texts: int = 0
    untranslated: int = 0

    def watching(self, chunks: Iterator[Chunk]) -> Iterator[Chunk]:
        for chunk in chunks:
            self.contexts.update(chunk.contexts)
            if chunk.subdeck is not None:
                self.subdecks.add(chunk.subdeck)
            self.texts += chunk.translation_counts[0]
            self.untranslated += chunk.translation_counts[1]
            yield chunk


def edition_problems(edition: Edition, seen: Seen, source: Deck) -> list[Problem]:
    """What is wrong with an edition once its cards streamed: entries that translate nothing in the set, and a
    share translated below what deck.yaml requires."""
    known = set(deck_texts(source)) | {subdeck_context(name) for name in seen.subdecks} | seen.contexts
    problems = list(unknown_contexts(edition.catalog.entries.values(), known))
    texts = seen.texts + len(deck_texts(source))
    untranslated = seen.untranslated + len(edition.fallbacks)
    share = 100 * (texts - untranslated) // max(texts, 1)
    if share < source.translation_coverage:
        problems.append(
            Problem(
                source.key_locations.get("translation_coverage", source.location),
                f"the {language_name(edition.catalog.lang)} edition has {share}% of its {texts} texts translated, "
                f"below the {source.translation_coverage}% deck.yaml requires; translate the entries the warnings "
                f"name in {edition.catalog.path}",
            )
        )
    return problems
