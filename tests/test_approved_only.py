"""`flashcards build --approved-only`: learners get only the cards a reviewer approved."""

from __future__ import annotations

from pathlib import Path

from exporter.rendering.notes import note_guid
from tests.anki_engine import fresh_collection, import_apkg, notes_by_guid
from tests.support import bump_version, run

APPROVED = "peacekeepers-deliver-aid"
DRAFTS = ("unct", "ocha", "principles-cloze", "version-number")


def test_only_approved_cards_reach_learners(valid_cards: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run("build", str(valid_cards), "-o", str(out_dir), "--approved-only")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "built Test Deck 1.0.0: 1 note, 1 card (approved cards only)"
    collection = fresh_collection(tmp_path)
    try:
        log = import_apkg(collection, out_dir / "test-deck.apkg")
        assert (len(log.new), collection.note_count(), collection.card_count()) == (1, 1, 1)
        assert set(notes_by_guid(collection)) == {note_guid("test-deck", APPROVED)}
    finally:
        collection.close()
    assert (out_dir / "test-deck.anki.csv").read_text(encoding="utf-8").count(
        note_guid("test-deck", APPROVED)
    ) == 1
    assert all(
        note_guid("test-deck", card_id) not in (out_dir / "test-deck.anki.csv").read_text(encoding="utf-8")
        for card_id in DRAFTS
    )


def test_drafts_already_shipped_are_retired(valid_cards: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    assert run("build", str(valid_cards), "-o", str(out_dir))[0] == 0
    collection = fresh_collection(tmp_path)
    try:
        import_apkg(collection, out_dir / "test-deck.apkg")
        bump_version(valid_cards, "1.1.0")
        code, out, err = run("build", str(valid_cards), "-o", str(out_dir), "--approved-only")
        assert (code, err) == (0, "")
        import_apkg(collection, out_dir / "test-deck.apkg")
        notes = notes_by_guid(collection)
        assert collection.card_count() == 9  # Anki never deletes: learners keep their cards and history
        retired = {card_id for card_id in DRAFTS if "retired" in notes[note_guid("test-deck", card_id)].tags}
        assert retired == set(DRAFTS)
        assert "retired" not in notes[note_guid("test-deck", APPROVED)].tags
    finally:
        collection.close()
    assert "### Retired" in (out_dir / "CHANGELOG.md").read_text(encoding="utf-8")


def test_nothing_approved_builds_nothing(valid_cards: Path, tmp_path: Path) -> None:
    topic = valid_cards / "02-principles.yaml"
    topic.write_text(
        topic.read_text(encoding="utf-8").replace("status: approved", "status: draft"), encoding="utf-8"
    )
    out_dir = tmp_path / "out"
    code, out, err = run("build", str(valid_cards), "-o", str(out_dir), "--approved-only")
    assert (code, out) == (1, "")
    assert err == (
        f"{valid_cards / 'deck.yaml'}:1:1: no card is approved yet, so --approved-only would ship "
        "nothing (and retire every card learners have); approve cards first\nfailed: 1 problem\n"
    )
    assert not out_dir.exists()
