"""The shipped deck imported over the last shipped release, as a learner who studied it would: progress kept."""

from __future__ import annotations

import json
from pathlib import Path

from exporter.rendering.notes import note_guid
from tests.anki_engine import fresh_collection, import_apkg, notes_by_guid
from tests.support import schedule

ROOT = Path(__file__).parent.parent
#: dist/mission-partners.apkg of release 1.2.0, as it was shipped (git show bd0a062:dist/mission-partners.apkg)
RELEASE_1_2_0 = Path(__file__).parent / "data" / "release-1.2.0" / "mission-partners.apkg"
DECK = "UN Peacekeeping: Working with Mission Partners"
LIVE_NOTES, RETIRED_NOTES = 238, 26


def guid(card_id: str) -> str:
    return note_guid("mission-partners", card_id)


def study(col, answers: int) -> None:  # type: ignore[no-untyped-def]
    """Answer the first `answers` cards the scheduler shows, 'Good' each time."""
    config = col.decks.config_dict_for_deck_id(col.decks.id_for_name(DECK))
    config["new"]["perDay"] = 9999
    col.decks.update_config(config)
    col.decks.select(col.decks.id_for_name(DECK))
    for _ in range(answers):
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, 3)


def test_release_1_3_0_over_1_2_0_keeps_history(tmp_path: Path) -> None:
    col = fresh_collection(tmp_path)
    import_apkg(col, RELEASE_1_2_0)
    assert (col.note_count(), col.card_count()) == (LIVE_NOTES + RETIRED_NOTES, 353)
    study(col, 150)
    reviews = col.db.scalar("select count() from revlog")
    assert reviews == 150
    before = schedule(col)

    log = import_apkg(col, ROOT / "dist" / "mission-partners.apkg", with_deck_configs=True)

    release = json.loads((ROOT / "dist" / "ledger.json").read_text(encoding="utf-8"))["releases"][-1]
    assert release["version"] == "1.3.0"
    changes = release["changes"]
    assert (len(changes["added"]), len(changes["changed"]), len(changes["retired"])) == (0, LIVE_NOTES, 0)
    assert {change[0] for fields in changes["changed"].values() for change in fields} == {"tags"}, (
        "1.3.0 only tags every note with its learning outcomes"
    )
    by_id = {note.id: note.guid for note in notes_by_guid(col).values()}
    assert {by_id[entry.id.nid] for entry in log.updated} == {guid(card) for card in changes["changed"]}
    assert not log.new and not log.conflicting
    assert len(log.duplicate) == RETIRED_NOTES, "the retired notes are left as they are"
    assert (col.note_count(), col.card_count()) == (LIVE_NOTES + RETIRED_NOTES, 353)

    assert col.db.scalar("select count() from revlog") == reviews, "no review is lost"
    assert schedule(col) == before, "every studied card keeps its schedule"

    assert len(col.find_notes("tag:outcome::*")) == LIVE_NOTES
    assert notes_by_guid(col)[guid("acr-unct")].tags == ["acronym", "outcome::LO1", "un-system", "unct"]
    assert col.find_notes("tag:new::1.3.0 or tag:changed::1.3.0") == [], "no card's text changed in 1.3.0"
    added_in_1_2_0 = json.loads((ROOT / "dist" / "ledger.json").read_text())["releases"][-2]["changes"]["added"]
    assert {col.get_note(nid).guid for nid in col.find_notes("tag:new::1.2.0")} == set(
        map(guid, added_in_1_2_0)
    ), "a note's tag names the last release that added it or changed its text"
    description = col.decks.by_name(DECK)["desc"]
    assert description.endswith("<b>What's new in 1.3.0</b><br>Cards: 238 with new tags only")

    for name in [DECK] + [
        deck.name for deck in col.decks.all_names_and_ids() if deck.name.startswith(DECK + "::")
    ]:
        config = col.decks.config_dict_for_deck_id(col.decks.id_for_name(name))
        assert (config["name"], config["new"]["perDay"], config["rev"]["perDay"], config["rev"]["maxIvl"]) == (
            f"{DECK} options v1",
            15,
            150,
            365,
        ), name
