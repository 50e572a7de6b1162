"""The benchmark's grown set (the shipped cards copied to 1,000) builds into a package that Anki's own engine
imports whole: every note, every card, in the shipped subdecks."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmarks.grown import shipped_topics, write_grown_set
from exporter.pipeline.build import build
from tests.anki_engine import deck_of, fresh_collection, import_apkg

NOTE_TYPES = {"acronym": "Peacekeeping Acronym", "basic": "Peacekeeping Question", "cloze": "Peacekeeping Cloze"}


def _cards_of(card: dict) -> int:  # type: ignore[type-arg]
    """How many cards Anki makes of one note: an acronym both ways, a question once, a cloze once per deletion."""
    if card["kind"] == "cloze":
        return len(set(re.findall(r"\{\{c(\d+)::", card["text"])))
    return 2 if card["kind"] == "acronym" else 1


@pytest.mark.parametrize("files", [1, 100], ids=["one-file", "100-files"])
@pytest.mark.slow
def test_the_1000_card_grown_deck_imports_with_every_card(tmp_path: Path, files: int) -> None:
    cards = write_grown_set(tmp_path / "cards", 1000, files)
    written = [
        card
        for path in sorted(cards.glob("topic-*.yaml"))
        for card in yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]
    ]
    assert len(written) == len({card["id"] for card in written}) == 1000
    kinds = Counter(card["kind"] for card in written)
    assert set(kinds) == set(NOTE_TYPES), "all three kinds are grown"
    expected_cards = sum(_cards_of(card) for card in written)

    built = build(cards, tmp_path / "out")
    assert (built.note_count, built.card_count) == (1000, expected_cards)
    # the shipped cards' own allowed rules come along: grown, the deck is as clean as it ships
    assert built.warnings == []

    collection = fresh_collection(tmp_path)
    try:
        log = import_apkg(collection, tmp_path / "out" / "mission-partners.apkg")
        assert (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)) == (1000, 0, 0, 0)
        assert collection.note_count() == 1000
        assert collection.card_count() == expected_cards
        types = Counter(collection.get_note(nid).note_type()["name"] for nid in collection.find_notes(""))
        assert types == {NOTE_TYPES[kind]: count for kind, count in kinds.items()}
        decks = {deck_of(collection, collection.get_card(cid)) for cid in collection.find_cards("")}
        subdecks = {subdeck for subdeck, _, _ in shipped_topics()}
        title = "UN Peacekeeping: Working with Mission Partners"
        assert {name.removeprefix(f"{title}::") for name in decks} <= subdecks
        assert len(decks) == (1 if files == 1 else len(subdecks))
    finally:
        collection.close()
