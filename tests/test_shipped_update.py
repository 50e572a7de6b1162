"""The shipped deck imported over the last shipped release, as a learner who studied it would: progress kept."""

from __future__ import annotations

import json
from pathlib import Path

from exporter.rendering.notes import note_guid
from tests.anki_engine import fresh_collection, import_apkg, notes_by_guid

ROOT = Path(__file__).parent.parent
#: dist/mission-partners.apkg of release 1.1.0, as it was shipped (git show e542d2e:dist/mission-partners.apkg)
RELEASE_1_1_0 = Path(__file__).parent / "data" / "release-1.1.0" / "mission-partners.apkg"
DECK = "UN Peacekeeping: Working with Mission Partners"


def guid(card_id: str) -> str:
    return note_guid("mission-partners", card_id)


def study(col, answers: int) -> None:  # type: ignore[no-untyped-def]
    """Answer the first `answers` cards the scheduler shows, 'Good' each time."""
    for deck in col.decks.all_names_and_ids():
        config = col.decks.config_dict_for_deck_id(deck.id)
        config["new"]["perDay"] = 9999
        col.decks.update_config(config)
    col.decks.select(col.decks.id_for_name(DECK))
    for _ in range(answers):
        card = col.sched.getCard()
        assert card is not None
        col.sched.answerCard(card, 3)


def test_release_1_2_0_over_1_1_0_keeps_history(tmp_path: Path) -> None:
    col = fresh_collection(tmp_path)
    import_apkg(col, RELEASE_1_1_0)
    assert (col.note_count(), col.card_count()) == (232, 353)
    study(col, 150)
    reviews = col.db.scalar("select count() from revlog")
    assert reviews == 150
    before = {
        cid: (card.type, card.queue, card.due, card.ivl, card.reps)
        for cid in col.find_cards("")
        for card in [col.get_card(cid)]
    }

    log = import_apkg(col, ROOT / "dist" / "mission-partners.apkg")

    release = json.loads((ROOT / "dist" / "ledger.json").read_text(encoding="utf-8"))["releases"][-1]
    assert release["version"] == "1.2.0"
    changes = release["changes"]
    by_id = {note.id: note.guid for note in notes_by_guid(col).values()}
    assert {by_id[entry.id.nid] for entry in log.new} == {guid(card) for card in changes["added"]}
    assert {by_id[entry.id.nid] for entry in log.updated} == {guid(card) for card in changes["changed"]} | {
        guid(card) for card in changes["retired"]
    }
    assert len(log.duplicate) == 232 - 61 - 26, "the unchanged notes are left as they are"
    assert not log.conflicting
    assert (len(changes["added"]), len(changes["changed"]), len(changes["retired"])) == (32, 61, 26)
    assert (col.note_count(), col.card_count()) == (232 + 32, 353 + 45), "retired notes stay; new ones are added"

    assert col.db.scalar("select count() from revlog") == reviews, "no review is lost"
    after = {
        cid: (card.type, card.queue, card.due, card.ivl, card.reps)
        for cid in col.find_cards("")
        for card in [col.get_card(cid)]
    }
    assert {cid: after[cid] for cid in before} == before, "every studied card keeps its schedule"

    notes = notes_by_guid(col)
    assert notes[guid("acr-rc")]["Explanation"] == (
        "Leads the UN Country Team. When a major emergency begins, the Humanitarian Coordinator appointed is "
        "usually the RC."
    )
    assert notes[guid("humanity-meaning")]["Source"] == "Slide 12 · What Are Humanitarian Activities?"
    assert notes[guid("acr-unmis")]["Expansion"] == "United Nations Mission in the Sudan"
    retired = {col.get_note(nid).guid for nid in col.find_notes("tag:retired")}
    assert retired == {guid(card) for card in changes["retired"]}
    assert guid("neutrality-political-views") in retired and guid("budget-cycles") in retired
