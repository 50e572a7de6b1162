"""The shipped deck's French edition: beside the English one in one collection, every entry translated and
awaiting a reviewer, an English edit caught, and an update that keeps a learner's history."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from tests.anki_engine import fresh_collection, import_apkg
from tests.support import bump_version, copy_card_set, edit, run

ROOT = Path(__file__).parent.parent
DIST = ROOT / "dist"
PO = ROOT / "cards" / "translations" / "fr.po"


def test_the_french_edition_sits_beside_the_english_one(tmp_path: Path) -> None:
    english = fresh_collection(tmp_path, "english.anki2")
    import_apkg(english, DIST / "mission-partners.apkg")
    both = fresh_collection(tmp_path, "both.anki2")
    import_apkg(both, DIST / "mission-partners.apkg")
    log = import_apkg(both, DIST / "mission-partners.fr.apkg")
    french = fresh_collection(tmp_path, "french.anki2")
    import_apkg(french, DIST / "mission-partners.fr.apkg")
    # the English package also carries the notes retired since earlier releases (tagged, with no cards left)
    live = (len(english.find_notes("-tag:retired")), english.card_count())
    assert live == (french.note_count(), french.card_count()) == (238, 353)
    assert len(log.new) == 238 and not log.duplicate and not log.conflicting
    assert (both.note_count(), both.card_count()) == (english.note_count() + 238, 2 * 353)
    top_decks = sorted(name for name in both.decks.all_names() if "::" not in name and name != "Default")
    assert top_decks == [
        "Maintien de la paix des Nations Unies : travailler avec les partenaires de la mission",
        "UN Peacekeeping: Working with Mission Partners",
    ]
    assert len({model["id"] for model in both.models.all()}) == len(both.models.all())
    assert {model["name"] for model in both.models.all()} >= {
        "Peacekeeping Acronym (fr)",
        "Peacekeeping Question (fr)",
        "Peacekeeping Cloze (fr)",
    }


def test_every_french_entry_is_translated_and_awaits_a_reviewer() -> None:
    catalog = polib.pofile(str(PO))
    assert len(catalog) == 550
    assert [entry.msgctxt for entry in catalog if not entry.msgstr or entry.fuzzy] == []
    assert all(entry.tcomment == "awaiting review" for entry in catalog)


def test_an_english_edit_of_the_shipped_deck_turns_exactly_its_french_entry_fuzzy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards, out = tmp_path / "cards", tmp_path / "dist"
    copy_card_set(ROOT / "cards", cards)
    shutil.copytree(DIST, out)
    edit(
        cards / "08-acronyms.yaml",
        "expansion: United Nations Country Team",
        "expansion: The United Nations Country Team",
    )
    code, stdout, _ = run("translations", "update", str(cards))
    po_path = cards / "translations" / "fr.po"
    assert stdout == f"updated {po_path}: 0 new, 1 now fuzzy, 0 obsolete\n"
    fuzzy = polib.pofile(str(po_path)).fuzzy_entries()
    assert [(entry.msgctxt, entry.previous_msgid) for entry in fuzzy] == [
        ("acr-unct.expansion", "United Nations Country Team")
    ]

    bump_version(cards, "1.3.1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796200000")
    code, _, stderr = run("build", str(cards), "-o", str(out))
    assert code == 0
    assert [line for line in stderr.splitlines() if "fr.po" in line] == [
        f"{po_path}:{fuzzy[0].linenum}:1: warning: the French translation of 'acr-unct.expansion' is fuzzy (its "
        "English changed), so the English is used; check the translation against the new English, then remove "
        "the fuzzy flag"
    ]

    col = fresh_collection(tmp_path)
    import_apkg(col, out / "mission-partners.fr.apkg")
    for deck in col.decks.all_names_and_ids():
        config = col.decks.config_dict_for_deck_id(deck.id)
        config["new"]["perDay"] = 9999
        col.decks.update_config(config)
    col.decks.select(col.decks.id_for_name(col.decks.all_names_and_ids()[-1].name.split("::")[0]))
    for _ in range(40):
        col.sched.answerCard(col.sched.getCard(), 3)
    before = {cid: (col.get_card(cid).ivl, col.get_card(cid).reps) for cid in col.find_cards("")}

    catalog = polib.pofile(str(po_path), wrapwidth=0)
    (entry,) = catalog.fuzzy_entries()
    entry.msgstr = "L'équipe de pays des Nations Unies"
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    catalog.save()
    bump_version(cards, "1.3.2")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796300000")
    code, _, stderr = run("build", str(cards), "-o", str(out))
    assert code == 0 and "fr.po" not in stderr

    log = import_apkg(col, out / "mission-partners.fr.apkg")
    assert len(log.updated) == 1 and not log.new
    assert col.db.scalar("select count() from revlog") == 40
    assert {cid: (col.get_card(cid).ivl, col.get_card(cid).reps) for cid in col.find_cards("")} == before
