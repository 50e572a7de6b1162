"""A filled-in review sheet → the reviewer's decisions, row by row; refused with a message naming the row when
the file is not a review sheet of this deck, a column is missing, or a cell holds a formula.

The sheet's format (its column names, the decisions, the About sheet) is review_sheet.py's; what a decision
means for a card is the command's business.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from exporter.errors import ExporterError, Location, Problem, shorten
from exporter.writers.review_sheet import (
    ABOUT_SHEET,
    CARDS_SHEET,
    COLUMN_NAMES,
    DECISIONS,
    DECK_LABEL,
    FINGERPRINT_COLUMN,
    REVIEWER_COLUMNS,
)

#: The columns the decisions are read from; the others only show the card.
READ_COLUMNS = ("id", *(name for name, _ in REVIEWER_COLUMNS), FINGERPRINT_COLUMN)
_ZIP_MAGIC = b"PK\x03\x04"
#: Rows a sheet may have beyond one per card (repeated rows are then named one by one), at the least.
MAX_ROWS = 10_000
#: A review sheet of a whole curriculum is a few megabytes; a bigger file is not one (or hides a zip bomb).
MAX_SHEET_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Decision:
    """One filled-in row: which card, the decision, who made it and why, and the card as the sheet showed it."""

    row: int
    card_id: str
    decision: str
    reviewer: str
    comment: str
    fingerprint: str


def read_decisions(data: bytes, shown: str, *, deck_id: str, cards: int) -> list[Decision]:
    """Every row with something written in the reviewer's columns, in order; rows left empty are skipped.

    A sheet has a row per card (cards of them): one with many more is refused before it is read whole."""
    workbook = _workbook(data, shown)
    try:
        _check_deck(workbook, shown, deck_id)
        sheet = workbook[CARDS_SHEET] if CARDS_SHEET in workbook.sheetnames else None
        if sheet is None:
            raise ExporterError(Location(shown), f"no '{CARDS_SHEET}' sheet; send back the sheet as it was made")
        rows = sheet.iter_rows()
        columns = _columns(next(rows, ()), shown)
        decisions = []
        problems: list[Problem] = []
        most = max(MAX_ROWS, 2 * cards)
        for number, cells in enumerate(rows, start=2):
            if number - 1 > most:
                raise ExporterError(
                    Location(shown, number),
                    f"row {number}: the sheet has more than {most} rows, and the deck {cards} cards; make a new "
                    "sheet with 'flashcards review --sheet' and copy the decisions into it",
                )
            row = _row(cells, columns, shown, number, problems)
            if row is not None:
                decisions.append(row)
        if problems:
            raise ExporterError.from_problems(problems)
        return decisions
    finally:
        workbook.close()


def _workbook(data: bytes, shown: str) -> Workbook:
    if len(data) > MAX_SHEET_BYTES:
        raise ExporterError(
            Location(shown),
            f"{len(data) // (1024 * 1024)} MB is too big for a review sheet (at most "
            f"{MAX_SHEET_BYTES // (1024 * 1024)} MB); send back the sheet as it was made",
        )
    if not data.startswith(_ZIP_MAGIC):
        raise ExporterError(
            Location(shown), "not an .xlsx workbook; in Excel or LibreOffice save it as 'Excel 2007-365 (.xlsx)'"
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ExporterError(
            Location(shown),
            "a zip file but not an .xlsx workbook; in Excel or LibreOffice save it as 'Excel 2007-365 (.xlsx)'",
        ) from None


def _check_deck(workbook: Workbook, shown: str, deck_id: str) -> None:
    about = workbook[ABOUT_SHEET] if ABOUT_SHEET in workbook.sheetnames else None
    first: tuple[object, ...] = next(about.iter_rows(max_row=1, values_only=True), ()) if about is not None else ()
    if len(first) < 2 or first[0] != DECK_LABEL:
        raise ExporterError(
            Location(shown),
            f"no '{ABOUT_SHEET}' sheet naming the deck: this is not a review sheet made by 'flashcards review "
            "--sheet'",
        )
    if first[1] != deck_id:
        raise ExporterError(
            Location(shown),
            f"this sheet is for the deck '{shorten(str(first[1]))}', not '{deck_id}'; apply it to that deck's "
            "card folder",
        )


def _columns(header: tuple[object, ...], shown: str) -> dict[str, int]:
    """The index of each column read, by its name in row 1."""
    names = [_text(getattr(cell, "value", None)) for cell in header]
    missing = [name for name in READ_COLUMNS if name not in names]
    if missing:
        unknown = [name for name in names if name and name not in COLUMN_NAMES]
        found = f" (row 1 has {', '.join(repr(shorten(name)) for name in unknown)} instead)" if unknown else ""
        raise ExporterError(
            Location(shown, 1),
            f"row 1: the column{'s' if len(missing) > 1 else ''} {', '.join(repr(name) for name in missing)} "
            f"{'are' if len(missing) > 1 else 'is'} missing{found}; put back the column names as the sheet had them",
        )
    return {name: names.index(name) for name in READ_COLUMNS}


def _row(
    cells: tuple[object, ...], columns: dict[str, int], shown: str, number: int, problems: list[Problem]
) -> Decision | None:
    """The row's decision; None for a row with no decision, name or comment (noting any problem)."""
    formulas = [cell for cell in cells if getattr(cell, "data_type", None) == "f"]
    if formulas:
        cell = formulas[0]
        problems.append(
            Problem(
                Location(shown, number),
                f"row {number}: cell {getattr(cell, 'coordinate', '?')} holds a formula "
                f"({shorten(str(getattr(cell, 'value', '')))}); type the text itself",
            )
        )
        return None
    values = {
        name: _text(getattr(cells[index], "value", None)) if index < len(cells) else ""
        for name, index in columns.items()
    }
    decision, reviewer, comment = (values[name] for name, _ in REVIEWER_COLUMNS)
    if not (decision or reviewer or comment):
        return None
    return Decision(number, values["id"], decision.lower(), reviewer, comment, values[FINGERPRINT_COLUMN])


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def decision_problems(decision: Decision, shown: str) -> Iterator[Problem]:
    """What is wrong with a row on its own: an unknown decision, no name, a change asked for without saying what."""
    where = Location(shown, decision.row)
    head = f"row {decision.row} ({shorten(decision.card_id)})"
    if not decision.decision:
        yield Problem(where, f"{head}: a name or comment but no decision; choose {' or '.join(DECISIONS)}")
    elif decision.decision not in DECISIONS:
        yield Problem(
            where, f"{head}: decision '{shorten(decision.decision)}' is not one of: {', '.join(DECISIONS)}"
        )
    if decision.decision and not decision.reviewer:
        yield Problem(where, f"{head}: write your name in 'your name'")
    if decision.decision == DECISIONS[1] and not decision.comment:
        yield Problem(where, f"{head}: '{DECISIONS[1]}' needs a comment saying what to change")
