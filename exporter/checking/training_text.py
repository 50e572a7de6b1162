"""The training text a deck is written from: where each slide and heading is, and the passages a card comes from.

Plain text as course notes are written: a line of its own reading "Slide 12" marks a slide (its bullets come
before the mark, the speaker's notes after it), and headings are lines of their own. Pure: the caller reads
the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from exporter.model import Card

_SLIDE = re.compile(r"slide (\d+)")
# Markdown emphasis and heading marks around a line: "**Mission Partners**", "## Questions".
_EDGE_MARKS = re.compile(r"^[\s#*_]+|[\s*_]+$")
_TAG = re.compile(r"<[^>]*>")
_CLOZE_MARK = re.compile(r"\{\{c\d+::|::[^}]*\}\}|\}\}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W_]+")
_LEADING_MARKS = re.compile(r"^[^\w\"“‘'(\[]+")
#: Words that say nothing about which passage a card comes from.
_COMMON_WORDS = frozenset(
    {
        "what",
        "which",
        "when",
        "where",
        "does",
        "that",
        "this",
        "with",
        "from",
        "they",
        "their",
        "them",
        "there",
        "have",
        "been",
        "were",
        "will",
        "into",
        "also",
        "more",
        "most",
        "than",
        "then",
        "such",
        "each",
        "only",
        "stand",
        "name",
        "other",
        "about",
        "should",
        "would",
        "could",
        "must",
        "many",
        "some",
    }
)
#: At most this many passages per card, each cut to this many characters.
MAX_PASSAGES = 3
MAX_PASSAGE_CHARACTERS = 400
#: How far a section without a slide mark after it reaches.
SECTION_LINES = 60
#: A line of the speaker's notes: a note pictogram, a note to the instructor, or a long sentence.
_NOTE_MARKS = re.compile(r"[🗨👉☑]|note to instructor|handout:", re.IGNORECASE)
_NOTE_WORDS = 15
_SENTENCE_ENDING = re.compile(r"[.;:!?…][\s*_)\"”’]*$")
#: A heading: a short line that is no bullet, no numbered item and no sentence.
_HEADING_WORDS = 10
_ITEM = re.compile(r"^\s*(?:[-•*]\s|\d+[.)]\s)")


def heading_key(text: str) -> str:
    """A line or a section title as compared: no emphasis marks around it, spaces collapsed, any case."""
    return " ".join(_EDGE_MARKS.sub("", text).split()).casefold()


@dataclass(frozen=True, slots=True)
class Passage:
    """A sentence (or a short line) of the training text, with the line it is on."""

    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Excerpt:
    """What a reviewer reads beside a card: where its source points and the passages that match the card."""

    #: the slide mark or the heading, as the text writes it
    anchor: str
    line: int
    passages: tuple[Passage, ...]


@dataclass(frozen=True, slots=True)
class Material:
    """A training text, indexed by its slide marks and its lines."""

    lines: tuple[str, ...]
    #: slide number → the line (from 1) of its first "Slide N" mark
    slides: Mapping[int, int]
    #: heading_key of every line → the first line that reads so
    headings: Mapping[str, int]

    @classmethod
    def parse(cls, text: str) -> Material:
        """Index a training text."""
        lines = tuple(line.rstrip("\r") for line in text.split("\n"))
        slides: dict[int, int] = {}
        headings: dict[str, int] = {}
        for number, line in enumerate(lines, start=1):
            key = heading_key(line)
            if not key:
                continue
            headings.setdefault(key, number)
            slide = _SLIDE.fullmatch(key)
            if slide:
                slides.setdefault(int(slide.group(1)), number)
        return cls(lines, slides, headings)

    def slide_line(self, number: int) -> int | None:
        """The line of the mark "Slide N", if the text has one."""
        return self.slides.get(number)

    def section_line(self, title: str) -> int | None:
        """The first line that reads as the title (any case, spaces and emphasis marks aside)."""
        key = heading_key(title)
        return self.headings.get(key) if key else None

    def excerpt(self, card: Card) -> Excerpt | None:
        """The passages around the card's slide and section that share the most words with the card."""
        slide_line = self.slide_line(card.source.slide) if card.source.slide is not None else None
        section_line = self.section_line(card.source.section) if card.source.section else None
        if slide_line is None and section_line is None:
            return None
        region: set[int] = set()
        if slide_line is not None:
            region.update(range(self._mark_before(slide_line) + 1, self._mark_after(slide_line)))
        if section_line is not None:
            region.update(range(section_line, min(self._mark_after(section_line), section_line + SECTION_LINES)))
        anchor_line = slide_line if slide_line is not None else section_line
        assert anchor_line is not None
        anchor = " ".join(_TAG.sub("", self.lines[anchor_line - 1]).split())
        marks = set(self.slides.values())
        sentences = [
            Passage(number, sentence)
            for number in sorted(region - marks)
            for sentence in _sentences(self.lines[number - 1])
        ]
        return Excerpt(anchor, anchor_line, _best_passages(sentences, _card_words(card), after=anchor_line))

    def slide_passage(self, number: int) -> range | None:
        """The lines of a slide: its bullets before its mark and its speaker's notes after it.

        Between two marks come the notes of the first slide, then, from the first heading after a line of notes,
        the bullets of the next. Lines between two marks with no notes at all (a title, bullets) belong to both
        slides: the text does not say which, and a check must not guess against the card.
        """
        mark = self.slide_line(number)
        if mark is None:
            return None
        start = self._bullets_start(self._mark_before(mark) + 1, mark)
        end = self._notes_end(mark + 1, self._mark_after(mark))
        return range(start, end + 1)

    def slide_at(self, line: int) -> int | None:
        """The lowest-numbered slide whose passage has the line."""
        for number in sorted(self.slides):
            passage = self.slide_passage(number)
            if passage is not None and line in passage:
                return number
        return None

    def section_passage(self, title: str) -> range | None:
        """The lines of a section: from its heading to the next slide mark, at most SECTION_LINES lines."""
        start = self.section_line(title)
        if start is None:
            return None
        return range(start, min(self._mark_after(start), start + SECTION_LINES))

    def _split(self, first: int, stop: int) -> int | None:
        """The first heading after a line of notes in lines first..stop-1; stop if none; None if no notes."""
        notes = [number for number in range(first, stop) if _is_note(self.lines[number - 1])]
        if not notes:
            return None
        return next((number for number in range(notes[0] + 1, stop) if _is_heading(self.lines[number - 1])), stop)

    def _bullets_start(self, first: int, stop: int) -> int:
        split = self._split(first, stop)
        return first if split is None else split

    def _notes_end(self, first: int, stop: int) -> int:
        split = self._split(first, stop)
        return (stop if split is None else split) - 1

    def _mark_before(self, line: int) -> int:
        return max((mark for mark in self.slides.values() if mark < line), default=0)

    def _mark_after(self, line: int) -> int:
        return min((mark for mark in self.slides.values() if mark > line), default=len(self.lines) + 1)


