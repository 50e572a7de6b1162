"""Bad card files, each with the exact message a contributor sees: file, line, column and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.pipeline.whole_deck import check
from tests.support import DECK, GOOD_CARD, topic

# (id, topic file text, exact problems as printed); the topic file is cards/t.yaml
TOPIC_CASES = [
    (
        "duplicate-yaml-key",
        topic(GOOD_CARD.replace("    term: UNCT\n", "    term: UNCT\n    term: UNDP\n")),
        ["cards/t.yaml:6:5: duplicate key 'term' in an acronym card (first at line 5); keep only one"],
    ),
    (
        "duplicate-card-id",
        topic(GOOD_CARD, GOOD_CARD),
        ["cards/t.yaml:9:5: card id 'unct' is already used at cards/t.yaml:3:5; give this card its own id"],
    ),
    (
        "unknown-key-suggests",
        topic(GOOD_CARD.replace("expansion:", "expansoin:")),
        [
            "cards/t.yaml:3:5: the acronym card 'unct' has no 'expansion'; add 'expansion: ...'",
            "cards/t.yaml:6:5: unknown key 'expansoin' in an acronym card; did you mean 'expansion'?",
        ],
    ),
    (
        "missing-kind",
        topic(GOOD_CARD.replace("    kind: acronym\n", "")),
        ["cards/t.yaml:3:5: the card has no 'kind'; add 'kind:' with one of: acronym, basic, cloze"],
    ),
    (
        "unknown-kind",
        topic(GOOD_CARD.replace("kind: acronym", "kind: acronim")),
        ["cards/t.yaml:4:11: unknown card kind 'acronim'; did you mean 'acronym'?"],
    ),
    (
        "empty-answer",
        topic("  - id: q\n    kind: basic\n    question: Who leads?\n    answer:\n    source: {slide: 2}\n"),
        ["cards/t.yaml:6:5: 'answer' is empty; write the answer after 'answer:'"],
    ),
    (
        "list-where-text-belongs",
        topic(
            "  - id: q\n    kind: basic\n    question: Who leads?\n    answer: [a, b]\n    source: {slide: 2}\n"
        ),
        ["cards/t.yaml:6:13: 'answer' must be text, not a list; quote it if it is meant as text"],
    ),
    (
        "missing-source",
        topic(GOOD_CARD.replace("    source: {slide: 6}\n", "")),
        [
            "cards/t.yaml:3:5: the card 'unct' has no 'source'; add 'source: {slide: N, section: ...}' so reviewers "
            "can find it in the training text"
        ],
    ),
    (
        "slide-not-a-number",
        topic(GOOD_CARD.replace("{slide: 6}", "{slide: six}")),
        ["cards/t.yaml:7:21: 'slide' must be a whole number from 1 up, like 6, not 'six'"],
    ),
    (
        "unknown-outcome",
        topic(GOOD_CARD.replace("[LO1]", "[LO9]")),
        ["cards/t.yaml:8:5: outcome 'LO9' is not in deck.yaml; use one of: LO1"],
    ),
    (
        "cloze-without-deletion",
        topic("  - id: c\n    kind: cloze\n    text: No deletion here\n    source: {slide: 2}\n"),
        ["cards/t.yaml:5:5: the cloze text has no deletion; mark the hidden words like {{c1::words}}"],
    ),
    (
        "cloze-c0",
        topic("  - id: c\n    kind: cloze\n    text: 'A {{c0::b}}'\n    source: {slide: 2}\n"),
        ["cards/t.yaml:5:5: cloze numbers start at 1; write {{c1::...}}, not {{c0::...}}"],
    ),
    (
        "cloze-nested",
        topic("  - id: c\n    kind: cloze\n    text: 'A {{c1::b {{c2::c}} }}'\n    source: {slide: 2}\n"),
        [
            "cards/t.yaml:5:5: a cloze deletion is nested inside another; Anki only shows the outer one, so write "
            "them one after the other"
        ],
    ),
    (
        "cloze-unclosed",
        topic("  - id: c\n    kind: cloze\n    text: 'A {{c1::b'\n    source: {slide: 2}\n"),
        ["cards/t.yaml:5:5: a cloze deletion is not closed; end it with '}}'"],
    ),
    (
        "tag-with-space",
        topic(GOOD_CARD + "    tags: [un system]\n"),
        [
            "cards/t.yaml:9:5: tag 'un system' has a space or a quote; Anki splits tags on spaces, write it as "
            "'un-system'"
        ],
    ),
    (
        "bad-card-id",
        topic(GOOD_CARD.replace("id: unct", "id: UNCT card")),
        [
            "cards/t.yaml:3:5: card id 'UNCT card' must be a slug of lowercase letters, digits and hyphens, like "
            "'unct-benefits'"
        ],
    ),
    (
        "tab-indent",
        topic(GOOD_CARD.replace("    term: UNCT", "\tterm: UNCT")),
        ["cards/t.yaml:5:1: a tab character; indent with spaces, not tabs"],
    ),
    (
        "unclosed-quote",
        topic(GOOD_CARD.replace("term: UNCT", 'term: "UNCT')),
        [
            "cards/t.yaml:9:1: YAML syntax error: while scanning a quoted scalar found unexpected end of stream; "
            "a quote is not closed"
        ],
    ),
    ("empty-file", "", ["cards/t.yaml:1:1: the file has no cards; a topic file needs 'subdeck:' and 'cards:'"]),
    (
        "only-comments",
        "# nothing yet\n",
        ["cards/t.yaml:1:1: the file has no cards; a topic file needs 'subdeck:' and 'cards:'"],
    ),
    (
        "alias",
        "subdeck: A\ncards:\n  - &card\n    id: unct\n    kind: acronym\n    term: UNCT\n"
        "    expansion: United Nations Country Team\n    source: {slide: 6}\n  - *card\n",
        ["cards/t.yaml:9:5: YAML aliases (*name) are not allowed in card files; write the text out in full"],
    ),
    (
        "python-tag",
        topic(GOOD_CARD.replace("term: UNCT", "term: !!python/object/apply:os.system [ls]")),
        [
            "cards/t.yaml:5:11: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in card "
            "files; remove it"
        ],
    ),
    (
        "cards-not-a-list",
        "subdeck: A\ncards: none\n",
        ["cards/t.yaml:2:8: 'cards' must be a list of cards, each starting with '- id:', not the text 'none'"],
    ),
    (
        "top-level-list",
        "- a\n- b\n",
        ["cards/t.yaml:1:1: a topic file must be a mapping of 'key: value' lines at the top, not a list"],
    ),
]


def _write_set(tmp_path: Path, topic_text: str | bytes) -> Path:
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "deck.yaml").write_text(DECK)
    target = cards / "t.yaml"
    if isinstance(topic_text, bytes):
        target.write_bytes(topic_text)
    else:
        target.write_text(topic_text)
    return cards


@pytest.mark.parametrize(
    ("text", "expected"), [case[1:] for case in TOPIC_CASES], ids=[case[0] for case in TOPIC_CASES]
)
def test_bad_topic_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: list[str]) -> None:
    _write_set(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    checked = check(Path("cards"))
    assert [str(problem) for problem in checked.errors] == expected


BYTE_CASES = [
    (
        "latin-1",
        "subdeck: Caf\xe9\ncards: []\n".encode("latin-1"),
        ["cards/t.yaml:1:13: byte 0xE9 is not UTF-8; save the file as UTF-8"],
    ),
    (
        "utf-16",
        "subdeck: A\ncards: []\n".encode("utf-16"),
        ["cards/t.yaml:1:1: the file is UTF-16; save it as UTF-8"],
    ),
]


@pytest.mark.parametrize(("data", "expected"), [case[1:] for case in BYTE_CASES], ids=[c[0] for c in BYTE_CASES])
def test_bad_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, expected: list[str]) -> None:
    _write_set(tmp_path, data)
    monkeypatch.chdir(tmp_path)
    assert [str(problem) for problem in check(Path("cards")).errors] == expected


def test_bom_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_set(tmp_path, b"\xef\xbb\xbf" + topic(GOOD_CARD).encode())
    monkeypatch.chdir(tmp_path)
    checked = check(Path("cards"))
    assert checked.problems == [] and checked.deck is not None and checked.deck.cards[0].id == "unct"


def test_all_problems_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_set(tmp_path, topic(GOOD_CARD.replace("[LO1]", "[LO8]"), GOOD_CARD.replace("[LO1]", "[LO9]")))
    (tmp_path / "cards" / "u.yaml").write_text("subdeck: B\ncards:\n  - id: x\n")
    monkeypatch.chdir(tmp_path)
    assert [str(problem) for problem in check(Path("cards")).errors] == [
        "cards/t.yaml:8:5: outcome 'LO8' is not in deck.yaml; use one of: LO1",
        "cards/t.yaml:9:5: card id 'unct' is already used at cards/t.yaml:3:5; give this card its own id",
        "cards/t.yaml:14:5: outcome 'LO9' is not in deck.yaml; use one of: LO1",
        "cards/u.yaml:3:5: the card has no 'kind'; add 'kind:' with one of: acronym, basic, cloze",
    ]
