"""Rendered notes → two CSV files: one Anki imports with no mapping, one a spreadsheet opens cleanly.

The Anki file names Anki's stock note types (Basic, Basic (and reversed card), Cloze), because a fresh
collection has only those and Anki silently falls back to its default type for an unknown name.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

from exporter.kinds import KIND_BY_NAME
from exporter.rendering.notes import RenderedNote
from exporter.rendering.plain_text import field_text

#: Anki's importer skips lines starting "#" and reads "#key:value" ones as settings (unknown keys are ignored),
#: so the first two lines, with no ':' in them, speak only to a person who opens the file.
ANKI_CSV_HEADER = (
    "#This file is for Anki's File > Import (a text file with its settings in these header lines)\n"
    "#To read or check the cards open the .spreadsheet.csv file beside it instead\n"
    "#separator:Comma\n"
    "#html:true\n"
    "#guid column:1\n"
    "#notetype column:2\n"
    "#deck column:3\n"
    "#tags column:6\n"
    "#if matches:update current\n"
)

SPREADSHEET_COLUMNS = (
    "id",
    "kind",
    "subdeck",
    "front",
    "back",
    "extra",
    "tags",
    "slide",
    "section",
    "outcomes",
    "status",
    "reviewed_by",
    "reviewed_on",
    "guid",
)
# Cells a spreadsheet would run as a formula; a leading apostrophe keeps them text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def anki_csv_line(note: RenderedNote) -> str:
    """A note's line of the CSV that Anki imports into a fresh collection: decks, tags and GUIDs from columns."""
    kind = KIND_BY_NAME[note.card.kind]
    back = note.field(kind.stock_back) if kind.stock_back else ""
    back += "".join(
        f'<div class="{name.lower()}">{note.field(name)}</div>' for name in kind.stock_extras if note.field(name)
    )
    front = note.field(kind.stock_front)
    return _anki_line((note.guid, kind.stock_note_type, note.deck_name, front, back, " ".join(note.tags)))


#: The spreadsheet CSV starts with a BOM, so Excel keeps accents, and its column names.
SPREADSHEET_HEAD = "\ufeff" + ",".join(SPREADSHEET_COLUMNS) + "\r\n"


def spreadsheet_line(note: RenderedNote) -> str:
    """A note's line of the CSV for people: one row per card definition, the text as learners read it."""
    card = note.card
    front, back, extra = (
        field_text(note.field(name)) if name else "" for name in KIND_BY_NAME[card.kind].spreadsheet_fields
    )
    row = (
        card.id,
        card.kind,
        card.subdeck,
        front,
        back,
        extra,
        " ".join(card.tags),
        "" if card.source.slide is None else str(card.source.slide),
        card.source.section or "",
        " ".join(card.outcomes),
        card.review_state,
        card.review.by or "",
        card.review.on or "",
    )
    # a GUID is made here of letters, digits, '-' and '_' (nothing a spreadsheet can run), and an apostrophe in
    # front would make it another GUID
    return _spreadsheet_line((*map(_as_text_cell, row), note.guid))


class _Line:
    """Where csv.writer puts a row: it writes each whole row at once."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text = text


def _line_writer(terminator: str) -> Callable[[Iterable[str]], str]:
    line = _Line()
    writer = csv.writer(line, lineterminator=terminator)

    def format_row(row: Iterable[str]) -> str:
        writer.writerow(row)
        return line.text

    return format_row


_anki_line = _line_writer("\n")
_spreadsheet_line = _line_writer("\r\n")


def _as_text_cell(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
