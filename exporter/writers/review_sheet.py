"""The review sheet (.xlsx): one row per card definition for a reviewer to decide on in Excel or LibreOffice.

This module owns the sheet's format: its columns, their names and widths, the decision choices, the "About"
sheet naming the deck; review_decisions.py reads it back by the same names.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

#: The sheet reviewers fill in, and the one that says which deck it belongs to.
CARDS_SHEET = "Cards"
ABOUT_SHEET = "About"
APPROVE = "approve"
NEEDS_CHANGE = "needs change"
DECISIONS = (APPROVE, NEEDS_CHANGE)
#: (column name, widest it grows to): what the card is and says, then what the reviewer fills in.
CARD_COLUMNS = (
    ("id", 30),
    ("kind", 9),
    ("subdeck", 24),
    ("front", 45),
    ("back", 45),
    ("extra", 45),
    ("source", 28),
    ("passage", 60),
    ("status", 16),
    ("reviewed by", 18),
    ("reviewed on", 12),
)
REVIEWER_COLUMNS = (("decision", 16), ("your name", 20), ("comment", 45))
FINGERPRINT_COLUMN = "fingerprint"
COLUMNS = (*CARD_COLUMNS, *REVIEWER_COLUMNS, (FINGERPRINT_COLUMN, 14))
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)
#: The first cell of the About sheet names the deck the sheet was made from; the cell after it holds its id.
DECK_LABEL = "deck id"
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
_REVIEWER_FILL = PatternFill("solid", fgColor="FFF6D5")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One card definition as the sheet shows it: plain text, as learners read it."""

    id: str
    kind: str
    subdeck: str
    front: str
    back: str
    extra: str
    source: str
    passage: str
    status: str
    reviewed_by: str
    reviewed_on: str
    fingerprint: str

    def card_cells(self) -> tuple[str, ...]:
        return (
            self.id,
            self.kind,
            self.subdeck,
            self.front,
            self.back,
            self.extra,
            self.source,
            self.passage,
            self.status,
            self.reviewed_by,
            self.reviewed_on,
        )


@dataclass(frozen=True, slots=True)
class SheetDeck:
    """The deck a sheet is made from."""

    id: str
    title: str
    version: str


def sheet_xlsx(deck: SheetDeck, rows: Sequence[SheetRow]) -> bytes:
    """The workbook's bytes: the cards to decide on, then a sheet saying what to do and which deck it is."""
    workbook = Workbook()
    cards = workbook.active
    assert isinstance(cards, Worksheet)
    cards.title = CARDS_SHEET
    _fill_cards(cards, rows)
    _fill_about(workbook.create_sheet(ABOUT_SHEET), deck, len(rows))
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def _fill_cards(sheet: Worksheet, rows: Sequence[SheetRow]) -> None:
    sheet.append(COLUMN_NAMES)
    for row in rows:
        # every cell is a string: a text starting with "=" stays text, never a formula
        sheet.append([*row.card_cells(), None, None, None, row.fingerprint])
    last_row = len(rows) + 1
    for cells in sheet.iter_rows(min_row=1, max_row=last_row):
        for cell in cells:
            cell.alignment = _WRAP
            if cell.value is not None:
                cell.data_type = "s"
    reviewer_first = len(CARD_COLUMNS) + 1
    for index, (name, widest) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.fill = _HEADER_FILL
        sheet.column_dimensions[letter].width = _width(name, widest, rows, index)
        if reviewer_first <= index < reviewer_first + len(REVIEWER_COLUMNS):
            for cells in sheet.iter_rows(min_row=2, max_row=last_row, min_col=index, max_col=index):
                cells[0].fill = _REVIEWER_FILL
    sheet.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"
    decision = get_column_letter(reviewer_first)
    choices = DataValidation(
        type="list",
        formula1='"' + ",".join(DECISIONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Decision",
        error=f"Choose {APPROVE} or {NEEDS_CHANGE}.",
    )
    choices.add(f"{decision}2:{decision}{max(last_row, 2)}")
    sheet.add_data_validation(choices)


def _width(name: str, widest: int, rows: Sequence[SheetRow], index: int) -> float:
    """As wide as the longest line in the column, within the column's limit (long text wraps)."""
    longest = len(name)
    if index <= len(CARD_COLUMNS):
        for row in rows:
            text = row.card_cells()[index - 1]
            longest = max(longest, *(len(line) for line in text.split("\n")))
            if longest >= widest:
                break
    return min(longest, widest) + 2


def _fill_about(sheet: Worksheet, deck: SheetDeck, count: int) -> None:
    lines = (
        (DECK_LABEL, deck.id),
        ("deck", f"{deck.title} {deck.version}"),
        ("cards", str(count)),
        ("", ""),
        ("what to do", "On the Cards sheet, read each card as learners will (front, then back and extra)."),
        ("", "Check it against the training text (source, passage)."),
        ("", f"In 'decision' choose '{APPROVE}' or '{NEEDS_CHANGE}'; write your name in 'your name'."),
        ("", f"For '{NEEDS_CHANGE}', say in 'comment' what is wrong and what it should say."),
        ("", "Leave a row's decision empty to decide later. Do not change the other columns."),
        ("", "Save the file as it is (.xlsx) and send it back to the trainer."),
    )
    for label, text in lines:
        sheet.append((label, text))
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 90
    for cells in sheet.iter_rows():
        cells[0].font = Font(bold=True)
        for cell in cells:
            cell.data_type = "s"
