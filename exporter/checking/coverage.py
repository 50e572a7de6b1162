"""The training text against the deck: acronyms it uses that no card teaches, card sources it does not have,
and (checking/grounding.py) cards whose answer is not in the passage they cite.

Pure: given the text and the deck, no I/O. An acronym is a token with at least two capitals that starts with
one ("UNCT", "MINUSTAH", "CMCoord", "PhD"), a plural ("NGOs") counting as its singular; cards and text are
compared in any case. Tokens joined by "/" or "-" that are all acronyms (or single capitals) are one use
("DSRSG/RC/HC", "D/SRSG", "UNDP-DPKO"): a card for the whole, or for it written without separators ("DSRSG"),
teaches it, and so do cards for each of its parts unless one is a single letter. Not acronyms: roman numerals,
the few shouted words in IGNORED_WORDS, anything in a URL or e-mail address, and lines written entirely in
capitals (titles). Dotted abbreviations ("U.N.", "e.g.") are not looked for.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from exporter.checking.grounding import Grounding, check_grounding
from exporter.checking.training_text import Material
from exporter.errors import Location, Problem, shorten
from exporter.model import Deck

#: Shouted words that are not abbreviations to teach.
IGNORED_WORDS = frozenset({"ALL", "AND", "NB", "NO", "NOT", "NOTE", "OK", "OR", "THE", "YES"})

_TOKEN = re.compile(r"[^\W_]+(?:[/-][^\W_]+)*")
_SEPARATOR = re.compile(r"[/-]")
_URL = re.compile(r"<?(?:[a-z][a-z0-9+.-]*://|www\.)[^\s>]*>?|[^\s@<>]+@[^\s@<>]+\.[a-z]{2,}", re.IGNORECASE)
_ROMAN = re.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})\Z")
_WORD = re.compile(r"[^\W\d_]{2,}")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class AcronymUse:
    """An acronym of the training text: as first written (singular), where, and how often."""

    acronym: str
    location: Location
    count: int
    #: for a compound: its parts that no card teaches
    missing_parts: tuple[str, ...] = ()

    def problem(self) -> Problem:
        used = (
            f"'{self.acronym}' is used here"
            if self.count == 1
            else f"'{self.acronym}' is used {self.count} times, first here,"
        )
        if self.missing_parts:
            parts = ", ".join(self.missing_parts)
            return Problem(
                self.location,
                f"{used} and no acronym card teaches it or {parts}; add a card with kind: acronym for {parts}",
            )
        return Problem(
            self.location,
            f"{used} and no acronym card teaches it; add a card with kind: acronym and term: {self.acronym}",
        )


@dataclass(frozen=True, slots=True)
class DanglingSource:
    """A card whose source reference points nowhere in the training text."""

    card_id: str
    location: Location
    message: str

    def problem(self) -> Problem:
        return Problem(self.location, self.message)


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the deck leaves out of the training text, card sources the text does not have, and whether each
    card's answer is in the passage it cites."""

    #: every acronym the text uses, in order of first use
    used: tuple[AcronymUse, ...]
    uncovered: tuple[AcronymUse, ...]
    dangling: tuple[DanglingSource, ...]
    #: every card that cites a slide of the text, grounded or not
    grounding: tuple[Grounding, ...] = ()

    @property
    def ungrounded(self) -> tuple[Grounding, ...]:
        return tuple(item for item in self.grounding if not item.grounded)

    def problems(self) -> list[Problem]:
        return (
            [use.problem() for use in self.uncovered]
            + [source.problem() for source in self.dangling]
            + [item.problem() for item in self.ungrounded]
        )


def check_coverage(text: str, deck: Deck, *, source_path: str, ignore: Iterable[str] = ()) -> Coverage:
    """Compare a training text (read from source_path) with the deck's acronym cards and source references."""
    used = acronyms_in(text, path=source_path, ignore=ignore)
    taught = taught_terms(deck)
    uncovered = []
    for use in used:
        missing = _missing(use.acronym, taught)
        if missing is not None:
            compound = len(_parts(use.acronym)) > 1 and missing != (use.acronym,)
            uncovered.append(AcronymUse(use.acronym, use.location, use.count, missing if compound else ()))
    material = Material.parse(text)
    return Coverage(
        tuple(used),
        tuple(uncovered),
        tuple(dangling_sources(material, deck, source_path)),
        check_grounding(material, deck),
    )


