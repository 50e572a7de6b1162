"""The mistakes a new trainer makes in a card file, each said in plain words where it was made: the nearest key
of the card's kind, the place a quote or bracket opened, a line indented unlike its card, a word processor's
quotes. One row each: (card file as written, the exact message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import GOOD_CARD, card_set, run, topic

BASIC_CARD = """\
  - id: q
    kind: basic
    question: Who leads the UN Country Team?
    answer: The Resident Coordinator
    source: {slide: 2}
"""
CURLY = "; “ ” are a word processor's quotes, which YAML reads as text: type straight quotes (\") instead"


def basic(old: str, new: str) -> str:
    assert old in BASIC_CARD
    return BASIC_CARD.replace(old, new)


MISTAKES = [
    (
        "misspelt-key-nearest-by-edit-distance",
        topic(
            GOOD_CARD.replace("expansion: United Nations Country Team", "expantion: United Nations Country Team")
        ),
        [
            "cards/t.yaml:3:5: the acronym card 'unct' has no 'expansion'; add 'expansion: ...'",
            "cards/t.yaml:6:5: unknown key 'expantion' in an acronym card; did you mean 'expansion'?",
        ],
    ),
    (
        "misspelt-key-other-neighbour",
        topic(GOOD_CARD + "    explenation: All UN agencies.\n"),
        ["cards/t.yaml:9:5: unknown key 'explenation' in an acronym card; did you mean 'explanation'?"],
    ),
    (
        "quote-never-closed-before-the-end-of-the-file",
        topic(GOOD_CARD, basic("answer: The", 'answer: "The'), GOOD_CARD.replace("unct", "ocha")),
        ['cards/t.yaml:12:13: a quote " opened here is never closed; end the text with "'],
    ),
    (
        "quote-not-closed-on-its-line",
        topic(
            basic("answer: The", 'answer: "The'), basic("id: q", "id: r").replace("answer: The", 'answer: "The')
        ),
        [
            'cards/t.yaml:6:13: a quote " opened here is not closed on its line, so YAML reads on to the next ", '
            'at line 11, column 13; end the text with "'
        ],
    ),
    (
        "apostrophe-inside-single-quotes",
        topic(basic("answer: The Resident Coordinator", "answer: 'The RC's office'")),
        [
            "cards/t.yaml:6:20: the text quoted with ' ends at this ', and more text follows it on the line; inside "
            "the quotes write ' twice (''), or quote the text with \"...\" instead"
        ],
    ),
    (
        "bracket-never-closed",
        topic(GOOD_CARD.replace("[LO1]", "[LO1"), BASIC_CARD),
        ["cards/t.yaml:8:15: a '[' opened here is never closed; end the list with ']' (YAML gave up at line 9)"],
    ),
    (
        "brace-never-closed",
        topic(basic("{slide: 2}", "{slide: 2")),
        ["cards/t.yaml:7:13: a '{' opened here is never closed; end it with '}'"],
    ),
    (
        "quote-closed-with-a-curly-quote",
        topic(basic("answer: The Resident Coordinator", 'answer: "The Resident Coordinator”')),
        ['cards/t.yaml:6:13: a quote " opened here is never closed; end the text with "' + CURLY],
    ),
    (
        "curly-quotes-around-text-with-a-colon",
        topic(basic("question: Who leads the UN Country Team?", "question: “Who leads: the UNCT?”")),
        [
            "cards/t.yaml:5:25: text that holds ': ' must be quoted, and “ ” are a word processor's quotes, which "
            'YAML reads as text: type straight quotes (") instead'
        ],
    ),
    (
        "key-indented-more-than-its-card",
        topic(basic("    answer:", "      answer:")),
        [
            "cards/t.yaml:6:7: line 6 is indented more than the card it belongs to (line 3); start it under 'id', at column 5"
        ],
    ),
    (
        "key-indented-less-than-its-card",
        topic(basic("    answer:", "   answer:")),
        [
            "cards/t.yaml:6:4: line 6 is indented less than the card it belongs to (line 3); start it under 'id', at column 5"
        ],
    ),
    (
        "key-under-the-dash",
        topic(basic("    answer:", "  answer:")),
        [
            "cards/t.yaml:6:3: line 6 lines up with the '-' of the card above it (line 3) but has no '-'; to go on "
            "with that card start it under 'id', at column 5; to start a new card begin it with '- '"
        ],
    ),
    (
        "card-indented-inside-the-card-above",
        topic(GOOD_CARD, basic("  - id: q", "    - id: q")),
        [
            "cards/t.yaml:9:5: line 9 starts a card inside the card above it (line 3); put its '-' under that card's '-', at column 3"
        ],
    ),
    (
        "card-indented-less-than-the-card-above",
        topic(GOOD_CARD, BASIC_CARD.replace("  - id: q", " - id: q").replace("\n    ", "\n   ")),
        [
            "cards/t.yaml:9:2: line 9 is indented less than the card above it (line 3); put its '-' under that card's '-', at column 3"
        ],
    ),
    (
        "file-key-indented-under-a-value",
        "subdeck: Acronyms\n  tags: [a]\ncards:\n" + GOOD_CARD,
        [
            "cards/t.yaml:2:3: line 2 is indented more than line 1 above it, which already has its value; start it "
            "under 'subdeck', at column 1"
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [row[1:] for row in MISTAKES], ids=[row[0] for row in MISTAKES])
def test_the_mistake_is_said_where_it_was_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    card_set(tmp_path, {"t.yaml": text})
    noun = "problem" if len(expected) == 1 else "problems"
    assert run("validate", "cards") == (1, "", "\n".join(expected) + f"\nfailed: {len(expected)} {noun}\n")
