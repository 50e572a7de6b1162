"""The rules of the deck file, and the one rule across topic files: each card id is used once.

Apart from the card rules (validation.py) because a command that finds every topic file in its cache still
checks these, and they need no renderer (see docs/performance.md, start-up)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from exporter.errors import Location, Problem, shorten
from exporter.model import Card, Deck

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
VERSION = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6}){0,2}\Z")
TAG = re.compile(r"[^\s\"]+\Z")
TAG_BREAKS = re.compile(r"[\s\"]+")


#: A card's id and where it is written: path, line and column (plain values: a build keeps one per card).
IdPlace = tuple[str, str, int, int]


def id_places(cards: Iterable[Card]) -> tuple[IdPlace, ...]:
    """Each card's id and where it is written."""
    return tuple((card.id, *_place(card.where("id"))) for card in cards)


def _place(location: Location) -> tuple[str, int, int]:
    return location.path, location.line, location.column


class CardIds:
    """The card ids seen so far, file after file, and where each was first written."""

    def __init__(self) -> None:
        self._first: dict[str, tuple[str, int, int]] = {}

    def repeated(self, ids: Iterable[IdPlace]) -> list[Problem]:
        """A problem for each id already seen; the others are remembered."""
        problems = []
        first = self._first
        for card_id, path, line, column in ids:
            if card_id in first:
                problems.append(
                    Problem(
                        Location(path, line, column),
                        f"card id '{card_id}' is already used at "
                        f"{Location(*first[card_id])}; give this card its own id",
                    )
                )
            else:
                first[card_id] = (path, line, column)
        return problems

    def __contains__(self, card_id: str) -> bool:
        return card_id in self._first


def deck_problems(deck: Deck) -> Iterator[Problem]:
    """The problems of the deck file's id, version, title and outcome keys, each where its key is written."""
    where = deck.key_locations.get
    if deck.id and not SLUG.match(deck.id):
        yield Problem(
            where("id", deck.location),
            f"deck id '{shorten(deck.id)}' must be a slug of lowercase letters, "
            "digits and hyphens, like 'mission-partners'",
        )
    if deck.version and not VERSION.match(deck.version):
        yield Problem(
            where("version", deck.location),
            f"version '{shorten(deck.version)}' must be numbers and dots, like 1.2.0",
        )
    yield from deck_name_problems(deck.title, "title", where("title", deck.location))
    for key in deck.outcomes:
        if not TAG.match(key):
            yield Problem(
                where("outcomes", deck.location),
                f"outcome key '{shorten(key)}' has a space or a quote; each card carries it as the tag "
                f"'outcome::{shorten(key)}' and Anki splits tags on spaces: write it as '{TAG_BREAKS.sub('-', key.strip())}'",
            )


def deck_name_problems(name: str, what: str, location: Location) -> Iterator[Problem]:
    if not name:
        return
    parts = name.split("::")
    shown = shorten(name)
    if any(character in name for character in "\n\r\t"):
        yield Problem(location, f"{what} '{shown}' spans several lines; write a deck name on one line")
    elif any(not part.strip() for part in parts):
        yield Problem(
            location,
            f"{what} '{shown}' has an empty part around '::'; '::' only separates deck levels, "
            "like 'Parent::Child'",
        )
    elif any(part.startswith(":") or part.endswith(":") for part in parts):
        yield Problem(
            location,
            f"{what} '{shown}' has ':::'; '::' separates deck levels, like 'Parent::Child', "
            "and a level cannot start or end with ':'",
        )
    elif any(part != part.strip() for part in parts):
        yield Problem(location, f"{what} '{shown}' has spaces around '::'; write 'Parent::Child'")
