"""The built .apkg, imported by Anki's own engine: what a learner gets."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from exporter.rendering.notes import note_guid
from tests.anki_engine import card_html, deck_of, fresh_collection, import_apkg, notes_by_guid, visible_text


@pytest.fixture
def collection(tmp_path: Path, built_valid: Path):  # type: ignore[no-untyped-def]
    col = fresh_collection(tmp_path)
    log = import_apkg(col, built_valid / "test-deck.apkg")
    assert (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)) == (5, 0, 0, 0)
    yield col
    col.close()


def test_cards_land_in_their_subdecks(collection) -> None:  # type: ignore[no-untyped-def]
    per_deck = Counter(deck_of(collection, collection.get_card(cid)) for cid in collection.find_cards(""))
    assert per_deck == {"Test Deck::Acronyms": 4, "Test Deck::Humanitarian principles": 5}
    assert collection.note_count() == 5


def test_guids_come_from_deck_and_card_ids(collection) -> None:  # type: ignore[no-untyped-def]
    notes = notes_by_guid(collection)
    expected = {
        note_guid("test-deck", card_id): card_id
        for card_id in ("unct", "ocha", "principles-cloze", "peacekeepers-deliver-aid", "version-number")
    }
    assert set(notes) == set(expected)
    assert notes[note_guid("test-deck", "unct")].tags == ["acronym", "outcome::LO1", "un-system"]
    assert notes[note_guid("test-deck", "principles-cloze")].tags == ["humanitarian", "outcome::LO2"]


def test_note_types_are_ours(collection) -> None:  # type: ignore[no-untyped-def]
    names = {collection.get_note(nid).note_type()["name"] for nid in collection.find_notes("")}
    assert names == {"Peacekeeping Acronym", "Peacekeeping Question", "Peacekeeping Cloze"}
    acronym = collection.models.by_name("Peacekeeping Acronym")
    assert [(f["name"], f["id"]) for f in acronym["flds"]] == [
        ("Term", 7001),
        ("Expansion", 7002),
        ("Explanation", 7003),
        ("Source", 7004),
    ]
    assert [t["id"] for t in acronym["tmpls"]] == [7101, 7102]


def _cards_of(collection, card_id: str):  # type: ignore[no-untyped-def]
    note = notes_by_guid(collection)[note_guid("test-deck", card_id)]
    return sorted(note.cards(), key=lambda card: card.ord)


def test_acronym_both_directions(collection) -> None:  # type: ignore[no-untyped-def]
    forward, backward = _cards_of(collection, "unct")
    assert card_html(forward.question()) == (
        '<div class="kind">What does it stand for?</div><div class="term">UNCT</div>'
    )
    assert card_html(forward.answer()) == (
        '<div class="kind">What does it stand for?</div><div class="term">UNCT</div><hr id="answer">'
        '<div class="answer">United Nations Country Team</div>'
        '<div class="extra">Every UN agency, fund and programme working in the host country.</div>'
        '<div class="source">Slide 6 · Benefits of cooperation with the UN Country Team</div>'
    )
    assert card_html(backward.question()) == (
        '<div class="kind">Which acronym?</div><div class="prompt">United Nations Country Team</div>'
    )
    assert '<div class="term">UNCT</div>' in card_html(backward.answer())


def test_each_cloze_deletion_is_a_card(collection) -> None:  # type: ignore[no-untyped-def]
    cards = _cards_of(collection, "principles-cloze")
    assert [card.ord for card in cards] == [0, 1, 2]
    hidden = ["humanity", "neutrality", "impartiality"]
    for card, word in zip(cards, hidden, strict=True):
        question = card_html(card.question())
        assert word not in visible_text(card.question())
        assert question.count('class="cloze"') == 1
        assert "[...]" in visible_text(card.question())
        answer = card_html(card.answer())
        assert f'<span class="cloze" data-ordinal="{card.ord + 1}">{word}</span>' in answer
        assert "Médecins Sans Frontières" in answer


def test_yaml_booleans_and_numbers_stay_text(collection) -> None:  # type: ignore[no-untyped-def]
    (no_card,) = _cards_of(collection, "peacekeepers-deliver-aid")
    assert '<div class="answer">no</div>' in card_html(no_card.answer())
    (version_card,) = _cards_of(collection, "version-number")
    assert '<div class="answer">1.10</div>' in card_html(version_card.answer())


def test_deck_description_shows_version(collection) -> None:  # type: ignore[no-untyped-def]
    deck = collection.decks.by_name("Test Deck")
    assert "Version 1.0.0" in deck["desc"]
