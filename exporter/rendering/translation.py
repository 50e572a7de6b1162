"""The English card set → a language edition's: each translatable text replaced by its translation, or kept in
English with a warning that names the entry when the translation is missing, fuzzy or made from older English.

A text's context (a translation file's msgctxt) says what it translates: ``<card id>.<field>``,
``deck.title``, ``deck.description``, ``outcome.<key>``, ``subdeck.<the subdeck's English name>`` and
``label.<key>`` for the words the templates show (notetypes.LABELS). Subdecks go by their English name, not
their file, so that a topic file can be renamed without losing its translation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from exporter.errors import Location, Problem, Severity
from exporter.model import Card, Deck, Translation
from exporter.notetypes import LABELS

LANGUAGE_NAMES: Mapping[str, str] = {
    "ar": "Arabic",
    "es": "Spanish",
    "fr": "French",
    "pt": "Portuguese",
    "ru": "Russian",
    "zh": "Chinese",
}


def language_name(lang: str) -> str:
    """A language as messages name it: 'French' for fr, the code itself for a language we have no name for."""
    return LANGUAGE_NAMES.get(lang.split("-")[0], lang)


def card_texts(card: Card) -> dict[str, str]:
    """A card's translatable texts by context."""
    return {f"{card.id}.{key}": text for key, text in card.fields.items() if text}


def deck_texts(deck: Deck) -> dict[str, str]:
    """The deck file's translatable texts and the template labels, by context."""
    texts = {"deck.title": deck.title, "deck.description": deck.description}
    texts.update({f"outcome.{key}": text for key, text in deck.outcomes.items()})
    texts.update({f"label.{key}": text for key, text in LABELS.items()})
    return {context: text for context, text in texts.items() if text}


def subdeck_context(subdeck: str) -> str:
    return f"subdeck.{subdeck}"


@dataclasses.dataclass(frozen=True, slots=True)
class Catalog:
    """A language's translations by context, as the build uses them."""

    lang: str
    #: the translation file, as messages show it
    path: str
    entries: Mapping[str, Translation]
    #: whether a missing or stale translation is an error (--strict) rather than a warning
    strict: bool = False

    def text(self, context: str, english: str, problems: list[Problem]) -> str:
        """The translation of english, or english with a problem saying why no translation is used."""
        entry = self.entries.get(context)
        if entry is not None and entry.text and not entry.fuzzy and entry.english == english:
            return entry.text
        problems.append(Problem(*self._fallback(context, entry, english), severity=self.severity))
        return english

    @property
    def severity(self) -> Severity:
        return "error" if self.strict else "warning"

    def _fallback(self, context: str, entry: Translation | None, english: str) -> tuple[Location, str]:
        language = language_name(self.lang)
        used = "the English is used"
        if entry is None:
            return Location(self.path), (
                f"{context!r} has no {language} translation yet, so {used}; run 'flashcards translations "
                "update' and translate it"
            )
        if entry.fuzzy:
            return entry.location, (
                f"the {language} translation of {context!r} is fuzzy (its English changed), so {used}; check "
                "the translation against the new English, then remove the fuzzy flag"
            )
        if entry.english != english:
            return entry.location, (
                f"the English of {context!r} changed since it was translated, so {used}; run 'flashcards "
                "translations update', then check the translation"
            )
        return entry.location, f"{context!r} is not translated into {language} yet, so {used}"


def edition_card(card: Card, catalog: Catalog, problems: list[Problem]) -> Card:
    """A card of the edition: its texts and its subdeck translated."""
    fields = {
        key: catalog.text(f"{card.id}.{key}", text, problems) if text else text
        for key, text in card.fields.items()
    }
    subdeck = edition_subdeck(card.subdeck, catalog, [])  # its topic said it once already
    return dataclasses.replace(card, fields=fields, subdeck=subdeck)


def edition_subdeck(subdeck: str, catalog: Catalog, problems: list[Problem]) -> str:
    return catalog.text(subdeck_context(subdeck), subdeck, problems)


def edition_id(deck_id: str, lang: str) -> str:
    """A language edition's deck id: its notes' GUIDs and its file names derive from it."""
    return f"{deck_id}.{lang}"


def edition_deck(deck: Deck, catalog: Catalog) -> tuple[Deck, list[Problem]]:
    """The deck file's deck as an edition: its own id (and so note identities and file names), its title,
    description, outcomes and template labels translated."""
    problems: list[Problem] = []
    texts = {context: catalog.text(context, english, problems) for context, english in deck_texts(deck).items()}
    title = texts["deck.title"]
    if title == deck.title:  # two editions in one collection need decks of their own
        title = f"{deck.title} ({catalog.lang})"
    edition = dataclasses.replace(
        deck,
        id=edition_id(deck.id, catalog.lang),
        title=title,
        description=texts.get("deck.description", ""),
        outcomes={key: texts[f"outcome.{key}"] if text else text for key, text in deck.outcomes.items()},
        languages=(),
        lang=catalog.lang,
        labels=tuple((key, texts[f"label.{key}"]) for key in LABELS),
    )
    return edition, problems