def _plain(line: str) -> str:
    return " ".join(_TAG.sub(" ", line).replace("*", "").split())


def _is_note(line: str) -> bool:
    text = _plain(line)
    if _NOTE_MARKS.search(text):
        return True
    return len(_WORD.findall(text)) >= _NOTE_WORDS and bool(_SENTENCE_ENDING.search(text))


def _is_heading(line: str) -> bool:
    text = _plain(line)
    if not _WORD.search(text) or _ITEM.match(line) or _SLIDE.fullmatch(heading_key(line)):
        return False
    return len(_WORD.findall(text)) <= _HEADING_WORDS and not re.search(r"[.;,]$", text)


def _sentences(line: str) -> list[str]:
    text = " ".join(_TAG.sub(" ", line).replace("*", "").split())
    # without the bullets and pictograms lines start with ("- ", "🗨️ ", "☑️ ")
    return [_LEADING_MARKS.sub("", sentence) for sentence in _SENTENCE_END.split(text) if _WORD.search(sentence)]


def _words(text: str) -> set[str]:
    return {
        word.casefold()
        for word in _WORD.findall(text)
        if (len(word) >= 4 or sum(c.isupper() for c in word) >= 2) and word.casefold() not in _COMMON_WORDS
    }


def _card_words(card: Card) -> set[str]:
    text = " ".join(card.fields.values())
    return _words(_CLOZE_MARK.sub(" ", _TAG.sub(" ", text)))


def _best_passages(sentences: list[Passage], card_words: set[str], *, after: int) -> tuple[Passage, ...]:
    scored = [(len(card_words & _words(passage.text)), position) for position, passage in enumerate(sentences)]
    best = sorted((item for item in scored if item[0] > 0), key=lambda item: (-item[0], item[1]))[:MAX_PASSAGES]
    if best:
        chosen = [sentences[position] for _, position in sorted(best, key=lambda item: item[1])]
    else:  # nothing in common: the text right after the anchor
        chosen = [passage for passage in sentences if passage.line > after][:2]
    return tuple(Passage(passage.line, _cut(passage.text)) for passage in chosen)


def _cut(text: str) -> str:
    if len(text) <= MAX_PASSAGE_CHARACTERS:
        return text
    return text[: MAX_PASSAGE_CHARACTERS - 1].rstrip() + "…"
