"""The whole block of the training text a card cites, with the card's words marked in it, and the card's answer
with the words the text does not have marked: what a reviewer reads beside a card.

Pure: given the indexed text and a card. Words are compared as the grounding check compares them
(`grounding.content_key`: `normalise`, without its STOP_WORDS); "UN" is "United Nations", and an acronym the
deck teaches is found where the text spells it out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from exporter.checking.grounding import (
    WORD,
    answers,
    content_key,
    content_words,
    normalise,
    taught_acronyms,
)
from exporter.checking.training_text import Material, plain_line
from exporter.kinds import KIND_BY_NAME
from exporter.model import Card, Deck
from exporter.rendering.cloze_syntax import DELETION

_TAG = re.compile(r"<[^>]*>")
_EMPHASIS = re.compile(r"\*+")
# a word, kept by re.split between the pieces around it
_TOKEN = re.compile(f"({WORD.pattern})")

#: How an answer word stands against the text: in the cited passage, elsewhere in the text, or not in it at all.
IN_PASSAGE, ELSEWHERE, NOT_IN_TEXT = "in-passage", "elsewhere", "not-in-text"


@dataclass(frozen=True, slots=True)
class MarkedLine:
    """A line of the passage as (text, is a word of the card) pieces."""

    line: int
    pieces: tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True)
class CitedBlock:
    """The passage a card cites, whole, and its answer side measured against it."""

    #: the slide mark or the heading the card's source points to, as the text writes it
    anchor: str
    anchor_line: int
    lines: tuple[MarkedLine, ...]
    #: the answer side (answer, expansion or deletions, then the extra) as (text, "" or a state) pieces
    answer: tuple[tuple[str, str], ...]
    #: an acronym's expansion not written out in the training text (its words may be there, apart)
    expansion_not_in_text: str = ""

    def words_in(self, state: str) -> tuple[str, ...]:
        """The answer's words in that state, each once, in order."""
        return tuple(dict.fromkeys(text for text, found in self.answer if found == state))


@dataclass(frozen=True, slots=True)
class Passages:
    """A training text made ready to give each card of a deck its cited block: the words of each line, once."""

    material: Material
    #: the deck's acronyms, normalised, and their expansions
    acronyms: Mapping[str, str]
    #: the content words of each line, from line 1
    line_words: tuple[frozenset[str], ...]
    text_words: frozenset[str]
    #: every word of the text, normalised, one space around each: a phrase is found as " a b c "
    word_sequence: str

    @classmethod
    def of(cls, material: Material, deck: Deck) -> Passages:
        line_words = tuple(frozenset(content_words(line)) for line in material.lines)
        sequence = _sequence(" ".join(material.lines))
        return cls(material, taught_acronyms(deck), line_words, frozenset().union(*line_words), sequence)

    def cited_block(self, card: Card) -> CitedBlock | None:
        """The whole slide block (bullets and notes) of the card's slide, or its section when it cites no slide
        the text has; None when the text has neither."""
        material = self.material
        lines = _cited_lines(material, card)
        if lines is None:
            return None
        passage = [(number, material.lines[number - 1]) for number in lines if material.lines[number - 1].strip()]
        anchor_line = lines.start if card.source.slide is None else _anchor(material, card) or lines.start
        anchor = " ".join(_EMPHASIS.sub("", _TAG.sub("", material.lines[anchor_line - 1])).split())
        passage_words = frozenset().union(*(self.line_words[number - 1] for number, _ in passage))
        card_text = plain_line(" ".join(DELETION.sub(r"\2", text) for text in card.fields.values()))
        card_words = set(content_words(card_text)) | {_key(piece) for piece in _pieces(card_text)} - {""}
        marked = tuple(
            MarkedLine(number, tuple((piece, _key(piece) in card_words) for piece in _pieces(plain_line(text))))
            for number, text in passage
        )
        answer = tuple(
            (piece, _state(piece, passage_words, self.text_words, self.acronyms))
            for piece in _pieces(answer_side(card))
        )
        expansion = plain_line(card.fields.get("expansion", "")) if card.kind == "acronym" else ""
        written_out = not expansion or _sequence(expansion) in self.word_sequence
        return CitedBlock(anchor, anchor_line, marked, answer, "" if written_out else expansion)


def answer_side(card: Card) -> str:
    """What the learner is asked to know, in plain text: the answer, the expansion or the deletions (joined by
    " · "), then the extra or the acronym's explanation."""
    answer = " · ".join(answers(card))
    extra = card.fields.get(KIND_BY_NAME[card.kind].sides[2]) or ""
    return " — ".join(plain_line(part) for part in (answer, extra) if plain_line(part))


def _cited_lines(material: Material, card: Card) -> range | None:
    if card.source.slide is not None:
        lines = material.slide_passage(card.source.slide)
        if lines is not None:
            return lines
    return material.section_passage(card.source.section) if card.source.section else None


def _anchor(material: Material, card: Card) -> int | None:
    return material.slide_line(card.source.slide) if card.source.slide is not None else None


def _sequence(text: str) -> str:
    """The text's words, each normalised, between single spaces (hyphens and slashes are spaces)."""
    return " " + " ".join(normalise(word) for word in _TOKEN.findall(plain_line(text))) + " "


def _pieces(text: str) -> list[str]:
    """Words and what lies between them, in order: joined, they are the text."""
    return [piece for piece in _TOKEN.split(text) if piece]


@lru_cache(maxsize=1 << 16)  # a text repeats its words: each is normalised once
def _key(piece: str) -> str:
    if not _TOKEN.fullmatch(piece):
        return ""
    return content_key(piece)


def _state(piece: str, passage: frozenset[str], text: frozenset[str], acronyms: Mapping[str, str]) -> str:
    """Empty for what carries no content; else where the text has the word (or spells out the acronym)."""
    key = _key(piece)
    if not key:
        return ""
    words = [key] if key != "un" else content_words("United Nations")
    spelled = content_words(acronyms.get(key, ""))
    for found, where in ((IN_PASSAGE, passage), (ELSEWHERE, text)):
        if set(words) <= where or (spelled and set(spelled) <= where):
            return found
    return NOT_IN_TEXT
