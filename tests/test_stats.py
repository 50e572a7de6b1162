"""`flashcards stats`: what a trainer counts before a release, as tables or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import run

TABLES = """\
Test Deck 1.0.0: 5 notes, 9 cards

by subdeck                                        notes  cards
  Acronyms                                            2      4
  Humanitarian principles                             3      5

by kind                                           notes  cards
  acronym                                             2      4
  basic                                               2      2
  cloze                                               1      3

by learning outcome                               notes  cards
  LO1 Explain the integrated approach                 2      3
  LO2 Define humanitarian assistance                  4      7

by review status                                  notes
  draft                                               4
  approved                                            1
  needs-change                                        0
  needs re-review                                     0

most used tags (top 5)                            notes
  humanitarian                                        3
  acronym                                             2
  un-system                                           1

longest cards (top 5)                             chars
  principles-cloze                                  150
  peacekeepers-deliver-aid                          140
  unct                                               95
  ocha                                               55
  version-number                                     44
"""


def test_stats_tables(valid_cards: Path) -> None:
    assert run("stats", str(valid_cards)) == (0, TABLES, "")


def test_stats_json(valid_cards: Path) -> None:
    code, out, err = run("stats", str(valid_cards), "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "title": "Test Deck",
        "version": "1.0.0",
        "notes": 5,
        "cards": 9,
        "subdecks": [
            {"subdeck": "Acronyms", "notes": 2, "cards": 4},
            {"subdeck": "Humanitarian principles", "notes": 3, "cards": 5},
        ],
        "kinds": [
            {"kind": "acronym", "notes": 2, "cards": 4},
            {"kind": "basic", "notes": 2, "cards": 2},
            {"kind": "cloze", "notes": 1, "cards": 3},
        ],
        "outcomes": [
            {"outcome": "LO1", "text": "Explain the integrated approach", "notes": 2, "cards": 3},
            {"outcome": "LO2", "text": "Define humanitarian assistance", "notes": 4, "cards": 7},
        ],
        "statuses": [
            {"status": "draft", "notes": 4},
            {"status": "approved", "notes": 1},
            {"status": "needs-change", "notes": 0},
            {"status": "needs re-review", "notes": 0},
        ],
        "tags": [
            {"tag": "humanitarian", "notes": 3},
            {"tag": "acronym", "notes": 2},
            {"tag": "un-system", "notes": 1},
        ],
        "longest": [
            {"id": "principles-cloze", "characters": 150},
            {"id": "peacekeepers-deliver-aid", "characters": 140},
            {"id": "unct", "characters": 95},
            {"id": "ocha", "characters": 55},
            {"id": "version-number", "characters": 44},
        ],
    }


def test_an_outcome_no_card_teaches_counts_zero_and_long_text_is_cut(valid_cards: Path) -> None:
    deck = valid_cards / "deck.yaml"
    deck.write_text(deck.read_text() + '  LO3: "Describe the role of every partner in a long sentence here"\n')
    out = run("stats", str(valid_cards))[1]
    assert "  LO3 Describe the role of every partner in a l…      0      0\n" in out


def test_stats_of_a_broken_set(valid_cards: Path) -> None:
    topic = valid_cards / "01-acronyms.yaml"
    topic.write_text(topic.read_text().replace("id: ocha", "id: unct"))
    message = f"{topic}:12:5: card id 'unct' is already used at {topic}:4:5; give this card its own id"
    assert run("stats", str(valid_cards)) == (1, "", f"{message}\nfailed: 1 problem\n")
    code, out, err = run("stats", str(valid_cards), "--format", "json")
    assert (code, err) == (1, "")
    assert json.loads(out)["problems"][0]["message"] == message.split(": ", 1)[1]
