"""Language editions: a French edition built beside the English one, both in one collection of the real Anki
engine, and the life of a translation (English edited → fuzzy → warned → fixed)."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from exporter.reading import translations as translations_file
from tests.anki_engine import fresh_collection, import_apkg
from tests.support import (
    DECK,
    GOOD_CARD,
    big_topic_file,
    bump_version,
    card_set,
    edit,
    outputs,
    run,
    snapshot,
    topic,
)

BASIC_CARD = """\
  - id: unct-role
    kind: basic
    question: Who leads the UN Country Team?
    answer: The Resident Coordinator
    source: {slide: 7, section: Partners}
    outcomes: [LO1]
"""
CLOZE_CARD = """\
  - id: partners
    kind: cloze
    text: The mission works with {{c1::the UN Country Team}} and {{c2::national actors}}.
    source: {slide: 8}
    outcomes: [LO1]
"""


FRENCH_DECK = DECK + "languages: [fr]\n"
PARTNERS = {"01-partners.yaml": topic(GOOD_CARD, BASIC_CARD, CLOZE_CARD)}


def translate_all(po_path: Path) -> None:
    """A translator's pass: every entry translated (the cloze deletions kept), none fuzzy."""
    catalog = polib.pofile(str(po_path), wrapwidth=0)
    for entry in catalog:
        entry.msgstr = "FR " + entry.msgid
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = None
    catalog.save()


def translated_set(tmp_path: Path) -> Path:
    cards = card_set(tmp_path, PARTNERS, deck=FRENCH_DECK)
    assert run("translations", "update", str(cards))[0] == 0
    translate_all(cards / "translations" / "fr.po")
    return cards


def fr_warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "fr.po" in line]


def test_update_makes_one_empty_entry_per_text(tmp_path: Path) -> None:
    cards = card_set(tmp_path, PARTNERS, deck=FRENCH_DECK)
    code, stdout, _ = run("translations", "update", str(cards))
    assert code == 0
    assert stdout == f"updated {cards / 'translations' / 'fr.po'}: 11 new, 0 now fuzzy, 0 obsolete\n"
    catalog = polib.pofile(str(cards / "translations" / "fr.po"))
    assert [entry.msgctxt for entry in catalog] == [
        "deck.title",
        "outcome.LO1",
        "label.what_it_stands_for",
        "label.which_acronym",
        "label.slide",
        "subdeck.Acronyms",
        "unct.term",
        "unct.expansion",
        "unct-role.question",
        "unct-role.answer",
        "partners.text",
    ]
    assert all(entry.msgstr == "" for entry in catalog)


def test_french_edition_sits_beside_the_english_one(tmp_path: Path) -> None:
    cards = translated_set(tmp_path)
    out = tmp_path / "dist"
    code, stdout, stderr = run("build", str(cards), "-o", str(out))
    assert code == 0, stderr
    assert fr_warnings(stderr) == []
    assert stdout.splitlines()[:2] == [
        "built Test Deck 1.0.0: 3 notes, 5 cards",
        "and its French edition, FR Test Deck: 3 notes, 5 cards",
    ]
    assert sorted(outputs(out)) == [
        "CHANGELOG.fr.md",
        "CHANGELOG.md",
        "ledger.fr.json",
        "ledger.json",
        "test-deck.anki.csv",
        "test-deck.apkg",
        "test-deck.fr.anki.csv",
        "test-deck.fr.apkg",
        "test-deck.fr.install.html",
        "test-deck.fr.spreadsheet.csv",
        "test-deck.install.html",
        "test-deck.spreadsheet.csv",
    ]
    english = fresh_collection(tmp_path, "english.anki2")
    import_apkg(english, out / "test-deck.apkg")
    french = fresh_collection(tmp_path, "french.anki2")
    import_apkg(french, out / "test-deck.fr.apkg")
    assert (french.note_count(), french.card_count()) == (english.note_count(), english.card_count()) == (3, 5)

    both = fresh_collection(tmp_path, "both.anki2")
    import_apkg(both, out / "test-deck.apkg")
    log = import_apkg(both, out / "test-deck.fr.apkg")
    assert len(log.new) == 3 and not log.duplicate and not log.conflicting
    assert (both.note_count(), both.card_count()) == (6, 10)
    assert len({both.get_note(nid).guid for nid in both.find_notes("")}) == 6
    assert sorted(name for name in both.decks.all_names() if name != "Default") == [
        "FR Test Deck",
        "FR Test Deck::FR Acronyms",
        "Test Deck",
        "Test Deck::Acronyms",
    ]
    note_types = {model["name"]: model["id"] for model in both.models.all()}
    for name in ("Peacekeeping Acronym", "Peacekeeping Question", "Peacekeeping Cloze"):
        assert note_types[name] != note_types[f"{name} (fr)"]

    card = both.get_card(both.find_cards('"deck:FR Test Deck" card:1 "note:Peacekeeping Acronym (fr)"')[0])
    question = card.question()
    assert '<div class="edition" lang="fr" dir="ltr">' in question
    assert "FR What does it stand for?" in question and "FR UNCT" in question
    assert "FR Slide 6" in card.answer()


