"""The benchmark's synthetic 1,000-card set builds into a package that Anki's own engine imports whole."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.synthetic import write_card_set
from exporter.pipeline.build import build
from tests.anki_engine import deck_of, fresh_collection, import_apkg

# The generator gives card n the kind n % 3: acronym (two cards), basic (one), cloze with c1 and c2 (two).
ACRONYMS, BASICS, CLOZES = 334, 333, 333


@pytest.mark.parametrize("files", [1, 100], ids=["one-file", "100-files"])
@pytest.mark.slow
def test_the_1000_card_benchmark_deck_imports_with_every_card(tmp_path: Path, files: int) -> None:
    cards = write_card_set(tmp_path / "cards", 1000, files)
    built = build(cards, tmp_path / "out")
    assert (built.note_count, built.card_count) == (1000, 2 * ACRONYMS + BASICS + 2 * CLOZES)

    collection = fresh_collection(tmp_path)
    try:
        log = import_apkg(collection, tmp_path / "out" / "synthetic.apkg")
        assert (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)) == (1000, 0, 0, 0)
        assert collection.note_count() == 1000
        assert collection.card_count() == 2 * ACRONYMS + BASICS + 2 * CLOZES
        kinds = Counter(collection.get_note(nid).note_type()["name"] for nid in collection.find_notes(""))
        assert kinds == {
            "Peacekeeping Acronym": ACRONYMS,
            "Peacekeeping Question": BASICS,
            "Peacekeeping Cloze": CLOZES,
        }
        decks = Counter(deck_of(collection, collection.get_card(cid)) for cid in collection.find_cards(""))
        assert len(decks) == files
        assert all(name.startswith("Synthetic Curriculum::") for name in decks)
        accented = collection.find_notes("réfugiés")
        assert accented, "accents survive the trip"
    finally:
        collection.close()
