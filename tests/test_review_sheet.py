"""`flashcards review --sheet`: the cards in an .xlsx a reviewer fills in; `--apply` writes the decisions back into
the card files, changing only review lines."""

from __future__ import annotations

import datetime
import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exporter.pipeline.checked_stream import check
from tests.support import DATA, REVIEW_SHEET_COLUMNS, edit, run, sheet_column, snapshot

TODAY = datetime.date.today().isoformat()
REVIEW_KEYS = ("status:", "reviewed_by:", "reviewed_on:", "review_note:", "approved_fingerprint:")


@pytest.fixture
def at_work(tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small valid card set in cards/ of the working folder, with the training text beside it."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(DATA / "grounding" / "unit.txt", tmp_path / "unit.txt")
    return tmp_path


def _fill(sheet: Path, decisions: dict[str, tuple[str, str, str]], saved_as: Path) -> None:
    """Choose decisions, type names and comments in the rows of these cards, as a reviewer does in a spreadsheet."""
    workbook = load_workbook(sheet)
    cards = workbook["Cards"]
    for row in range(2, cards.max_row + 1):
        card_id = cards.cell(row, sheet_column("id")).value
        if card_id in decisions:
            for name, value in zip(("decision", "your name", "comment"), decisions[card_id], strict=True):
                cards.cell(row, sheet_column(name)).value = value or None
    workbook.save(saved_as)


def test_the_sheet_has_a_row_per_card_in_deck_order(at_work: Path) -> None:
    code, out, err = run("review", "cards", "--sheet", "review.xlsx", "--source", "unit.txt")

    assert (code, out, err) == (
        0,
        "wrote review.xlsx: 5 card definitions to review; send it to the reviewer\n",
        "",
    )
    workbook = load_workbook(at_work / "review.xlsx")
    assert workbook.sheetnames == ["Cards", "About"]
    cards = workbook["Cards"]
    rows = list(cards.iter_rows(values_only=True))
    assert rows[0] == REVIEW_SHEET_COLUMNS
    deck = check(at_work / "cards").deck
    assert deck is not None
    assert [row[0] for row in rows[1:]] == [card.id for card in deck.cards]
    by_id = {row[0]: dict(zip(REVIEW_SHEET_COLUMNS, row, strict=True)) for row in rows[1:]}
    cloze = by_id["principles-cloze"]
    assert (cloze["front"], cloze["back"]) == (
        "The three humanitarian principles: […], […] and […].",
        "The three humanitarian principles: humanity, neutrality and impartiality.",
    )
    assert cloze["source"] == "Slide 13 · Collaboration with the Humanitarian Community"
    assert cloze["passage"].startswith("Slide 13\n\n- Humanitarian activities are civilian activities")
    approved = by_id["peacekeepers-deliver-aid"]
    assert (approved["back"], approved["status"], approved["reviewed by"], approved["reviewed on"]) == (
        "no",
        "approved",
        "A. Reviewer",
        "2026-11-20",
    )
    assert by_id["version-number"]["back"] == "1.10"
    assert all(len(row["fingerprint"]) == 12 for row in by_id.values())
    assert cards.freeze_panes == "B2"
    assert cards.auto_filter.ref == "A1:O6"
    assert cards.column_dimensions["O"].hidden
    assert all(cell.alignment.wrap_text for row in cards.iter_rows() for cell in row)
    widths = [cards.column_dimensions[letter].width for letter in "ABCDEFGHIJKLMN"]
    assert widths[0] == len("peacekeepers-deliver-aid") + 2 and max(widths) <= 62
    (choices,) = cards.data_validations.dataValidation
    assert (choices.type, choices.formula1, str(choices.sqref)) == ("list", '"approve,needs change"', "L2:L6")
    assert next(workbook["About"].iter_rows(max_row=1, values_only=True)) == ("deck id", "test-deck")


def test_status_limits_the_sheet_to_what_still_needs_review(at_work: Path) -> None:
    code, out, err = run("review", "cards", "--sheet", "todo.xlsx", "--status", "to-review")

    assert (code, out, err) == (0, "wrote todo.xlsx: 4 card definitions to review; send it to the reviewer\n", "")
    ids = [row[0] for row in load_workbook(at_work / "todo.xlsx")["Cards"].iter_rows(min_row=2, values_only=True)]
    assert "peacekeepers-deliver-aid" not in ids and len(ids) == 4


def _changed_lines(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    changed = []
    for name in sorted(name for name in before if not name.startswith(".flashcards-cache")):
        old, new = before[name].decode().splitlines(), after[name].decode().splitlines()
        changed += [
            line
            for line in difflib.unified_diff(old, new, lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ]
    return changed


def _libreoffice_saved(sheet: Path, folder: Path) -> Path:
    """The sheet opened and saved again by LibreOffice Calc, as a reviewer using it would send it back."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice, Debian's libreoffice-calc) is not installed")
    folder.mkdir()
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(folder),
            str(sheet),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / sheet.name


@pytest.mark.parametrize("saved_by", ["openpyxl", "libreoffice"])
@pytest.mark.slow
def test_round_trip(at_work: Path, saved_by: str) -> None:
    before = snapshot(at_work / "cards")
    assert run("review", "cards", "--sheet", "review.xlsx", "--source", "unit.txt")[0] == 0
    _fill(
        at_work / "review.xlsx",
        {
            "unct": ("approve", "Ana O'Neil", ""),
            "principles-cloze": ("approve", "Ana O'Neil", "Fine: #1 as taught"),
            "ocha": ("needs change", "Ana O'Neil", 'Say "Office", not "Bureau": see slide 15.'),
        },
        at_work / "filled.xlsx",
    )
    sheet = at_work / "filled.xlsx"
    if saved_by == "libreoffice":
        sheet = _libreoffice_saved(sheet, at_work / "lo")

    code, out, err = run("review", "cards", "--apply", str(sheet))

    assert (code, err) == (0, "")
    assert out == (
        "approved: unct\napproved: principles-cloze\nneeds change: ocha\n"
        f"applied {sheet}: 2 approved, 1 need change, 2 card files changed: cards/01-acronyms.yaml, "
        "cards/02-principles.yaml\n"
        "kept the approved text of each approved card in cards/approved-texts.jsonl (diff and the review page show "
        "it)\n"
        "next: run 'flashcards build' (it updates only the spreadsheet CSV's review columns), then commit cards/ "
        "and dist/ together\n"
    )
    after = snapshot(at_work / "cards")
    changed = _changed_lines(before, after)
    assert changed and all(line[1:].strip().startswith(REVIEW_KEYS) for line in changed), changed
    assert f'+    reviewed_on: "{TODAY}"' in changed
    assert '+    review_note: "Say \\"Office\\", not \\"Bureau\\": see slide 15."' in changed
    assert run("validate", "cards")[0] == 0
    deck = check(at_work / "cards").deck
    assert deck is not None
    states = {card.id: (card.review_state, card.review.by, card.review.note) for card in deck.cards}
    assert states["unct"] == ("approved", "Ana O'Neil", None)
    assert states["principles-cloze"] == ("approved", "Ana O'Neil", "Fine: #1 as taught")
    assert states["ocha"] == ("needs-change", "Ana O'Neil", 'Say "Office", not "Bureau": see slide 15.')

    assert run("build", "cards", "-o", "approved", "--approved-only")[0] == 0
    assert _shipped(at_work / "approved") == ["peacekeepers-deliver-aid", "principles-cloze", "unct"]
    edit(at_work / "cards" / "01-acronyms.yaml", "United Nations Country Team", "United Nations Country Office")
    edit(
        at_work / "cards" / "02-principles.yaml", "{slide: 13,", "{slide: 12,"
    )  # the source alone: still approved
    assert run("build", "cards", "-o", "approved-later", "--approved-only")[0] == 0
    assert _shipped(at_work / "approved-later") == ["peacekeepers-deliver-aid", "principles-cloze"]
    assert run("review", "cards", "--sheet", "again.xlsx", "--status", "needs-re-review")[0] == 0
    again = list(load_workbook(at_work / "again.xlsx")["Cards"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[sheet_column("status") - 1]) for row in again] == [("unct", "needs re-review")]


def _shipped(folder: Path) -> list[str]:
    lines = (folder / "test-deck.spreadsheet.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    return sorted(line.split(",")[0] for line in lines)


def test_after_applying_a_build_without_a_new_version_keeps_build_check_green(at_work: Path) -> None:
    assert run("build", "cards", "-o", "dist")[0] == 0
    assert run("review", "cards", "--sheet", "review.xlsx")[0] == 0
    _fill(at_work / "review.xlsx", {"unct": ("approve", "Ana", "")}, at_work / "filled.xlsx")
    assert run("review", "cards", "--apply", "filled.xlsx")[0] == 0
    package = (at_work / "dist" / "test-deck.apkg").read_bytes()

    assert run("build", "cards", "-o", "dist")[0] == 0

    assert run("build", "cards", "-o", "dist", "--check")[0:2] == (0, "ok: dist is exactly what cards builds\n")
    assert (at_work / "dist" / "test-deck.apkg").read_bytes() == package