def test_an_english_edit_turns_exactly_its_entry_fuzzy_until_fixed(tmp_path: Path) -> None:
    cards = translated_set(tmp_path)
    out = tmp_path / "dist"
    assert run("build", str(cards), "-o", str(out))[0] == 0
    edit(cards / "01-partners.yaml", "answer: The Resident Coordinator", "answer: The UN Resident Coordinator")
    bump_version(cards, "1.0.1")
    po_path = cards / "translations" / "fr.po"

    code, _, stderr = run("build", str(cards), "-o", str(out))
    line = next(entry.linenum for entry in polib.pofile(str(po_path)) if entry.msgctxt == "unct-role.answer")
    stale = (
        f"{po_path}:{line}:1: warning: the English of 'unct-role.answer' changed since it was translated, so the "
        "English is used; run 'flashcards translations update', then check the translation"
    )
    assert fr_warnings(stderr) == [stale]

    code, stdout, _ = run("translations", "update", str(cards))
    assert stdout == f"updated {po_path}: 0 new, 1 now fuzzy, 0 obsolete\n"
    catalog = polib.pofile(str(po_path))
    assert [(entry.msgctxt, entry.previous_msgid) for entry in catalog.fuzzy_entries()] == [
        ("unct-role.answer", "The Resident Coordinator")
    ]
    code, _, stderr = run("build", str(cards), "-o", str(out))
    assert fr_warnings(stderr) == [
        f"{po_path}:{line}:1: warning: the French translation of 'unct-role.answer' is fuzzy (its English "
        "changed), so the English is used; check the translation against the new English, then remove the "
        "fuzzy flag"
    ]

    translate_all(po_path)
    bump_version(cards, "1.0.2")  # the French edition's card changes: a release of its own
    code, _, stderr = run("build", str(cards), "-o", str(out))
    assert code == 0 and fr_warnings(stderr) == []
    assert polib.pofile(str(po_path)).fuzzy_entries() == []


def test_an_update_of_the_french_edition_keeps_review_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = translated_set(tmp_path)
    out = tmp_path / "dist"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    assert run("build", str(cards), "-o", str(out))[0] == 0
    col = fresh_collection(tmp_path)
    import_apkg(col, out / "test-deck.fr.apkg")
    for deck in col.decks.all_names_and_ids():
        config = col.decks.config_dict_for_deck_id(deck.id)
        config["new"]["perDay"] = 9999
        col.decks.update_config(config)
    col.decks.select(col.decks.id_for_name("FR Test Deck"))
    for _ in range(5):
        col.sched.answerCard(col.sched.getCard(), 3)
    before = {cid: (col.get_card(cid).ivl, col.get_card(cid).reps) for cid in col.find_cards("")}

    po_path = cards / "translations" / "fr.po"
    edit(po_path, 'msgstr "FR The Resident Coordinator"', 'msgstr "Le coordonnateur résident"')
    bump_version(cards, "1.1.0")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764100000")
    assert run("build", str(cards), "-o", str(out))[0] == 0
    log = import_apkg(col, out / "test-deck.fr.apkg")

    assert len(log.updated) == 1 and not log.new
    assert col.db.scalar("select count() from revlog") == 5
    assert {cid: (col.get_card(cid).ivl, col.get_card(cid).reps) for cid in col.find_cards("")} == before
    assert "Le coordonnateur résident" in " ".join(
        col.get_note(nid)["Answer"] for nid in col.find_notes('"note:Peacekeeping Question (fr)"')
    )
    assert "Le coordonnateur résident" in (out / "CHANGELOG.fr.md").read_text(encoding="utf-8")


