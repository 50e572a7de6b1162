"""The card set as data: frozen, typed, with the place each piece came from."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from exporter.errors import Location
from exporter.kinds import KINDS
from exporter.review_states import NEEDS_RE_REVIEW

#: Text fields each kind of card needs, then the ones it may have (from the table of kinds).
KIND_FIELDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    kind.name: (kind.required, kind.optional) for kind in KINDS
}

#: The authoring rules (checking/authoring.py) a card may silence with ``allow: [rule]``.
AUTHORING_RULES = ("same-answer", "same-deletion", "list-answer", "yes-no", "answer-in-prompt", "cloze-hint")


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
    """What a subject-matter reviewer decided about the card, who and when, and the content they approved."""

    status: str = "draft"
    by: str | None = None
    on: str | None = None
    #: what to change, when the status is needs-change
    note: str | None = None
    #: the content fingerprint of the card when it was approved (``approved_fingerprint``)
    fingerprint: str | None = None


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

    @property
    def fingerprint(self) -> str:
        """Short hex of what learners read: kind, subdeck and text fields (not the source, tags or review)."""
        return content_fingerprint(self.kind, self.subdeck, self.fields)

    @property
    def review_state(self) -> str:
        """The review status, but an approval whose content has changed since (or was never recorded) is
        'needs re-review': only the text a reviewer approved counts as approved."""
        status = self.review.status
        if status == "approved" and self.review.fingerprint != self.fingerprint:
            return NEEDS_RE_REVIEW
        return status


def content_fingerprint(kind: str, subdeck: str, fields: Mapping[str, str]) -> str:
    """12 hex digits of sha256 over the learner-visible content, fields in their kind's order."""
    names = [name for group in KIND_FIELDS.get(kind, ((), ())) for name in group]
    content = [kind, subdeck, [[name, fields[name]] for name in names if name in fields]]
    data = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic file: the cards of one subdeck."""

    path: str
    subdeck: str
    tags: tuple[str, ...]
    cards: tuple[Card, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class DeckOptions:
    """The study limits learners' Anki gives the deck and its subdecks: one preset, Anki's defaults where unset."""

    new_cards_per_day: int = 20
    reviews_per_day: int = 200
    #: steps in minutes, as Anki keeps them
    learning_steps: tuple[float, ...] = (1.0, 10.0)
    relearning_steps: tuple[float, ...] = (10.0,)
    desired_retention: float = 0.9
    #: in days
    maximum_interval: int = 36500


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
    #: the deck's 'options:' block; None when it has none (learners keep their own presets)
    options: DeckOptions | None = None
    #: where learners download the package (an https address), for the install sheet; "" if not given
    download_url: str = ""
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
