"""The two CSV files: one Anki imports with no manual mapping, one a spreadsheet opens cleanly."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from exporter.pipeline.build import build
from exporter.rendering.notes import note_guid
from tests.anki_engine import deck_of, fresh_collection, import_apkg, import_csv, notes_by_guid, visible_text
from tests.support import DATA, bump_version

GOLDEN = DATA / "golden"


def test_anki_csv_imports_into_fresh_collection(tmp_path: Path, built_valid: Path) -> None:
    col = fresh_collection(tmp_path)
    log = import_csv(col, built_valid / "test-deck.anki.csv")
    assert len(log.new) == 5
    per_deck = Counter(deck_of(col, col.get_card(cid)) for cid in col.find_cards(""))
    assert per_deck == {"Test Deck::Acronyms": 4, "Test Deck::Humanitarian principles": 5}
    notes = notes_by_guid(col)
    unct = notes[note_guid("test-deck", "unct")]
    assert unct.note_type()["name"] == "Basic (and reversed card)"
    assert unct.fields == ["UNCT", "United Nations Country Team"]
    assert unct.tags == ["acronym", "outcome::LO1", "un-system"]
    cloze = notes[note_guid("test-deck", "principles-cloze")]
    assert len(cloze.cards()) == 3
    assert "Médecins Sans Frontières" in visible_text(cloze.cards()[0].answer())


def test_anki_csv_guids_match_the_apkg(tmp_path: Path, built_valid: Path) -> None:
    from_csv = fresh_collection(tmp_path, "csv.anki2")
    import_csv(from_csv, built_valid / "test-deck.anki.csv")
    from_apkg = fresh_collection(tmp_path, "apkg.anki2")
    import_apkg(from_apkg, built_valid / "test-deck.apkg")
    assert set(notes_by_guid(from_csv)) == set(notes_by_guid(from_apkg))


def test_anki_csv_reimport_updates_not_duplicates(tmp_path: Path, valid_cards: Path) -> None:
    out = tmp_path / "dist"
    build(valid_cards, out)
    col = fresh_collection(tmp_path)
    import_csv(col, out / "test-deck.anki.csv")
    again = import_csv(col, out / "test-deck.anki.csv")
    assert len(again.new) == 0 and col.note_count() == 5

    topic = valid_cards / "01-acronyms.yaml"
    topic.write_text(topic.read_text().replace("United Nations Country Team", "United Nations Country Team (UN)"))
    bump_version(valid_cards, "1.0.1")
    build(valid_cards, out)
    changed = import_csv(col, out / "test-deck.anki.csv")
    assert (len(changed.new), len(changed.updated)) == (0, 1)
    assert col.note_count() == 5
    assert notes_by_guid(col)[note_guid("test-deck", "unct")].fields[1] == "United Nations Country Team (UN)"


def test_spreadsheet_csv_opens_cleanly(built_valid: Path) -> None:
    data = (built_valid / "test-deck.spreadsheet.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8 accents"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 5
    cloze = next(row for row in rows if row["id"] == "principles-cloze")
    assert cloze["extra"] == "Médecins Sans Frontières and the ICRC apply them too."
    assert cloze["slide"] == "13" and cloze["outcomes"] == "LO2"
    answered_no = next(row for row in rows if row["id"] == "peacekeepers-deliver-aid")
    assert (answered_no["back"], answered_no["status"], answered_no["reviewed_by"]) == (
        "no",
        "approved",
        "A. Reviewer",
    )


def test_csv_files_match_golden(built_valid: Path) -> None:
    for name in ("test-deck.anki.csv", "test-deck.spreadsheet.csv"):
        assert (built_valid / name).read_bytes() == (GOLDEN / name).read_bytes(), name
