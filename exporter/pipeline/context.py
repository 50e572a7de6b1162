"""What besides a topic file's bytes decides its chunk: the deck's header, the options, the media names and,
for a language edition, its translations (see chunks.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exporter.errors import Location, Problem
from exporter.model import Deck, Translation

if TYPE_CHECKING:
    from exporter.rendering.translation import Catalog


@dataclass(frozen=True, slots=True)
class Context:
    """Everything besides a topic file's bytes that decides its chunk (not the deck version: a release bump
    changes no chunk)."""

    deck_id: str
    title: str
    outcomes: tuple[tuple[str, str], ...]
    strict: bool
    approved_only: bool
    #: the media folder's files: the name cards use, and the name the package stores
    media_names: tuple[tuple[str, str], ...]
    #: what a chunk keeps besides the problems: "notes" rendered for writing (a build), "cards" read (the
    #: commands that look at the whole deck), or nothing more ("problems": validate)
    keeps: str = "notes"
    #: a language edition's: its language, translation file and entries (all empty for the English edition)
    lang: str = ""
    translation_file: str = ""
    translations: tuple[Translation, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    #: a digest of the entries, made once: a chunk's cache key and its catalog are found by it, not by the
    #: entries themselves (an edition of a big deck has hundreds of thousands)
    translations_digest: str = ""

    @classmethod
    def of(
        cls,
        deck: Deck,
        media_names: Mapping[str, str],
        *,
        strict: bool,
        approved_only: bool,
        keeps: str = "notes",
        catalog: Catalog | None = None,
    ) -> Context:
        entries = () if catalog is None else tuple(catalog.entries.values())
        return cls(
            deck.id,
            deck.title,
            tuple(deck.outcomes.items()),
            strict,
            approved_only,
            tuple(sorted(media_names.items())),
            keeps,
            *(() if catalog is None else (catalog.lang, catalog.path, entries, deck.labels, _digest(entries))),
        )

    def catalog(self) -> Catalog | None:
        """The edition's translations, None for the English edition."""
        if not self.lang:
            return None
        key = (self.translations_digest, self.strict)
        if key not in _CATALOGS:
            from exporter.rendering.translation import Catalog  # here: only an edition renders translations

            _CATALOGS.clear()  # one edition is built at a time
            entries = {entry.context: entry for entry in self.translations}
            _CATALOGS[key] = Catalog(self.lang, self.translation_file, entries, strict=self.strict)
        return _CATALOGS[key]

    def subdeck_name(self, subdeck: str, problems: list[Problem]) -> str:
        """A subdeck's Anki deck name in this edition (problems get why it is not translated, if it is not)."""
        catalog = self.catalog()
        if catalog is None:
            return self.header().subdeck_name(subdeck)
        from exporter.rendering.translation import edition_subdeck

        name = edition_subdeck(subdeck, catalog, problems)
        return self.header().subdeck_name(name)

    def header(self) -> Deck:
        """The deck as a topic's cards see it: its id, title and outcomes."""
        return Deck(
            id=self.deck_id,
            title=self.title,
            version="",
            description="",
            source_title="",
            source_document="",
            outcomes=dict(self.outcomes),
            topics=(),
            location=Location(""),
            lang=self.lang,
            labels=self.labels,
        )

    def fingerprint(self) -> bytes:
        return json.dumps(
            [self.deck_id, self.title, self.outcomes, self.strict, self.approved_only, self.media_names]
            + ([] if self.keeps == "notes" else [self.keeps])
            + ([] if not self.lang else [self.lang, self.translation_file, self.labels, self.translations_digest]),
            ensure_ascii=False,
        ).encode("utf-8", "surrogateescape")


#: the catalog of the edition being built, by its entries' digest and strictness
_CATALOGS: dict[tuple[str, bool], Catalog] = {}


def _digest(entries: tuple[Translation, ...]) -> str:
    data = json.dumps(_entries_json(entries), ensure_ascii=False).encode("utf-8", "surrogateescape")
    return hashlib.sha256(data).hexdigest()


def _entries_json(entries: tuple[Translation, ...]) -> list[list[object]]:
    return [[entry.context, entry.english, entry.text, entry.fuzzy, str(entry.location)] for entry in entries]