def test_strict_makes_a_missing_translation_an_error_and_writes_nothing(tmp_path: Path) -> None:
    cards = translated_set(tmp_path)
    po_path = cards / "translations" / "fr.po"
    edit(po_path, 'msgstr "FR Who leads the UN Country Team?"', 'msgstr ""')
    out = tmp_path / "dist"
    code, _, stderr = run("build", str(cards), "-o", str(out), "--strict")
    line = next(entry.linenum for entry in polib.pofile(str(po_path)) if entry.msgctxt == "unct-role.question")
    assert code == 1
    assert (
        f"{po_path}:{line}:1: 'unct-role.question' is not translated into French yet, so the English is used"
        in stderr
    )
    assert not out.exists()
    code, _, stderr = run("build", str(cards), "-o", str(out))
    assert code == 0 and len(fr_warnings(stderr)) == 1


def test_a_required_coverage_fails_a_build_below_it(tmp_path: Path) -> None:
    cards = card_set(tmp_path, PARTNERS, deck=FRENCH_DECK)
    edit(cards / "deck.yaml", "languages: [fr]", "languages: [fr]\ntranslation_coverage: 50")
    assert run("translations", "update", str(cards))[0] == 0
    code, _, stderr = run("build", str(cards), "-o", str(tmp_path / "dist"))
    assert code == 1
    assert (
        f"{cards / 'deck.yaml'}:7:1: the French edition has 0% of its 10 texts translated, below the 50% deck.yaml "
        f"requires; translate the entries the warnings name in {cards / 'translations' / 'fr.po'}"
    ) in stderr
    assert not (tmp_path / "dist").exists()


def test_review_lang_shows_each_text_beside_its_translation(tmp_path: Path) -> None:
    cards = translated_set(tmp_path)
    po_path = cards / "translations" / "fr.po"
    catalog = polib.pofile(str(po_path), wrapwidth=0)
    for entry in catalog:
        if entry.msgctxt == "unct.expansion":
            entry.tcomment = "awaiting review"
        if entry.msgctxt == "unct-role.question":
            entry.msgstr = ""
    catalog.save()
    edit(cards / "01-partners.yaml", "answer: The Resident Coordinator", "answer: The UN Resident Coordinator")
    assert run("translations", "update", str(cards))[0] == 0

    code, stdout, _ = run("review", str(cards), "--lang", "fr", "-o", str(tmp_path / "out" / "review.fr.html"))
    assert (code, stdout) == (
        0,
        f"wrote {tmp_path / 'out' / 'review.fr.html'}: 11 texts, 1 stale, 1 missing, 1 awaiting review\n",
    )
    page = (tmp_path / "out" / "review.fr.html").read_text(encoding="utf-8")
    assert '<tr class="fuzzy" id="unct-role.answer">' in page
    assert "translated from: The Resident Coordinator" in page
    assert '<tr class="missing" id="unct-role.question">' in page
    assert '<tr class="awaiting-review" id="unct.expansion">' in page
    assert '<td lang="fr" dir="ltr">FR UNCT</td>' in page

    code, stdout, _ = run("stats", str(cards), "--format", "json")
    assert json.loads(stdout)["translations"] == [
        {"language": "fr", "texts": 11, "translated": 9, "stale": 1, "missing": 1}
    ]


