"""`flashcards review --apply` refuses a bad sheet with a message naming the row, exit 1, and touches no card
file, even when its other rows are good."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.support import edit, run, sheet_column, snapshot

DECISION, NAME, COMMENT, FINGERPRINT = (
    sheet_column(name) for name in ("decision", "your name", "comment", "fingerprint")
)
#: the cards' rows in the valid set's sheet
UNCT, OCHA, CLOZE = 2, 3, 4


def _set(row: int, column: int, value: object) -> Callable[[Workbook], None]:
    def change(workbook: Workbook) -> None:
        workbook["Cards"].cell(row, column).value = value

    return change


def _both(*changes: Callable[[Workbook], None]) -> Callable[[Workbook], None]:
    def change(workbook: Workbook) -> None:
        for one in changes:
            one(workbook)

    return change


def _duplicate_row(workbook: Workbook) -> None:
    cards = workbook["Cards"]
    cards.append([cell.value for cell in cards[UNCT]])


def _many_rows(workbook: Workbook) -> None:
    cards = workbook["Cards"]
    for number in range(50_000):
        cards.append([f"card-{number}"])


def _other_deck(workbook: Workbook) -> None:
    workbook["About"]["B1"] = "unit-4"


def _no_about(workbook: Workbook) -> None:
    del workbook["About"]


def _delete_column(workbook: Workbook) -> None:
    workbook["Cards"].delete_cols(COMMENT)


#: (id, change made to a sheet whose unct row approves the card, exact message after "filled.xlsx")
CASES: list[tuple[str, Callable[[Workbook], None], str]] = [
    (
        "formula",
        _set(OCHA, COMMENT, "=CONCATENATE(A3)"),
        ":3:1: row 3: cell N3 holds a formula (=CONCATENATE(A3)); type the text itself",
    ),
    (
        "unknown-id",
        _both(_set(OCHA, 1, "no-such-card"), _set(OCHA, DECISION, "approve"), _set(OCHA, NAME, "Ana")),
        ":3:1: row 3 (no-such-card): no card has this id in the deck; put back the id the row had",
    ),
    ("duplicated-row", _duplicate_row, ":7:1: row 7 (unct): the card is also on row 2; keep one row per card"),
    (
        "another-decks-sheet",
        _other_deck,
        ": this sheet is for the deck 'unit-4', not 'test-deck'; apply it to that deck's card folder",
    ),
    (
        "not-made-by-flashcards",
        _no_about,
        ": no 'About' sheet naming the deck: this is not a review sheet made by 'flashcards review --sheet'",
    ),
    (
        "renamed-column",
        _set(1, DECISION, "Decision (choose)"),
        ":1:1: row 1: the column 'decision' is missing (row 1 has 'Decision (choose)' instead); put back the column "
        "names as the sheet had them",
    ),
    (
        "missing-column",
        _delete_column,
        ":1:1: row 1: the column 'comment' is missing; put back the column names as the sheet had them",
    ),
    (
        "50000-rows",
        _many_rows,
        ":10002:1: row 10002: the sheet has more than 10000 rows, and the deck 5 cards; make a new sheet with "
        "'flashcards review --sheet' and copy the decisions into it",
    ),
    (
        "unknown-decision",
        _both(_set(OCHA, DECISION, "ok"), _set(OCHA, NAME, "Ana")),
        ":3:1: row 3 (ocha): decision 'ok' is not one of: approve, needs change",
    ),
    (
        "change-without-comment",
        _both(_set(OCHA, DECISION, "needs change"), _set(OCHA, NAME, "Ana")),
        ":3:1: row 3 (ocha): 'needs change' needs a comment saying what to change",
    ),
    ("no-name", _set(OCHA, DECISION, "approve"), ":3:1: row 3 (ocha): write your name in 'your name'"),
    (
        "comment-but-no-decision",
        _set(OCHA, COMMENT, "Hmm"),
        ":3:1: row 3 (ocha): a name or comment but no decision; choose approve or needs change",
    ),
    (
        "fingerprint-changed",
        _set(UNCT, FINGERPRINT, "000000000000"),
        ":2:1: row 2 (unct): the card has changed since the sheet was made; make a new sheet (flashcards review "
        "--sheet) and review the card again",
    ),
]


@pytest.fixture
def sheet_made(tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The valid set's review sheet, its unct row approved by a reviewer."""
    monkeypatch.chdir(tmp_path)
    assert run("review", "cards", "--sheet", "review.xlsx")[0] == 0
    workbook = load_workbook(tmp_path / "review.xlsx")
    _both(_set(UNCT, DECISION, "approve"), _set(UNCT, NAME, "Ana"))(workbook)
    workbook.save(tmp_path / "review.xlsx")
    return tmp_path / "review.xlsx"


