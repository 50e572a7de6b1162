"""What learners see of a release: `new::`/`changed::` tags on exactly the notes it added or corrected, every note's
learning outcomes as `outcome::` tags, and "What's new" in the deck description; proven in the real engine."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from exporter.rendering.notes import note_guid
from tests.anki_engine import fresh_collection, import_apkg, notes_by_guid
from tests.support import BUILD_TIME, edit, first_release_in_anki, release, schedule, study_everything

DAY = 86_400
RELEASE_TAGS = ("new::", "changed::")


def guid(card_id: str) -> str:
    return note_guid("test-deck", card_id)


def release_tagged(col) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The release tags of each note that has any, by GUID."""
    found = {}
    for note in notes_by_guid(col).values():
        tags = [tag for tag in note.tags if tag.startswith(RELEASE_TAGS)]
        if tags:
            found[note.guid] = tags
    return found


def note_rows(package: Path, tmp_path: Path) -> dict[str, tuple[object, ...]]:
    """Each note's row in a package's collection, by GUID."""
    folder = tmp_path / package.stem
    with zipfile.ZipFile(package) as archive:
        archive.extract("collection.anki2", folder)
    with sqlite3.connect(folder / "collection.anki2") as database:
        return {row[1]: row for row in database.execute("SELECT * FROM notes")}


def correct_three_and_add_one(cards: Path) -> None:
    acronyms, principles = cards / "01-acronyms.yaml", cards / "02-principles.yaml"
    edit(acronyms, "Every UN agency, fund and programme", "All UN agencies, funds and programmes")
    edit(principles, "apply them too.", "apply them as well.")
    edit(principles, "Which release of the guidance is quoted?", "Which edition of the guidance is quoted?")
    acronyms.write_text(
        acronyms.read_text()
        + "  - id: qip\n    kind: acronym\n    term: QIP\n    expansion: Quick Impact Project\n"
        "    source: {slide: 15}\n    outcomes: [LO1]\n"
    )


def test_a_release_tags_exactly_the_notes_it_adds_or_corrects(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    col = first_release_in_anki(tmp_path, valid_cards, out, monkeypatch)
    assert release_tagged(col) == {}, "the first release is new to everyone: it tags nothing"
    assert study_everything(col) >= 9
    reviews, before = col.db.scalar("select count() from revlog"), schedule(col)
    mine = notes_by_guid(col)[guid("ocha")]
    mine.tags.append("my-weak-spot")
    col.update_note(mine)

    correct_three_and_add_one(valid_cards)
    log = import_apkg(col, release(valid_cards, out, "1.1.0", BUILD_TIME + DAY, monkeypatch))

    assert len(log.updated) == 3 and len(log.new) == 1
    assert release_tagged(col) == {
        guid("unct"): ["changed::1.1.0"],
        guid("principles-cloze"): ["changed::1.1.0"],
        guid("version-number"): ["changed::1.1.0"],
        guid("qip"): ["new::1.1.0"],
    }
    assert col.db.scalar("select count() from revlog") == reviews
    after = schedule(col)
    assert {cid: after[cid] for cid in before} == before, "every card keeps its schedule"
    assert notes_by_guid(col)[guid("ocha")].tags == ["acronym", "my-weak-spot", "outcome::LO2"]
    assert col.find_notes("tag:outcome::LO2") and len(col.find_notes("tag:outcome::LO1")) == 3
    assert len(col.find_cards("tag:changed::1.1.0 or tag:new::1.1.0")) == 3 + 2 + 1 + 2


def test_a_tag_stays_until_the_note_changes_again(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    col = first_release_in_anki(tmp_path, valid_cards, out, monkeypatch)
    correct_three_and_add_one(valid_cards)
    second = tmp_path / "1.1.0.apkg"
    release(valid_cards, out, "1.1.0", BUILD_TIME + DAY, monkeypatch).rename(second)
    import_apkg(col, second)
    mine = notes_by_guid(col)[guid("unct")]
    mine.tags.append("mine")
    col.update_note(mine)

    edit(valid_cards / "01-acronyms.yaml", "Coordination of Humanitarian", "Co-ordination of Humanitarian")
    third = release(valid_cards, out, "1.2.0", BUILD_TIME + 2 * DAY, monkeypatch)
    log = import_apkg(col, third)

    old_rows, new_rows = note_rows(second, tmp_path), note_rows(third, tmp_path)
    unchanged = set(old_rows) - {guid("ocha")}
    assert {key: new_rows[key] for key in unchanged} == {key: old_rows[key] for key in unchanged}, (
        "an unchanged note ships byte for byte as before, so Anki skips it"
    )
    assert [entry.id.nid for entry in log.updated] == [notes_by_guid(col)[guid("ocha")].id]
    assert release_tagged(col)[guid("ocha")] == ["changed::1.2.0"]
    assert release_tagged(col)[guid("unct")] == ["changed::1.1.0"]
    assert "mine" in notes_by_guid(col)[guid("unct")].tags


def test_the_deck_description_says_whats_new(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    release(valid_cards, out, "1.0.0", BUILD_TIME, monkeypatch)
    correct_three_and_add_one(valid_cards)
    col = fresh_collection(tmp_path)
    import_apkg(col, release(valid_cards, out, "1.1.0", BUILD_TIME + DAY, monkeypatch))

    description = col.decks.by_name("Test Deck")["desc"]
    whats_new = description.split("<br><br>")[-1].split("<br>")
    assert whats_new == [
        "<b>What's new in 1.1.0</b>",
        "New: QIP",
        "Changed: UNCT",
        "Changed: The three humanitarian principles: […], […] and […].",
        "Cards: 1 new (tag:new::1.1.0), 3 changed (tag:changed::1.1.0)",
    ]
