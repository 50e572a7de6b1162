"""The model → every problem in it, so one run shows them all."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterable, Iterator

from exporter.checking.authoring import authoring_problems
from exporter.checking.cloze import cloze_problems
from exporter.checking.deck_rules import SLUG, TAG, TAG_BREAKS, deck_name_problems
from exporter.checking.text_rules import field_problems, is_plain_tag, tag_problems
from exporter.errors import Location, Problem, shorten
from exporter.kinds import KIND_BY_NAME
from exporter.model import KIND_FIELDS, Card, Deck, Topic
from exporter.rendering.sanitizing import removed_markup
from exporter.rendering.text_format import field_html, markup_html
from exporter.review_states import REVIEW_STATUSES

DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_TAGS = re.compile(r"<[^>]*>")
#: Characters of question, answer and extras together that still fit a 360×640 phone screen at our sizes.
PHONE_SCREEN_CHARACTERS = 400


def topic_head_problems(topic: Topic, *, has_cards: bool) -> list[Problem]:
    """The problems of a topic file's subdeck and tags."""
    problems = list(deck_name_problems(topic.subdeck, "subdeck", topic.location))
    problems.extend(_tag_problems(topic.tags, topic.location))
    if not has_cards:
        problems.append(
            Problem(topic.location, "the topic file has no cards; add cards or delete the file", "warning")
        )
    return problems


def cards_problems(
    deck: Deck, cards: Iterable[Card], file_tags: tuple[str, ...], *, strict: bool = False
) -> list[Problem]:
    """The problems of a topic file's cards (file_tags: the file's, which every card carries too), the authoring
    rules' warnings among them."""
    problems: list[Problem] = []
    cards = tuple(cards)
    for card in cards:
        problems.extend(_card_problems(deck, card, strict=strict, file_tags=file_tags))
    problems.extend(authoring_problems(cards))
    return problems


def _tag_problems(tags: tuple[str, ...], location: Location) -> Iterator[Problem]:
    yield from tag_problems(tags, location)
    for tag in tags:
        if not TAG.match(tag):
            suggestion = TAG_BREAKS.sub("-", tag.strip())
            yield Problem(
                location,
                f"tag '{shorten(tag)}' has a space or a quote; Anki splits tags on spaces, "
                f"write it as '{shorten(suggestion)}'",
            )


_FINGERPRINT = re.compile(r"[0-9a-f]{12}")


def _review_problems(card: Card) -> Iterator[Problem]:
    """The review keys: a known status, a date, who approved what, and what a card needing change needs."""
    review = card.review
    if review.status not in REVIEW_STATUSES:
        yield Problem(
            card.where("status"),
            f"status '{shorten(review.status)}' is not known; use {', '.join(REVIEW_STATUSES[:-1])} or "
            f"{REVIEW_STATUSES[-1]}",
        )
    if review.on and not _is_date(review.on):
        yield Problem(
            card.where("reviewed_on"), f"reviewed_on '{shorten(review.on)}' must be a date like 2026-11-28"
        )
    if review.fingerprint and not _FINGERPRINT.fullmatch(review.fingerprint):
        yield Problem(
            card.where("approved_fingerprint"),
            f"approved_fingerprint '{shorten(review.fingerprint)}' must be 12 hex digits (0-9, a-f), as the "
            "review sheet writes it",
        )
    if review.status == "approved" and not (review.by and review.on):
        yield Problem(card.where("status"), "an approved card needs 'reviewed_by' and 'reviewed_on'")
    elif review.status == "approved" and not review.fingerprint:
        yield Problem(
            card.where("status"),
            "an approved card without 'approved_fingerprint' (what was approved) counts as needing re-review; "
            "approve it through the review sheet (flashcards review --apply), or add "
            f"'approved_fingerprint: {card.fingerprint}' if this text is what {shorten(review.by or '')} approved",
            "warning",
        )
    if review.status == "needs-change" and not review.note:
        yield Problem(
            card.where("status"), "a card with status needs-change needs a 'review_note' saying what to change"
        )


def _card_problems(deck: Deck, card: Card, *, strict: bool, file_tags: tuple[str, ...] = ()) -> Iterator[Problem]:
    if card.id and not SLUG.match(card.id):
        yield Problem(
            card.where("id"),
            f"card id '{shorten(card.id)}' must be a slug of lowercase letters, digits and "
            "hyphens, like 'unct-benefits'",
        )
    if card.renamed_from is not None and not (SLUG.match(card.renamed_from) and card.renamed_from != card.id):
        yield Problem(
            card.where("renamed_from"),
            f"renamed_from '{shorten(card.renamed_from)}' must be the id the card had in the last release, "
            "a slug other than its own id; remove it if the card was not renamed",
        )
    # a card carries its file's tags too; those were reported once, at the file
    own_tags = tuple(tag for tag in card.tags if tag not in file_tags)
    # where() makes a Location: only when one is needed
    if not all(TAG.match(tag) and is_plain_tag(tag) for tag in own_tags):
        yield from _tag_problems(own_tags, card.where("tags"))
    for outcome in card.outcomes:
        if outcome not in deck.outcomes:
            known = ", ".join(deck.outcomes) or "none yet"
            yield Problem(
                card.where("outcomes"), f"outcome '{shorten(outcome)}' is not in deck.yaml; use one of: {known}"
            )
    yield from _review_problems(card)
    if KIND_BY_NAME[card.kind].is_cloze:
        yield from cloze_problems(card)
    yield from _markup_problems(card, strict=strict)
    length = sum(len(text) for text in card.fields.values())
    if length > PHONE_SCREEN_CHARACTERS:
        yield Problem(
            card.location,
            f"the card has {length} characters, more than fits a phone screen "
            f"({PHONE_SCREEN_CHARACTERS}); split it or shorten it",
            "warning",
        )


def _is_date(text: str) -> bool:
    if not DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _markup_problems(card: Card, *, strict: bool) -> Iterator[Problem]:
    required, optional = KIND_FIELDS[card.kind]
    for key in required + optional:
        text = card.fields.get(key, "")
        if text:
            yield from field_problems(card, key, text)
        removed = removed_markup(markup_html(text))
        if not removed:
            continue
        if key in required and not _shows_anything(field_html(text)):
            yield Problem(
                card.where(key),
                f"'{key}' would be empty once its markup is removed "
                f"({', '.join(removed)}); write the {key.replace('_', ' ')} as text",
            )
            continue
        yield Problem(
            card.where(key),
            f"'{key}' has markup that will be removed: {', '.join(removed)}; "
            "delete it (only plain formatting is kept)",
            "error" if strict else "warning",
        )


def _shows_anything(field: str) -> bool:
    """Whether sanitized field HTML still shows the learner something: text or a picture."""
    return "<img" in field or bool(html.unescape(_TAGS.sub("", field)).strip())