def test_discarding_a_tryout_removes_every_edition(tmp_path: Path) -> None:
    cards = translated_set(tmp_path)
    bump_version(cards, "0.1.0")
    out = tmp_path / "dist"
    assert run("build", str(cards), "-o", str(out))[0] == 0
    code, stdout, _ = run("discard-tryout", str(cards), "-o", str(out))
    assert code == 0
    assert stdout.splitlines()[-2:] == [f"  {out / 'ledger.json'}", f"  {out / 'ledger.fr.json'}"]
    assert not out.exists()


def test_an_edition_of_a_big_file_read_in_pieces_by_a_helper_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helpers: list[object]
) -> None:
    from exporter.pipeline import parallel
    from exporter.reading import pieces

    cards = big_topic_file(tmp_path / "cards", 60, comment=False)
    edit(cards / "deck.yaml", "outcomes:", "languages: [fr]\noutcomes:")
    assert run("translations", "update", str(cards))[0] == 0
    translate_all(cards / "translations" / "fr.po")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    assert run("build", str(cards), "-o", str(tmp_path / "whole"), "--no-cache")[0] == 0
    monkeypatch.setattr(pieces, "PIECE_CHARACTERS", 300)
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    code, _, stderr = run("build", str(cards), "-o", str(tmp_path / "pieces"), "--no-cache")
    assert code == 0 and fr_warnings(stderr) == []
    assert len(helpers) == 2  # one per edition
    assert outputs(tmp_path / "pieces") == outputs(tmp_path / "whole")


@pytest.mark.parametrize(
    "name", ["ledger.fr.json", "test-deck.fr.apkg", "CHANGELOG.fr.md", "test-deck.fr.install.html"]
)
def test_review_lang_never_replaces_a_release_file(tmp_path: Path, name: str) -> None:
    cards = translated_set(tmp_path)
    out = tmp_path / "dist"
    assert run("build", str(cards), "-o", str(out))[0] == 0
    before = outputs(out)
    code, _, stderr = run("review", str(cards), "--lang", "fr", "-o", str(out / name))
    assert code == 1
    assert stderr.splitlines()[0] == (
        f"{out / name}: a release file has this name, and the review page would replace it; give -o another "
        f"file, for example {out / 'review.html'}"
    )
    assert outputs(out) == before


@pytest.mark.parametrize("option", ["--sheet", "--apply"])
def test_review_lang_takes_no_review_sheet(tmp_path: Path, option: str) -> None:
    cards = translated_set(tmp_path)
    before = snapshot(tmp_path)
    code, _, stderr = run("review", str(cards), "--lang", "fr", option, str(tmp_path / "review.xlsx"))
    assert code == 2
    assert stderr.splitlines()[-1] == (
        "Error: --lang writes the translation review page; it takes no --sheet or --apply"
    )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", [["build", "-o", "dist"], ["validate"]])
def test_a_second_run_reads_no_card_or_translation_file_again(
    tmp_path: Path, command: list[str], counted_reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deck file, each edition's chunks and the translation file come from the cache: no edition's stream
    prunes the entries the next one needs."""
    cards = translated_set(tmp_path)
    parsed: list[str] = []
    real_catalog_of = translations_file.catalog_of

    def counted_catalog_of(data: bytes, shown: str) -> object:
        parsed.append(Path(shown).name)
        return real_catalog_of(data, shown)

    monkeypatch.setattr(translations_file, "catalog_of", counted_catalog_of)
    arguments = [
        command[0],
        str(cards),
        *[str(tmp_path / part) if part == "dist" else part for part in command[1:]],
    ]
    assert run(*arguments)[0] == 0
    assert (sorted(set(counted_reads)), parsed) == (["01-partners.yaml", "deck.yaml"], ["fr.po"])
    counted_reads.clear()
    parsed.clear()
    assert run(*arguments)[0] == 0
    assert (counted_reads, parsed) == ([], [])
