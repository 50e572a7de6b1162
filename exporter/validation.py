"""The model → every problem in it, so one run shows them all."""
from __future__ import annotations

import re
from typing import Iterator

from exporter.errors import Location, Problem
from exporter.model import KIND_FIELDS, REVIEW_STATUSES, Card, Deck
from exporter.sanitizing import removed_markup

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
VERSION = re.compile(r"\d+(?:\.\d+){0,2}\Z")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
TAG = re.compile(r"[^\s\"]+\Z")
_TAG_BREAKS = re.compile(r"[\s\"]+")
_CLOZE_TOKEN = re.compile(r"\{\{|\}\}")
_CLOZE_OPENING = re.compile(r"c(\d+)::")
#: Characters of question, answer and extras together that still fit a 360×640 phone screen at our sizes.
PHONE_SCREEN_CHARACTERS = 400


def validate(deck: Deck, *, strict: bool = False) -> list[Problem]:
    """Return every problem of the deck; with strict, markup the sanitizer removes is an error, not a warning."""
    problems = list(_deck_problems(deck))
    first_use: dict[str, Location] = {}
    for topic in deck.topics:
        problems.extend(_deck_name_problems(topic.subdeck, "subdeck", topic.location))
        problems.extend(_tag_problems(topic.tags, topic.location))
        if not topic.cards:
            problems.append(Problem(topic.location, "the topic file has no cards; add cards or delete the file",
                                    "warning"))
        for card in topic.cards:
            if card.id in first_use:
                problems.append(Problem(card.where("id"), f"card id '{card.id}' is already used at "
                                                          f"{first_use[card.id]}; give this card its own id"))
            else:
                first_use[card.id] = card.where("id")
            problems.extend(_card_problems(deck, card, strict=strict))
    return sorted(problems)


def _deck_problems(deck: Deck) -> Iterator[Problem]:
    where = deck.key_locations.get
    if deck.id and not SLUG.match(deck.id):
        yield Problem(where("id", deck.location), f"deck id '{deck.id}' must be a slug of lowercase letters, "
                                                  "digits and hyphens, like 'mission-partners'")
    if deck.version and not VERSION.match(deck.version):
        yield Problem(where("version", deck.location), f"version '{deck.version}' must be numbers and dots, "
                                                       "like 1.2.0")
    yield from _deck_name_problems(deck.title, "title", where("title", deck.location))
    if not deck.outcomes and "outcomes" in deck.key_locations:
        yield Problem(where("outcomes", deck.location), "'outcomes' is empty; list the learning outcomes as "
                                                        "'LO1: text' lines")


def _deck_name_problems(name: str, what: str, location: Location) -> Iterator[Problem]:
    if not name:
        return
    parts = name.split("::")
    if any(not part.strip() for part in parts):
        yield Problem(location, f"{what} '{name}' has an empty part around '::'; '::' only separates deck levels, "
                                "like 'Parent::Child'")
    elif any(part != part.strip() for part in parts):
        yield Problem(location, f"{what} '{name}' has spaces around '::'; write 'Parent::Child'")


def _tag_problems(tags: tuple[str, ...], location: Location) -> Iterator[Problem]:
    for tag in tags:
        if not TAG.match(tag):
            suggestion = _TAG_BREAKS.sub("-", tag.strip())
            yield Problem(location, f"tag '{tag}' has a space or a quote; Anki splits tags on spaces, "
                                    f"write it as '{suggestion}'")


def _card_problems(deck: Deck, card: Card, *, strict: bool) -> Iterator[Problem]:
    if card.id and not SLUG.match(card.id):
        yield Problem(card.where("id"), f"card id '{card.id}' must be a slug of lowercase letters, digits and "
                                        "hyphens, like 'unct-benefits'")
    yield from _tag_problems(card.tags, card.where("tags"))
    for outcome in card.outcomes:
        if outcome not in deck.outcomes:
            known = ", ".join(deck.outcomes) or "none yet"
            yield Problem(card.where("outcomes"), f"outcome '{outcome}' is not in deck.yaml; use one of: {known}")
    if card.review.status not in REVIEW_STATUSES:
        yield Problem(card.where("status"), f"status '{card.review.status}' is not known; use "
                                            f"{' or '.join(REVIEW_STATUSES)}")
    if card.review.on and not DATE.match(card.review.on):
        yield Problem(card.where("reviewed_on"), f"reviewed_on '{card.review.on}' must be a date like 2026-11-28")
    if card.review.status == "approved" and not (card.review.by and card.review.on):
        yield Problem(card.where("status"), "an approved card needs 'reviewed_by' and 'reviewed_on'")
    if card.kind == "cloze" and card.fields.get("text"):
        yield from _cloze_problems(card)
    yield from _markup_problems(card, strict=strict)
    length = sum(len(text) for text in card.fields.values())
    if length > PHONE_SCREEN_CHARACTERS:
        yield Problem(card.location, f"the card has {length} characters, more than fits a phone screen "
                                     f"({PHONE_SCREEN_CHARACTERS}); split it or shorten it", "warning")


def _markup_problems(card: Card, *, strict: bool) -> Iterator[Problem]:
    required, optional = KIND_FIELDS[card.kind]
    for key in required + optional:
        removed = removed_markup(card.fields.get(key, ""))
        if removed:
            yield Problem(card.where(key), f"'{key}' has markup that will be removed: {', '.join(removed)}; "
                                           "delete it (only plain formatting is kept)",
                          "error" if strict else "warning")


def _cloze_problems(card: Card) -> Iterator[Problem]:
    text = card.fields["text"]
    where = card.where("text")
    depth = 0
    deletions = 0
    for token in _CLOZE_TOKEN.finditer(text):
        if token.group() == "{{":
            opening = _CLOZE_OPENING.match(text, token.end())
            if depth:
                yield Problem(where, "a cloze deletion is nested inside another; Anki only shows the outer one, "
                                     "so write them one after the other")
                return
            if not opening:
                yield Problem(where, "'{{' must start a deletion written like {{c1::answer}}")
                return
            if int(opening.group(1)) == 0:
                yield Problem(where, "cloze numbers start at 1; write {{c1::...}}, not {{c0::...}}")
                return
            closing = text.find("}}", opening.end())
            if closing != -1 and not text[opening.end():closing].split("::")[0].strip():
                yield Problem(where, f"the deletion {{{{c{opening.group(1)}::}}}} is empty; put the hidden text "
                                     "after '::'")
                return
            depth += 1
            deletions += 1
        elif depth:
            depth -= 1
        else:
            yield Problem(where, "'}}' closes no deletion; remove it or open the deletion with {{c1::")
            return
    if depth:
        yield Problem(where, "a cloze deletion is not closed; end it with '}}'")
    elif not deletions:
        yield Problem(where, "the cloze text has no deletion; mark the hidden words like {{c1::words}}")
