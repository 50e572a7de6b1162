"""Updates that keep learners' progress, proven by importing release after release into the real engine."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from exporter import kinds, notetypes
from exporter.errors import ExporterError
from exporter.pipeline.build import build
from exporter.release.comparison import Consent
from exporter.rendering.notes import note_guid
from tests.anki_engine import UPDATE_ALWAYS, fresh_collection, import_apkg, notes_by_guid
from tests.support import BUILD_TIME, edit, first_release_in_anki, release, schedule, study_everything

DAY = 86_400


def guid(card_id: str) -> str:
    return note_guid("test-deck", card_id)


def test_second_release_keeps_progress_and_edits(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    col = first_release_in_anki(tmp_path, valid_cards, out, monkeypatch)
    assert study_everything(col) >= 9
    reviews = col.db.scalar("select count() from revlog")
    before = schedule(col)

    # The learner edits an unchanged card's note and tags it for themselves.
    mine = notes_by_guid(col)[guid("peacekeepers-deliver-aid")]
    mine["Extra"] = "My own note: ask the CIMIC officer."
    mine.tags.append("mine")
    col.update_note(mine)

    # The trainer edits three cards, adds one and retires one.
    acronyms, principles = valid_cards / "01-acronyms.yaml", valid_cards / "02-principles.yaml"
    edit(acronyms, "Every UN agency, fund and programme", "All UN agencies, funds and programmes")
    edit(
        acronyms,
        "expansion: Office for the Coordination of Humanitarian Affairs",
        "expansion: Office for the Coordination of Humanitarian Affairs\n    tags: [ocha]",
    )
    edit(principles, "apply them too.", "apply them as well.")
    edit(principles, "  - id: version-number", "  - id: retired-soon")
    principles.write_text(principles.read_text().split("  - id: retired-soon")[0])
    acronyms.write_text(
        acronyms.read_text()
        + (
            "  - id: qip\n    kind: acronym\n    term: QIP\n    expansion: Quick Impact Project\n"
            "    source: {slide: 15}\n    outcomes: [LO1]\n"
        )
    )

    log = import_apkg(col, release(valid_cards, out, "1.1.0", BUILD_TIME + DAY, monkeypatch))

    assert _guids_of(col, log.updated) == {
        guid("unct"),
        guid("ocha"),
        guid("principles-cloze"),
        guid("version-number"),
    }, "the three edited notes, plus the retired one getting its 'retired' tag"
    assert _guids_of(col, log.new) == {guid("qip")}
    assert col.note_count() == 6 and len(notes_by_guid(col)) == 6
    assert col.db.scalar("select count() from revlog") == reviews
    after = schedule(col)
    assert {cid: after[cid] for cid in before} == before, "every existing card keeps its schedule"

    notes = notes_by_guid(col)
    assert (
        notes[guid("unct")]["Explanation"] == "All UN agencies, funds and programmes working in the host country."
    )
    assert notes[guid("ocha")].tags == ["acronym", "ocha", "outcome::LO2"]
    assert notes[guid("peacekeepers-deliver-aid")]["Extra"] == "My own note: ask the CIMIC officer."
    assert "mine" in notes[guid("peacekeepers-deliver-aid")].tags

    assert [col.get_note(nid).guid for nid in col.find_notes("tag:retired")] == [guid("version-number")]
    changelog = (out / "CHANGELOG.md").read_text()
    assert "## 1.1.0 (2025-11-25)" in changelog and "tag:retired" in changelog
    assert "- `version-number` (Humanitarian principles): “Which release of the guidance is quoted?”" in changelog
    assert (
        "  - Explanation: “Every UN agency, fund and programme working in the host country.” → "
        "“All UN agencies, funds and programmes working in the host country.”" in changelog
    )

    newcomer = fresh_collection(tmp_path, "newcomer.anki2")
    import_apkg(newcomer, out / "test-deck.apkg")
    assert newcomer.card_count() == 10, "a newcomer gets nothing to study from the retired card"
    assert newcomer.find_cards("tag:retired") == []


def _guids_of(col, entries) -> set[str]:  # type: ignore[no-untyped-def]
    by_id = {note.id: note.guid for note in notes_by_guid(col).values()}
    return {by_id[entry.id.nid] for entry in entries if entry.id.nid in by_id}


def test_two_builds_are_byte_identical(tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    build(valid_cards, first)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_TIME + 3 * DAY))
    build(valid_cards, first)
    (second / "x").parent.mkdir()
    (second / "ledger.json").write_bytes((first / "ledger.json").read_bytes())
    build(valid_cards, second)
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    assert not [path for path in first.iterdir() if path.name.startswith(".")], "no temporary files left"


def test_styling_change_reaches_the_learner(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    col = first_release_in_anki(tmp_path, valid_cards, out, monkeypatch)
    monkeypatch.setattr(notetypes, "CSS", notetypes.CSS + "\n.term { letter-spacing: 0.1em; }\n")
    import_apkg(col, release(valid_cards, out, "1.0.1", BUILD_TIME + DAY, monkeypatch))
    for name in ("Peacekeeping Acronym", "Peacekeeping Question", "Peacekeeping Cloze"):
        assert col.models.by_name(name)["css"].endswith(".term { letter-spacing: 0.1em; }\n")
    newest = (out / "CHANGELOG.md").read_text().split("## 1.0.0")[0]
    assert "No card changes; the note types changed.\n" in newest
    assert "- Peacekeeping Acronym: templates or styling changed\n" in newest


def test_field_change_needs_consent_then_merges(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    col = first_release_in_anki(tmp_path, valid_cards, out, monkeypatch)
    study_everything(col)
    before = schedule(col)
    reviews = col.db.scalar("select count() from revlog")

    with_hint = dataclasses.replace(notetypes.BASIC, fields=notetypes.BASIC.fields + ((7015, "Hint"),))
    monkeypatch.setitem(kinds.NOTE_TYPES, "basic", with_hint)
    edit(valid_cards / "02-principles.yaml", "answer: no", "answer: No, as a rule")
    with pytest.raises(ExporterError) as refused:
        release(valid_cards, out, "2.0.0", BUILD_TIME + DAY, monkeypatch)
    assert str(refused.value).endswith(
        "deck.yaml:1:1: note type Peacekeeping Question: field 'Hint' added. Learners' Anki will keep the old note "
        "type, add a copy named '…+' and skip every update to these notes unless they tick 'Merge note types' when "
        "importing. To do it deliberately, build with --allow-schema-change and tell learners to import with 'Merge "
        "note types' ticked and 'Update notes' set to 'Always' (merging stamps their notes with the import time, so "
        "'If newer' would skip the new content)"
    )

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_TIME + DAY))
    build(valid_cards, out, consent=Consent(schema_change=True))
    log = import_apkg(col, out / "test-deck.apkg", merge_notetypes=True, update_notes=UPDATE_ALWAYS)
    assert _guids_of(col, log.updated) >= {guid("peacekeepers-deliver-aid")}
    note = notes_by_guid(col)[guid("peacekeepers-deliver-aid")]
    assert note.keys() == ["Question", "Answer", "Extra", "Source", "Hint"]
    assert note["Answer"] == "No, as a rule"
    assert col.db.scalar("select count() from revlog") == reviews
    after = schedule(col)
    assert {cid: after[cid] for cid in before} == before


def test_ledger_has_a_line_per_card(built_valid: Path) -> None:
    text = (built_valid / "ledger.json").read_text(encoding="utf-8")
    ledger = json.loads(text)
    card_lines = [line for line in text.splitlines() if line.startswith('  "') and '"guid": ' in line]
    assert (
        [line.split('"')[1] for line in card_lines]
        == sorted(ledger["cards"])
        == sorted(["unct", "ocha", "principles-cloze", "peacekeepers-deliver-aid", "version-number"])
    )
    assert json.loads(card_lines[0].split(": ", 1)[1].rstrip(",")) == ledger["cards"][sorted(ledger["cards"])[0]]
