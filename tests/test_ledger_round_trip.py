"""A whole ledger written and read back: what a build writes is what the next build finds, line by line and whole."""

from __future__ import annotations

import json
from pathlib import Path

from exporter.release.ledger import (
    LEDGER_FILE,
    CardEntry,
    Changes,
    FieldChange,
    Ledger,
    Release,
    note_type_entries,
)
from exporter.release.ledger_index import LedgerCards, read_ledger, unchanged_times
from exporter.release.ledger_json import ledger_from_json
from exporter.release.ledger_lines import (
    card_line,
    entry_head,
    entry_line,
    head_digest,
    line_digest_and_time,
    write_ledger,
)
from exporter.release.notes import NoteKey

NOW = 1_764_000_000

#: Live cards (with the texts that could trip a line reader up) and retired ones, as a build remembers them.
LIVE = {
    "unct": CardEntry(
        guid="Ab1!c#d",
        kind="acronym",
        note_type=1607392319001,
        deck="Test Deck::Acronyms",
        fields=("UNCT", "United Nations Country Team", "", "Slide 6"),
        tags=("acronym",),
        ordinals=(0, 1),
        hash="0123456789abcdef",
        mtime=NOW,
    ),
    "tricky-text": CardEntry(
        guid='q"u}o\\te',
        kind="basic",
        note_type=1607392319002,
        deck="Test Deck::Zone d’accueil",
        fields=('Say "mtime": 5}', "a line\nand another, ending in }", "C:\\docs\\rc ✓ 日本", "\u2028"),
        tags=("un-system", "é"),
        ordinals=(0,),
        hash="fedcba9876543210",
        mtime=2**63 - 1,
    ),
    "cloze-card": CardEntry(
        guid="xyz",
        kind="cloze",
        note_type=1607392319003,
        deck="Test Deck::Principles",
        fields=("The {{c1::humanity}} and {{c2::neutrality}}", "", ""),
        tags=(),
        ordinals=(0, 1),
        hash="00000000ffffffff",
        mtime=0,
    ),
}
RETIRED = {
    "old-card": LIVE["unct"]._replace(guid="gone", tags=("acronym", "retired"), mtime=NOW + 1, retired_in="1.1.0"),
}


def _ledger() -> Ledger:
    changes = Changes(
        added=("unct",),
        changed={"tricky-text": (FieldChange("Answer", "no", 'yes, "quoted"'),)},
        retired=("old-card",),
        renamed_decks=(("Old::A", "New::A"),),
    )
    return Ledger(
        deck_id="test-deck",
        title="Test Deck",
        version="1.1.0",
        note_types=note_type_entries(Ledger(), NOW),
        cards={**LIVE, **RETIRED},
        releases=(
            Release("1.0.0", "2025-11-24", Changes(added=("old-card",))),
            Release("1.1.0", "2025-11-25", changes),
        ),
    )


def _written(folder: Path) -> Ledger:
    """The ledger as a build writes it: live cards' lines from their heads and times, retired ones whole."""
    ledger = _ledger()
    lines = {card_id: card_line(entry_head(card_id, entry), entry.mtime) for card_id, entry in LIVE.items()}
    lines |= {card_id: entry_line(card_id, entry) for card_id, entry in RETIRED.items()}
    with (folder / LEDGER_FILE).open("w", encoding="utf-8") as stream:
        write_ledger(stream, ledger, [lines[card_id] for card_id in sorted(lines)])
    return ledger


def test_a_live_card_line_is_its_head_and_its_time() -> None:
    for card_id, entry in LIVE.items():
        head = entry_head(card_id, entry)
        line = card_line(head, entry.mtime)
        assert line == entry_line(card_id, entry)
        assert line_digest_and_time(line) == (head_digest(head), entry.mtime)
    ((card_id, entry),) = RETIRED.items()
    assert line_digest_and_time(entry_line(card_id, entry)) == (None, None), "a retired card is never kept as is"


def test_every_entry_comes_back_line_by_line(tmp_path: Path) -> None:
    written = _written(tmp_path)
    read = read_ledger(tmp_path)
    assert isinstance(read.cards, LedgerCards)
    assert sorted(read.cards) == sorted(written.cards)
    assert {card_id: read.cards[card_id] for card_id in read.cards} == written.cards
    assert (read.deck_id, read.title, read.version) == ("test-deck", "Test Deck", "1.1.0")
    assert read.note_types == written.note_types
    assert read.releases == written.releases


def test_the_written_ledger_is_the_same_read_whole(tmp_path: Path) -> None:
    written = _written(tmp_path)
    text = (tmp_path / LEDGER_FILE).read_text(encoding="utf-8")
    assert ledger_from_json(json.loads(text)) == written
    lines = text.split("\n")
    for card_id in written.cards:
        assert len([line for line in lines if line.startswith(f'  "{card_id}": {{')]) == 1, card_id
    (tmp_path / LEDGER_FILE).write_text(json.dumps(json.loads(text), indent=2), encoding="utf-8")
    laid_out_otherwise = read_ledger(tmp_path)
    assert {card_id: laid_out_otherwise.cards[card_id] for card_id in laid_out_otherwise.cards} == written.cards


def test_an_unchanged_live_note_is_found_by_its_head(tmp_path: Path) -> None:
    _written(tmp_path)
    read = read_ledger(tmp_path)
    notes = [
        NoteKey(card_id, entry.deck, entry_head(card_id, entry), (3, 5, 4, 5)) for card_id, entry in LIVE.items()
    ]
    changed = LIVE["unct"]._replace(hash="1111111111111111")
    notes.append(NoteKey("unct", changed.deck, entry_head("unct", changed), (3, 5, 4, 5)))
    ((retired_id, retired),) = RETIRED.items()
    notes.append(NoteKey(retired_id, retired.deck, entry_head(retired_id, retired), (3, 5, 4, 5)))
    notes.append(NoteKey("new-card", "Test Deck::Acronyms", entry_head("unct", LIVE["unct"]), (3, 5, 4, 5)))
    assert unchanged_times(read, notes) == [entry.mtime for entry in LIVE.values()] + [None, None, None]
