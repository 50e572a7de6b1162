"""The card set as data: frozen, typed, with the place each piece came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from exporter.errors import Location

#: Text fields each kind of card needs, then the ones it may have.
KIND_FIELDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "acronym": (("term", "expansion"), ("explanation",)),
    "basic": (("question", "answer"), ("extra",)),
    "cloze": (("text",), ("extra",)),
}

REVIEW_STATUSES = ("draft", "approved")

#: The authoring rules (checking/authoring.py) a card may silence with ``allow: [rule]``.
AUTHORING_RULES = ("same-answer", "same-deletion", "list-answer", "yes-no", "answer-in-prompt")


@dataclass(frozen=True, slots=True)
class Source:
    """Where in the training text a card's facts are found."""

    slide: int | None = None
    section: str | None = None

    def describe(self, slide_word: str = "Slide") -> str:
        """Say it the way a reviewer looks it up: 'Slide 6 · Mission Partners'."""
        parts = []
        if self.slide is not None:
            parts.append(f"{slide_word} {self.slide}")
        if self.section:
            parts.append(self.section)
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Review:
    """Whether a subject-matter reviewer has approved the card, and who and when."""

    status: str = "draft"
    by: str | None = None
    on: str | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """One card definition as written; an acronym becomes two Anki cards, a cloze one per deletion."""

    id: str
    kind: str
    #: text fields by their YAML name (``term``, ``question``, ``text``...), unset optional ones left out
    fields: Mapping[str, str]
    subdeck: str
    tags: tuple[str, ...]
    source: Source
    outcomes: tuple[str, ...]
    review: Review
    location: Location
    #: the authoring rules this card silences deliberately (never shipped to learners)
    allow: tuple[str, ...] = ()
    #: the id this card had in an earlier release: the card keeps that id's notes, and so learners' history
    renamed_from: str | None = None
    #: where each key of the card was written, for messages about one field
    key_locations: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)

    def where(self, key: str) -> Location:
        """Point at a key of this card, or at the card when the key is absent."""
        return self.key_locations.get(key, self.location)


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic file: the cards of one subdeck."""

    path: str
    subdeck: str
    tags: tuple[str, ...]
    cards: tuple[Card, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class Deck:
    """The whole card set: its identity, what it teaches, and its topics in order."""

    id: str
    title: str
    version: str
    description: str
    source_title: str
    source_document: str
    outcomes: Mapping[str, str]
    topics: tuple[Topic, ...]
    location: Location
    key_locations: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)
    #: the language editions to build besides the English source edition (``fr``, ``ar``...)
    languages: tuple[str, ...] = ()
    #: the share of entries (in percent) each edition must have translated, else the build fails
    translation_coverage: int = 0
    #: the language of this deck's text: "" for the English source edition, else an edition's (see editions)
    lang: str = ""
    #: the template labels of this edition by key (notetypes.LABELS), where translated
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(card for topic in self.topics for card in topic.cards)

    def subdeck_name(self, subdeck: str) -> str:
        """The full Anki deck name of a subdeck."""
        return f"{self.title}::{subdeck}"


@dataclass(frozen=True, slots=True)
class Translation:
    """One entry of a language's translation file: the English it was made from and its translation."""

    #: what it translates: ``<card id>.<field>``, ``deck.title``, ``outcome.LO1``, ``subdeck.<name>``...
    context: str
    english: str
    #: empty until a translator fills it in
    text: str
    #: the English changed since it was translated (gettext's "fuzzy" flag)
    fuzzy: bool
    location: Location
    #: the English a fuzzy translation was made from, kept for the translator
    previous: str = ""
    #: a translator's comment says nobody has reviewed the translation yet
    awaiting_review: bool = False
