"""The training text a deck is written from: where each slide and heading is, and the lines of each slide.

Plain text as course notes are written: a line of its own reading "Slide 12" marks a slide (its bullets come
before the mark, the speaker's notes after it), and headings are lines of their own. Pure: the caller reads
the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_SLIDE = re.compile(r"slide (\d+)")
# Markdown emphasis and heading marks around a line: "**Mission Partners**", "## Questions".
_EDGE_MARKS = re.compile(r"^[\s#*_]+|[\s*_]+$")
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W_]+")
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


def plain_line(line: str) -> str:
    """A line without its tags (each a space) and emphasis marks, its spaces collapsed."""
    return " ".join(_TAG.sub(" ", line).replace("*", "").split())


def _is_note(line: str) -> bool:
    text = plain_line(line)
    if _NOTE_MARKS.search(text):
        return True
    return len(_WORD.findall(text)) >= _NOTE_WORDS and bool(_SENTENCE_ENDING.search(text))


def _is_heading(line: str) -> bool:
    text = plain_line(line)
    if not _WORD.search(text) or _ITEM.match(line) or _SLIDE.fullmatch(heading_key(line)):
        return False
    return len(_WORD.findall(text)) <= _HEADING_WORDS and not re.search(r"[.;,]$", text)