def acronyms_in(text: str, *, path: str = "", ignore: Iterable[str] = ()) -> list[AcronymUse]:
    """Every acronym a text uses, in order of first use, with where it first occurs and how often."""
    ignored = {_key(word) for word in IGNORED_WORDS.union(ignore)}
    counts: Counter[str] = Counter()
    first: dict[str, tuple[str, Location]] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        line = _URL.sub(lambda match: " " * len(match.group()), line.rstrip("\r"))
        if len(_WORD.findall(line)) >= 3 and not any(character.islower() for character in line):
            continue  # a title in capitals: its words are words
        for match in _TOKEN.finditer(line):
            for offset, acronym in _acronyms_of(match.group()):
                key = _key(acronym)
                if key in ignored:
                    continue
                counts[key] += 1
                first.setdefault(key, (acronym, Location(path, number, match.start() + offset + 1)))
    return [AcronymUse(acronym, location, counts[key]) for key, (acronym, location) in first.items()]


def taught_terms(deck: Deck) -> set[str]:
    """The terms the deck's acronym cards teach, compared the way acronyms_in writes them."""
    terms = set()
    for card in deck.cards:
        if card.kind == "acronym" and card.fields.get("term"):
            terms.add(_key(_singulars("".join(_TAG.sub("", card.fields["term"]).split()))))
    return terms


def dangling_sources(material: Material, deck: Deck, source_path: str) -> list[DanglingSource]:
    """Cards whose slide has no "Slide N" line in the text, or whose section is no line of it."""
    found = []
    for card in deck.cards:
        source, where = card.source, card.where("source")
        if source.slide is not None and material.slide_line(source.slide) is None:
            found.append(
                DanglingSource(
                    card.id,
                    where,
                    f"card '{card.id}': slide {source.slide} is not in "
                    f"{source_path} (no line 'Slide {source.slide}'); correct "
                    "the slide number",
                )
            )
        if source.section and material.section_line(source.section) is None:
            found.append(
                DanglingSource(
                    card.id,
                    where,
                    f"card '{card.id}': section '{shorten(source.section)}' is "
                    f"not a line of {source_path}; copy the heading as the text "
                    "writes it",
                )
            )
    return found


def _acronyms_of(token: str) -> list[tuple[int, str]]:
    """The acronyms in a token, each with its offset: a compound of acronyms is one, else each part alone."""
    parts = _SEPARATOR.split(token)
    if not any(_is_acronym(part) for part in parts):
        return []
    if len(parts) > 1 and all(_is_acronym(part) or (len(part) == 1 and part.isupper()) for part in parts):
        return [(0, _singulars(token))]
    found, offset = [], 0
    for part in parts:
        if _is_acronym(part):
            found.append((offset, _singular(part)))
        offset += len(part) + 1
    return found


def _is_acronym(part: str) -> bool:
    stem = _singular(part)
    letters = [character for character in stem if character.isalpha()]
    capitals = sum(character.isupper() for character in letters)
    if capitals < 2 or not stem[0].isupper():
        return False
    if _ROMAN.match(stem):
        return False
    return stem[1].isupper() or capitals * 2 >= len(letters)


def _singular(part: str) -> str:
    if len(part) >= 3 and part.endswith("s") and part[:-1].isupper():
        return part[:-1]
    return part


def _singulars(token: str) -> str:
    """Each part of a token in the singular, separators kept: "NGOs/CSOs" → "NGO/CSO"."""
    pieces = re.split(r"([/-])", token)
    return "".join(piece if index % 2 else _singular(piece) for index, piece in enumerate(pieces))


def _key(acronym: str) -> str:
    return acronym.casefold()


def _parts(acronym: str) -> list[str]:
    return _SEPARATOR.split(acronym)


def _missing(acronym: str, taught: set[str]) -> tuple[str, ...] | None:
    """None if a card teaches the acronym; else what is missing (the parts of a compound, or the acronym)."""
    key = _key(acronym)
    if key in taught:
        return None
    parts = _parts(acronym)
    if len(parts) == 1:
        return (acronym,)
    if _key("".join(parts)) in taught:
        return None
    if any(len(part) == 1 for part in parts):
        return (acronym,)  # "D/SRSG": the letter is part of the name, so only a card for the whole teaches it
    missing = tuple(part for part in parts if _key(part) not in taught)
    return missing or None