@pytest.mark.parametrize(("change", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_bad_sheet_is_refused(sheet_made: Path, change: Callable[[Workbook], None], message: str) -> None:
    workbook = load_workbook(sheet_made)
    change(workbook)
    workbook.save(sheet_made.parent / "filled.xlsx")
    cards = _card_files(sheet_made.parent)

    code, out, err = run("review", "cards", "--apply", "filled.xlsx")

    assert (code, out, err) == (1, "", f"filled.xlsx{message}\nfailed: 1 problem\n")
    assert _card_files(sheet_made.parent) == cards


def _card_files(folder: Path) -> dict[str, bytes]:
    """The card files (not the cache the commands keep beside them)."""
    return {
        name: data for name, data in snapshot(folder / "cards").items() if not name.startswith(".flashcards-cache")
    }


def _zip_of_text(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")


# (id, how the file is made, exact message after "filled.xlsx")
NOT_SHEETS: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "csv-text",
        lambda path: path.write_text("id,decision\nunct,approve\n"),
        ": not an .xlsx workbook; in Excel or LibreOffice save it as 'Excel 2007-365 (.xlsx)'",
    ),
    (
        "too-big",
        lambda path: path.write_bytes(b"PK\x03\x04" + bytes(51 * 1024 * 1024)),
        ": 51 MB is too big for a review sheet (at most 50 MB); send back the sheet as it was made",
    ),
    (
        "empty",
        lambda path: path.write_bytes(b""),
        ": not an .xlsx workbook; in Excel or LibreOffice save it as 'Excel 2007-365 (.xlsx)'",
    ),
    (
        "zip-of-something-else",
        _zip_of_text,
        ": a zip file but not an .xlsx workbook; in Excel or LibreOffice save it as 'Excel 2007-365 (.xlsx)'",
    ),
]


@pytest.mark.parametrize(
    ("make", "message"), [case[1:] for case in NOT_SHEETS], ids=[case[0] for case in NOT_SHEETS]
)
def test_a_file_that_is_not_a_sheet_is_refused(
    sheet_made: Path, make: Callable[[Path], None], message: str
) -> None:
    make(sheet_made.parent / "filled.xlsx")
    cards = _card_files(sheet_made.parent)

    code, out, err = run("review", "cards", "--apply", "filled.xlsx")

    assert (code, out, err) == (1, "", f"filled.xlsx{message}\nfailed: 1 problem\n")
    assert _card_files(sheet_made.parent) == cards


def test_a_missing_sheet_is_refused(sheet_made: Path) -> None:
    assert run("review", "cards", "--apply", "nowhere.xlsx") == (
        1,
        "",
        "nowhere.xlsx: no such file; give the review sheet the reviewer sent back\nfailed: 1 problem\n",
    )


def test_every_bad_row_is_named_and_nothing_is_written(sheet_made: Path) -> None:
    workbook = load_workbook(sheet_made)
    _both(_set(OCHA, DECISION, "ok"), _set(OCHA, NAME, "Ana"), _set(CLOZE, DECISION, "approve"))(workbook)
    workbook.save(sheet_made.parent / "filled.xlsx")
    edit(sheet_made.parent / "cards" / "01-acronyms.yaml", "Every UN agency", "Each UN agency")
    cards = _card_files(sheet_made.parent)

    code, out, err = run("review", "cards", "--apply", "filled.xlsx")

    assert (code, out) == (1, "")
    assert err == (
        "filled.xlsx:2:1: row 2 (unct): the card has changed since the sheet was made; make a new sheet "
        "(flashcards review --sheet) and review the card again\n"
        "filled.xlsx:3:1: row 3 (ocha): decision 'ok' is not one of: approve, needs change\n"
        "filled.xlsx:4:1: row 4 (principles-cloze): write your name in 'your name'\n"
        "failed: 3 problems\n"
    )
    assert _card_files(sheet_made.parent) == cards
