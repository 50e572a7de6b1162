"""Hostile and broken card sets, one row each, run two ways: in process through check() (the exact errors), and
through the command line (exit 1, exactly those messages, no traceback, and the last good build in dist/ left
byte for byte as it was)."""

from __future__ import annotations

import codecs
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.pipeline.build import build
from exporter.pipeline.checked_stream import check
from tests.support import BUILD_TIME, DECK, GOOD_CARD, snapshot, topic

BASIC_CARD = """\
  - id: q
    kind: basic
    question: Who leads the UN Country Team?
    answer: The Resident Coordinator
    source: {slide: 2}
"""


def cloze(text: str) -> str:
    """A topic file with one cloze card whose text line is written as given (quote it yourself)."""
    return topic(f"  - id: c\n    kind: cloze\n    text: {text}\n    source: {{slide: 2}}\n")


def card_with(line: str, card: str = BASIC_CARD) -> str:
    return topic(card + line + "\n")


def replaced(old: str, new: str, card: str = BASIC_CARD) -> str:
    assert old in card
    return topic(card.replace(old, new))


@dataclass(frozen=True)
class Symlink:
    """A symbolic link to this target, as written."""

    target: str


@dataclass(frozen=True)
class Sparse:
    """A file this many bytes long, made without writing them (a huge file that costs no disk)."""

    size: int


class Fifo:
    """A named pipe: opening it for reading would wait for a writer forever."""


class Folder:
    """A folder where a file is expected."""


Content = str | bytes | Symlink | Sparse | Fifo | Folder | None
CARDS = ["build", "cards", "-o", "dist"]
STRICT = ["build", "--strict", "cards", "-o", "dist"]
SCRIPT = "<script>alert(1)</script>"

# (id, files under cards/ (None deletes one; deck.yaml is DECK unless given), exact problems) and, where the
# command differs from `flashcards build cards -o dist`, the arguments.
CASES: list[tuple[str, dict[str, Content], list[str]] | tuple[str, dict[str, Content], list[str], list[str]]] = [
    # --- YAML syntax
    (
        "duplicate-key-in-card",
        {"t.yaml": replaced("    answer:", "    question: Again?\n    answer:")},
        ["cards/t.yaml:6:5: duplicate key 'question' in a basic card (first at line 5); keep only one"],
    ),
    (
        "duplicate-key-at-top",
        {"t.yaml": "subdeck: A\nsubdeck: B\ncards:\n" + BASIC_CARD},
        ["cards/t.yaml:2:1: duplicate key 'subdeck' in a topic file (first at line 1); keep only one"],
    ),
    (
        "duplicate-key-in-deck-file",
        {"deck.yaml": DECK + 'version: "2.0.0"\n'},
        ["cards/deck.yaml:6:1: duplicate key 'version' in the deck file (first at line 3); keep only one"],
    ),
    (
        "tab-indent",
        {"t.yaml": replaced("    answer:", "\tanswer:")},
        ["cards/t.yaml:6:1: a tab character; indent with spaces, not tabs"],
    ),
    (
        "list-item-indented-wrong",
        {"t.yaml": replaced("    answer:", "   answer:")},
        [
            "cards/t.yaml:6:4: line 6 is indented less than the card it belongs to (line 3); start it under 'id', at "
            "column 5"
        ],
    ),
    (
        "key-indented-too-far",
        {"t.yaml": "subdeck: A\n  cards:\n" + BASIC_CARD},
        [
            "cards/t.yaml:2:3: line 2 is indented more than line 1 above it, which already has its value; start it "
            "under 'subdeck', at column 1"
        ],
    ),
    (
        "colon-space-in-plain-text",
        {"t.yaml": replaced("answer: The", "answer: Note: the")},
        [
            "cards/t.yaml:6:17: YAML syntax error: mapping values are not allowed in this context; check the "
            "indentation, or quote text that contains ': '"
        ],
    ),
    (
        "unclosed-double-quote",
        {"t.yaml": replaced("answer: The Resident Coordinator", 'answer: "The Resident')},
        ['cards/t.yaml:6:13: a quote " opened here is never closed; end the text with "'],
    ),
    (
        "unclosed-single-quote",
        {"t.yaml": replaced("answer: The Resident Coordinator", "answer: 'The Resident")},
        ["cards/t.yaml:6:13: a quote ' opened here is never closed; end the text with '"],
    ),
    (
        "unclosed-flow-list",
        {"t.yaml": card_with("    tags: [a, b")},
        ["cards/t.yaml:8:11: a '[' opened here is never closed; end the list with ']'"],
    ),
    (
        "unclosed-flow-mapping",
        {"t.yaml": replaced("source: {slide: 2}", "source: {slide: 2")},
        ["cards/t.yaml:7:13: a '{' opened here is never closed; end it with '}'"],
    ),
    (
        "bad-escape-in-double-quotes",
        {"t.yaml": replaced("answer: The Resident Coordinator", r'answer: "C:\docs\rc"')},
        [
            "cards/t.yaml:6:16: YAML syntax error: while parsing a quoted scalar found unknown escape character; "
            "in double quotes write a backslash as \\\\"
        ],
    ),
    (
        "second-document",
        {"t.yaml": topic(BASIC_CARD) + "---\nsubdeck: B\n"},
        ["cards/t.yaml:8:1: a second YAML document ('---'); keep one document per file"],
    ),
    (
        "document-after-end-marker",
        {"t.yaml": topic(BASIC_CARD) + "...\nsubdeck: B\n"},
        [
            "cards/t.yaml:9:1: YAML syntax error: did not find expected <document start>; keep one document per file, "
            "with nothing after '...'"
        ],
    ),
    # --- YAML features card files refuse
    (
        "alias",
        {
            "t.yaml": "subdeck: A\ncards:\n  - &card\n    id: unct\n    kind: acronym\n    term: UNCT\n"
            "    expansion: United Nations Country Team\n    source: {slide: 6}\n  - *card\n"
        },
        ["cards/t.yaml:9:5: YAML aliases (*name) are not allowed in card files; write the text out in full"],
    ),
    (
        "billion-laughs",
        {
            "t.yaml": "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + "".join(f"l{n}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))
        },
        ["cards/t.yaml:2:9: YAML aliases (*name) are not allowed in card files; write the text out in full"],
    ),
    (
        "alias-in-deck-file",
        {"deck.yaml": DECK + "description: &d Teaching\nsource: {title: *d}\n"},
        ["cards/deck.yaml:7:17: YAML aliases (*name) are not allowed in card files; write the text out in full"],
    ),
    (
        "undefined-alias",
        {"t.yaml": replaced("answer: The Resident Coordinator", "answer: *nothing")},
        ["cards/t.yaml:6:13: YAML aliases (*name) are not allowed in card files; write the text out in full"],
    ),
    (
        "merge-key",
        {"t.yaml": "subdeck: A\ncards:\n  - <<: {kind: basic}\n    id: q\n"},
        ["cards/t.yaml:3:5: YAML merge keys (<<) are not allowed in card files; write the keys out in full"],
    ),
    (
        "python-object-tag",
        {"t.yaml": replaced("answer: The", "answer: !!python/object/apply:os.system [ls] #")},
        [
            "cards/t.yaml:6:13: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in card "
            "files; remove it"
        ],
    ),
    (
        "local-tag",
        {"t.yaml": replaced("answer: The", "answer: !secret The")},
        ["cards/t.yaml:6:13: YAML tag '!secret' is not allowed in card files; remove it"],
    ),
    (
        "binary-tag",
        {"t.yaml": replaced("answer: The Resident Coordinator", "answer: !!binary aGVsbG8=")},
        ["cards/t.yaml:6:13: YAML tag 'tag:yaml.org,2002:binary' is not allowed in card files; remove it"],
    ),
    (
        "set-tag",
        {"t.yaml": card_with("    tags: !!set {a, b}")},
        ["cards/t.yaml:8:11: YAML tag 'tag:yaml.org,2002:set' is not allowed in card files; remove it"],
    ),
    (
        "tag-directive",
        {"t.yaml": "%TAG !e! tag:evil.example,2026:\n---\nsubdeck: !e!run A\ncards: []\n"},
        ["cards/t.yaml:3:10: YAML tag 'tag:evil.example,2026:run' is not allowed in card files; remove it"],
    ),
    (
        "nested-10000-lists",
        {"t.yaml": "subdeck: A\ncards: " + "[" * 10_000 + "]" * 10_000 + "\n"},
        [
            "cards/t.yaml:2:1007: the YAML is nested more than 10 levels deep; a card file needs only a few (cards, a "
            "card, its source)"
        ],
    ),
    (
        "nested-10000-mappings",
        {"t.yaml": "subdeck: A\ncards: " + "{a: " * 10_000 + "}" * 10_000 + "\n"},
        [
            "cards/t.yaml:2:44: the YAML is nested more than 10 levels deep; a card file needs only a few (cards, a "
            "card, its source)"
        ],
    ),
    (
        "nested-10000-block-lists",
        {"t.yaml": "subdeck: A\ncards:\n" + "- " * 10_000 + "x\n"},
        [
            "cards/t.yaml:3:19: the YAML is nested more than 10 levels deep; a card file needs only a few (cards, a "
            "card, its source)"
        ],
    ),
    (
        "nested-100-block-mappings",
        {"t.yaml": "".join(" " * level + "a:\n" for level in range(100)) + " " * 100 + "b\n"},
        [
            "cards/t.yaml:11:11: the YAML is nested more than 10 levels deep; a card file needs only a few (cards, a "
            "card, its source)"
        ],
    ),
    # --- bytes and characters
    (
        "latin-1",
        {"t.yaml": "subdeck: Caf\xe9\ncards: []\n".encode("latin-1")},
        ["cards/t.yaml:1:13: byte 0xE9 is not UTF-8; save the file as UTF-8"],
    ),
    (
        "latin-1-after-accents",
        {"t.yaml": "subdeck: Sécurité\ncards:\n  - id: caf\xe9\n".encode().replace(b"caf\xc3\xa9", b"caf\xe9")},
        ["cards/t.yaml:3:12: byte 0xE9 is not UTF-8; save the file as UTF-8"],
    ),
    (
        "utf-16-le-bom",
        {"t.yaml": topic(BASIC_CARD).encode("utf-16")},
        ["cards/t.yaml:1:1: the file is UTF-16; save it as UTF-8"],
    ),
    (
        "utf-16-be-bom",
        {"t.yaml": codecs.BOM_UTF16_BE + topic(BASIC_CARD).encode("utf-16-be")},
        ["cards/t.yaml:1:1: the file is UTF-16; save it as UTF-8"],
    ),
    (
        "utf-16-without-bom",
        {"t.yaml": topic(BASIC_CARD).encode("utf-16-le")},
        ["cards/t.yaml:1:1: the file looks like UTF-16 (every other byte is 0); save it as UTF-8"],
    ),
    (
        "utf-32-bom",
        {"t.yaml": topic(BASIC_CARD).encode("utf-32")},
        ["cards/t.yaml:1:1: the file is UTF-32; save it as UTF-8"],
    ),
    (
        "nul-byte",
        {"t.yaml": replaced("Coordinator", "Coordi\x00nator")},
        ["cards/t.yaml:6:32: a NUL byte (0x00) is not allowed in a card file; save the file as UTF-8 text"],
    ),
    (
        "bell-character",
        {"t.yaml": replaced("Coordinator", "Coordinator\x07")},
        ["cards/t.yaml:6:37: the control character U+0007 is not allowed in a card file; delete it"],
    ),
    (
        "terminal-escape-sequence",
        {"t.yaml": replaced("Coordinator", "\x1b[2J\x1b[31mCoordinator")},
        ["cards/t.yaml:6:26: the control character U+001B is not allowed in a card file; delete it"],
    ),
    (
        "delete-character",
        {"t.yaml": replaced("Coordinator", "Coordinator\x7f")},
        ["cards/t.yaml:6:37: the control character U+007F is not allowed in a card file; delete it"],
    ),
    (
        "c1-control-character",
        {"t.yaml": replaced("Coordinator", "Coordinator\x9b")},
        ["cards/t.yaml:6:37: the control character U+009B is not allowed in a card file; delete it"],
    ),
    (
        "line-separator",
        {"t.yaml": replaced("Coordinator", "Coordinator\u2028of the team")},
        ["cards/t.yaml:6:37: the line separator U+2028 is not allowed in a card file; use an ordinary line break"],
    ),
    (
        "next-line-character",
        {"t.yaml": replaced("Coordinator", "Coordinator\x85")},
        [
            "cards/t.yaml:6:37: the next-line character U+0085 is not allowed in a card file; use an ordinary line "
            "break"
        ],
    ),
    (
        "noncharacter",
        {"t.yaml": replaced("Coordinator", "Coordinator\uffff")},
        ["cards/t.yaml:6:37: the control character U+FFFF is not allowed in a card file; delete it"],
    ),
    (
        "field-separator-escape",
        {"t.yaml": replaced("answer: The Resident Coordinator", r'answer: "The Resident\x1fCoordinator"')},
        ["cards/t.yaml:6:13: 'answer' holds the control character U+001F (an escape like \\x1f); remove it"],
    ),
    (
        "nul-escape",
        {"t.yaml": replaced("question: Who leads the UN Country Team?", r'question: "\0Who leads?"')},
        ["cards/t.yaml:5:15: 'question' holds the control character U+0000 (an escape like \\x00); remove it"],
    ),
    (
        "lone-surrogate-escape",
        {"t.yaml": replaced("answer: The Resident Coordinator", r'answer: "\ud800"')},
        [
            "cards/t.yaml:6:16: YAML syntax error: while parsing a quoted scalar found invalid Unicode character "
            "escape code"
        ],
    ),
    (
        "huge-file",
        {"t.yaml": Sparse(50_000_001)},
        [
            "cards/t.yaml: the file has 50,000,001 bytes, more than the 50,000,000 a card file may have; split it into "
            "several topic files"
        ],
    ),
    # --- empty files and wrong shapes
    (
        "empty-topic-file",
        {"t.yaml": ""},
        ["cards/t.yaml:1:1: the file has no cards; a topic file needs 'subdeck:' and 'cards:'"],
    ),
    (
        "only-comments",
        {"t.yaml": "# cards to come\n# (nothing yet)\n"},
        ["cards/t.yaml:1:1: the file has no cards; a topic file needs 'subdeck:' and 'cards:'"],
    ),
    (
        "only-document-marker",
        {"t.yaml": "---\n"},
        ["cards/t.yaml:1:1: the file has no cards; a topic file needs 'subdeck:' and 'cards:'"],
    ),
    (
        "empty-deck-file",
        {"deck.yaml": "\n"},
        ["cards/deck.yaml:1:1: the file is empty; a deck file needs id, title, version and outcomes"],
    ),
    (
        "top-level-list",
        {"t.yaml": "- a\n- b\n"},
        ["cards/t.yaml:1:1: a topic file must be a mapping of 'key: value' lines at the top, not a list"],
    ),
    (
        "top-level-text",
        {"t.yaml": "just some notes\n"},
        [
            "cards/t.yaml:1:1: a topic file must be a mapping of 'key: value' lines at the top, not the text 'just some "
            "notes'"
        ],
    ),
    (
        "cards-is-text",
        {"t.yaml": "subdeck: A\ncards: none\n"},
        ["cards/t.yaml:2:8: 'cards' must be a list of cards, each starting with '- id:', not the text 'none'"],
    ),
    (
        "cards-is-empty",
        {"t.yaml": "subdeck: A\ncards:\n"},
        ["cards/t.yaml:2:7: 'cards' must be a list of cards, each starting with '- id:', not an empty value"],
    ),
    (
        "card-is-empty",
        {"t.yaml": "subdeck: A\ncards:\n  -\n" + BASIC_CARD},
        ["cards/t.yaml:3:4: a card must be a mapping starting with 'id:', not an empty value"],
    ),
    (
        "answer-is-a-list",
        {"t.yaml": replaced("answer: The Resident Coordinator", "answer: [a, b]")},
        ["cards/t.yaml:6:13: 'answer' must be text, not a list; quote it if it is meant as text"],
    ),
    (
        "question-is-a-mapping",
        {"t.yaml": replaced("question: Who leads the UN Country Team?", "question: {who: leads}")},
        ["cards/t.yaml:5:15: 'question' must be text, not a mapping; quote it if it is meant as text"],
    ),
    (
        "kind-is-a-list",
        {"t.yaml": replaced("kind: basic", "kind: [basic]")},
        ["cards/t.yaml:4:11: 'kind' must be one of: acronym, basic, cloze, not a list"],
    ),
    (
        "tags-are-a-mapping",
        {"t.yaml": card_with("    tags: {a: b}")},
        ["cards/t.yaml:8:11: 'tags' must be a list like [a, b], not a mapping"],
    ),
    (
        "source-is-text",
        {"t.yaml": replaced("source: {slide: 2}", "source: slide 2")},
        ["cards/t.yaml:7:13: 'source' must be a mapping of 'key: value' lines, not the text 'slide 2'"],
    ),
    (
        "subdeck-is-a-list",
        {"t.yaml": topic(BASIC_CARD, header="subdeck: [A, B]\ncards:\n")},
        ["cards/t.yaml:1:10: 'subdeck' must be text, not a list; quote it if it is meant as text"],
    ),
    (
        "deck-outcomes-are-a-list",
        {"deck.yaml": DECK.replace("outcomes:\n  LO1: Explain the integrated approach\n", "outcomes: [LO1]\n")},
        ["cards/deck.yaml:4:11: 'outcomes' must be a mapping of 'key: value' lines, not a list"],
    ),
    # --- keys
    (
        "unknown-card-key-suggests",
        {"t.yaml": replaced("answer:", "answr:")},
        [
            "cards/t.yaml:3:5: the basic card 'q' has no 'answer'; add 'answer: ...'",
            "cards/t.yaml:6:5: unknown key 'answr' in a basic card; did you mean 'answer'?",
        ],
    ),
    (
        "key-of-another-kind",
        {"t.yaml": card_with("    term: UNCT")},
        [
            "cards/t.yaml:8:5: unknown key 'term' in a basic card; expected one of: id, kind, tags, source, outcomes, "
            "status, reviewed_by, reviewed_on, review_note, approved_fingerprint, allow, renamed_from, question, answer, extra"
        ],
    ),
    (
        "unknown-topic-key-suggests",
        {"t.yaml": topic(BASIC_CARD, header="subdek: A\ncards:\n")},
        [
            "cards/t.yaml:1:1: the topic file has no 'subdeck'; add 'subdeck: ...'",
            "cards/t.yaml:1:1: unknown key 'subdek' in a topic file; did you mean 'subdeck'?",
        ],
    ),
    (
        "unknown-deck-key-suggests",
        {"deck.yaml": DECK.replace("title:", "titel:")},
        [
            "cards/deck.yaml:1:1: the deck file has no 'title'; add 'title: ...'",
            "cards/deck.yaml:2:1: unknown key 'titel' in the deck file; did you mean 'title'?",
        ],
    ),
    (
        "key-is-a-list",
        {"t.yaml": "subdeck: A\n[cards]: x\ncards:\n" + BASIC_CARD},
        ["cards/t.yaml:2:1: a key in a topic file must be a plain word, not a list"],
    ),
    (
        "key-is-a-mapping",
        {"t.yaml": "subdeck: A\n? {a: b}\n: x\ncards:\n" + BASIC_CARD},
        ["cards/t.yaml:2:3: a key in a topic file must be a plain word, not a mapping"],
    ),
    (
        "null-key",
        {"t.yaml": "subdeck: A\n~: x\ncards:\n" + BASIC_CARD},
        ["cards/t.yaml:2:1: a key in a topic file is empty (null); write a word before ':'"],
    ),
    (
        "null-word-key",
        {"t.yaml": replaced("source: {slide: 2}", "source: {null: 2}")},
        [
            "cards/t.yaml:7:5: 'source' needs a 'slide' number or a 'section' title",
            "cards/t.yaml:7:14: a key in 'source' is empty (null); write a word before ':'",
        ],
    ),
    (
        "very-long-unknown-key",
        {"t.yaml": "subdeck: A\n" + "x" * 1000 + ": y\ncards:\n" + BASIC_CARD},
        [
            "cards/t.yaml:2:1: unknown key 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' in a topic "
            "file; expected one of: subdeck, tags, cards"
        ],
    ),
    # --- missing pieces
    (
        "no-deck-file",
        {"deck.yaml": None, "t.yaml": topic(BASIC_CARD)},
        ["cards: no deck.yaml in the folder; create one with id, title, version and outcomes"],
    ),
    (
        "deck-file-without-version-and-outcomes",
        {"deck.yaml": "id: test-deck\ntitle: Test Deck\n"},
        [
            "cards/deck.yaml:1:1: the deck file has no 'outcomes'; list the learning outcomes as 'LO1: text' lines",
            "cards/deck.yaml:1:1: the deck file has no 'version'; add 'version: ...'",
        ],
    ),
    (
        "card-without-id",
        {"t.yaml": topic(BASIC_CARD.replace("  - id: q\n    kind", "  - kind"))},
        ["cards/t.yaml:3:5: the card has no 'id'; add 'id: ...'"],
    ),
    (
        "card-without-kind",
        {"t.yaml": replaced("    kind: basic\n", "")},
        ["cards/t.yaml:3:5: the card has no 'kind'; add 'kind:' with one of: acronym, basic, cloze"],
    ),
    (
        "unknown-kind",
        {"t.yaml": replaced("kind: basic", "kind: basik")},
        ["cards/t.yaml:4:11: unknown card kind 'basik'; did you mean 'basic'?"],
    ),
    (
        "topic-without-cards",
        {"t.yaml": "subdeck: A\n"},
        ["cards/t.yaml:1:1: the topic file has no 'cards'; add 'cards:' with a list of cards"],
    ),
    (
        "card-without-source",
        {"t.yaml": replaced("    source: {slide: 2}\n", "")},
        [
            "cards/t.yaml:3:5: the card 'q' has no 'source'; add 'source: {slide: N, section: ...}' so reviewers can "
            "find it in the training text"
        ],
    ),
    (
        "source-without-slide-or-section",
        {"t.yaml": replaced("{slide: 2}", "{}")},
        ["cards/t.yaml:7:5: 'source' needs a 'slide' number or a 'section' title"],
    ),
    # --- card semantics
    (
        "cloze-without-deletion",
        {"t.yaml": cloze("Nothing hidden here")},
        ["cards/t.yaml:5:5: the cloze text has no deletion; mark the hidden words like {{c1::words}}"],
    ),
    (
        "cloze-unclosed",
        {"t.yaml": cloze("'A {{c1::b'")},
        ["cards/t.yaml:5:5: a cloze deletion is not closed; end it with '}}'"],
    ),
    (
        "cloze-stray-closing",
        {"t.yaml": cloze("'A {{c1::b}} c}}'")},
        ["cards/t.yaml:5:5: '}}' closes no deletion; remove it or open the deletion with {{c1::"],
    ),
    (
        "cloze-nested",
        {"t.yaml": cloze("'A {{c1::b {{c2::c}} }}'")},
        [
            "cards/t.yaml:5:5: a cloze deletion is nested inside another; nested deletions are not supported here (the "
            "checks and the review page read one deletion at a time), so write them one after the other"
        ],
    ),
    (
        "cloze-c0",
        {"t.yaml": cloze("'A {{c0::b}}'")},
        ["cards/t.yaml:5:5: cloze numbers start at 1; write {{c1::...}}, not {{c0::...}}"],
    ),
    (
        "cloze-number-too-high",
        {"t.yaml": cloze("'A {{c501::b}}'")},
        [
            "cards/t.yaml:5:5: cloze number 501 is too high; Anki makes at most 500 cards from one text, numbered c1 "
            "to c500"
        ],
    ),
    (
        "cloze-number-of-5000-digits",
        {"t.yaml": cloze("'A {{c" + "9" * 5000 + "::b}}'")},
        [
            "cards/t.yaml:5:5: cloze number 99999999999… is too high; Anki makes at most 500 cards from one text, "
            "numbered c1 to c500"
        ],
    ),
    (
        "cloze-empty-deletion",
        {"t.yaml": cloze("'A {{c1::}} b'")},
        ["cards/t.yaml:5:5: the deletion {{c1::}} is empty; put the hidden text after '::'"],
    ),
    (
        "cloze-single-colon",
        {"t.yaml": cloze("'A {{c1:b}}'")},
        ["cards/t.yaml:5:5: '{{' must start a deletion written like {{c1::answer}}"],
    ),
    (
        "cloze-arabic-digit",
        {"t.yaml": cloze("'A {{c\u0661::b}}'")},
        ["cards/t.yaml:5:5: '{{' must start a deletion written like {{c1::answer}}"],
    ),
    (
        "empty-question-quoted",
        {"t.yaml": replaced("question: Who leads the UN Country Team?", "question: ''")},
        ["cards/t.yaml:5:5: 'question' is empty; write the question after 'question:'"],
    ),
    (
        "blank-question",
        {"t.yaml": replaced("question: Who leads the UN Country Team?", "question: '   '")},
        ["cards/t.yaml:5:5: 'question' is empty; write the question after 'question:'"],
    ),
    (
        "empty-answer",
        {"t.yaml": replaced("answer: The Resident Coordinator", "answer:")},
        ["cards/t.yaml:6:5: 'answer' is empty; write the answer after 'answer:'"],
    ),
    (
        "id-reused-in-file",
        {"t.yaml": topic(BASIC_CARD, BASIC_CARD.replace("Who leads", "Who chairs"))},
        ["cards/t.yaml:8:5: card id 'q' is already used at cards/t.yaml:3:5; give this card its own id"],
    ),
    (
        "id-reused-across-files",
        {"t.yaml": topic(BASIC_CARD), "u.yaml": topic(BASIC_CARD, header="subdeck: B\ncards:\n")},
        ["cards/u.yaml:3:5: card id 'q' is already used at cards/t.yaml:3:5; give this card its own id"],
    ),
    (
        "id-not-a-slug",
        {"t.yaml": replaced("id: q", "id: Who Leads?")},
        [
            "cards/t.yaml:3:5: card id 'Who Leads?' must be a slug of lowercase letters, digits and hyphens, like "
            "'unct-benefits'"
        ],
    ),
    (
        "tag-with-space",
        {"t.yaml": card_with("    tags: [un system]")},
        [
            "cards/t.yaml:8:5: tag 'un system' has a space or a quote; Anki splits tags on spaces, write it as "
            "'un-system'"
        ],
    ),
    (
        "file-tag-with-space",
        {"t.yaml": topic(BASIC_CARD, header="subdeck: A\ntags: [mission partners]\ncards:\n")},
        [
            "cards/t.yaml:1:1: tag 'mission partners' has a space or a quote; Anki splits tags on spaces, write it as "
            "'mission-partners'"
        ],
    ),
    (
        "tag-with-quote",
        {"t.yaml": card_with("    tags: ['say\"hi']")},
        [
            "cards/t.yaml:8:5: tag 'say\"hi' has a space or a quote; Anki splits tags on spaces, write it as 'say-hi'"
        ],
    ),
    (
        "subdeck-leading-colons",
        {"t.yaml": topic(BASIC_CARD, header="subdeck: '::Acronyms'\ncards:\n")},
        [
            "cards/t.yaml:1:1: subdeck '::Acronyms' has an empty part around '::'; '::' only separates deck levels, "
            "like 'Parent::Child'"
        ],
    ),
    (
        "subdeck-trailing-colons",
        {"t.yaml": topic(BASIC_CARD, header="subdeck: 'Acronyms::'\ncards:\n")},
        [
            "cards/t.yaml:1:1: subdeck 'Acronyms::' has an empty part around '::'; '::' only separates deck levels, "
            "like 'Parent::Child'"
        ],
    ),
    (
        "subdeck-empty-level",
        {"t.yaml": topic(BASIC_CARD, header="subdeck: 'UN::::Agencies'\ncards:\n")},
        [
            "cards/t.yaml:1:1: subdeck 'UN::::Agencies' has an empty part around '::'; '::' only separates deck "
            "levels, like 'Parent::Child'"
        ],
    ),
    (
        "subdeck-triple-colon",
        {"t.yaml": topic(BASIC_CARD, header="subdeck: 'UN:::Agencies'\ncards:\n")},
        [
            "cards/t.yaml:1:1: subdeck 'UN:::Agencies' has ':::'; '::' separates deck levels, like 'Parent::Child', "
            "and a level cannot start or end with ':'"
        ],
    ),
    (
        "subdeck-spaces-around-colons",
        {"t.yaml": topic(BASIC_CARD, header="subdeck: 'UN :: Agencies'\ncards:\n")},
        ["cards/t.yaml:1:1: subdeck 'UN :: Agencies' has spaces around '::'; write 'Parent::Child'"],
    ),
    (
        "subdeck-on-two-lines",
        {"t.yaml": topic(BASIC_CARD, header="subdeck: |\n  UN\n  Agencies\ncards:\n")},
        ["cards/t.yaml:1:1: subdeck 'UN Agencies' spans several lines; write a deck name on one line"],
    ),
    (
        "title-only-colons",
        {"deck.yaml": DECK.replace("title: Test Deck", "title: '::'")},
        [
            "cards/deck.yaml:2:1: title '::' has an empty part around '::'; '::' only separates deck levels, like "
            "'Parent::Child'"
        ],
    ),
    (
        "deck-id-not-a-slug",
        {"deck.yaml": DECK.replace("id: test-deck", "id: Test Deck")},
        [
            "cards/deck.yaml:1:1: deck id 'Test Deck' must be a slug of lowercase letters, digits and hyphens, like "
            "'mission-partners'"
        ],
    ),
    (
        "version-not-numbers",
        {"deck.yaml": DECK.replace('"1.0.0"', "one")},
        ["cards/deck.yaml:3:1: version 'one' must be numbers and dots, like 1.2.0"],
    ),
    (
        "version-of-5000-digits",
        {"deck.yaml": DECK.replace('"1.0.0"', "9" * 5000)},
        [
            "cards/deck.yaml:3:1: version '99999999999999999999999999999999999999999999999999999999999…' must be "
            "numbers and dots, like 1.2.0"
        ],
    ),
    (
        "outcome-key-with-a-space",
        {"deck.yaml": DECK + "  LO 2: Define humanitarian assistance\n"},
        [
            "cards/deck.yaml:4:1: outcome key 'LO 2' has a space or a quote; each card carries it as the tag "
            "'outcome::LO 2' and Anki splits tags on spaces: write it as 'LO-2'"
        ],
    ),
    (
        "unknown-outcome",
        {"t.yaml": card_with("    outcomes: [LO9]")},
        ["cards/t.yaml:8:5: outcome 'LO9' is not in deck.yaml; use one of: LO1"],
    ),
    (
        "unknown-status",
        {"t.yaml": card_with("    status: done")},
        ["cards/t.yaml:8:5: status 'done' is not known; use draft, approved or needs-change"],
    ),
    (
        "approved-without-reviewer",
        {"t.yaml": card_with("    status: approved")},
        ["cards/t.yaml:8:5: an approved card needs 'reviewed_by' and 'reviewed_on'"],
    ),
    (
        "needs-change-without-note",
        {"t.yaml": card_with("    status: needs-change")},
        ["cards/t.yaml:8:5: a card with status needs-change needs a 'review_note' saying what to change"],
    ),
    (
        "fingerprint-not-hex",
        {"t.yaml": card_with("    approved_fingerprint: 12345")},
        [
            "cards/t.yaml:8:5: approved_fingerprint '12345' must be 12 hex digits (0-9, a-f), as the review sheet writes it"
        ],
    ),
    (
        "review-date-that-does-not-exist",
        {"t.yaml": card_with("    reviewed_on: 2026-02-30")},
        ["cards/t.yaml:8:5: reviewed_on '2026-02-30' must be a date like 2026-11-28"],
    ),
    (
        "slide-zero",
        {"t.yaml": replaced("{slide: 2}", "{slide: 0}")},
        ["cards/t.yaml:7:21: 'slide' must be a whole number from 1 up, like 6, not '0'"],
    ),
    (
        "slide-of-5000-digits",
        {"t.yaml": replaced("{slide: 2}", "{slide: " + "9" * 5000 + "}")},
        [
            "cards/t.yaml:7:21: 'slide' must be a whole number from 1 up, like 6, not "
            "'99999999999999999999999999999999999999999999999999999999999…'"
        ],
    ),
    (
        "slide-in-arabic-digits",
        {"t.yaml": replaced("{slide: 2}", "{slide: \u0663}")},
        ["cards/t.yaml:7:21: 'slide' must be a whole number from 1 up, like 6, not '\u0663'"],
    ),
    # --- markup the sanitizer removes, an error with --strict (and always when nothing else is left)
    (
        "question-that-is-only-a-script",
        {"t.yaml": replaced("question: Who leads the UN Country Team?", f"question: '{SCRIPT}'")},
        [
            "cards/t.yaml:5:5: 'question' would be empty once its markup is removed (<script> element); write the "
            "question as text"
        ],
    ),
    (
        "strict-script",
        {"t.yaml": replaced("The Resident Coordinator", f"'The Resident Coordinator {SCRIPT}'")},
        [
            "cards/t.yaml:6:5: 'answer' has markup that will be removed: <script> element; delete it (only plain "
            "formatting is kept)"
        ],
        STRICT,
    ),
    (
        "strict-event-handler",
        {"t.yaml": replaced("The Resident Coordinator", "'The <b onclick=\"steal()\">Resident</b> Coordinator'")},
        [
            "cards/t.yaml:6:5: 'answer' has markup that will be removed: onclick= attribute on <b>; delete it (only "
            "plain formatting is kept)"
        ],
        STRICT,
    ),
    (
        "strict-javascript-image",
        {"t.yaml": replaced("The Resident Coordinator", "'<img src=\"&#106;avascript:alert(1)\">'")},
        [
            "cards/t.yaml:6:5: 'answer' has markup that will be removed: src=\"javascript:alert(1)\" on <img> (only "
            "files bundled with the deck); delete it (only plain formatting is kept)"
        ],
        STRICT,
    ),
    (
        "strict-remote-image-markdown",
        {"t.yaml": replaced("The Resident Coordinator", "'![map](https://evil.example/track.png)'")},
        [
            "cards/t.yaml:6:5: 'answer' has markup that will be removed: src=\"https://evil.example/track.png\" on "
            "<img> (only files bundled with the deck); delete it (only plain formatting is kept)"
        ],
        STRICT,
    ),
    (
        "strict-protocol-relative-image",
        {"t.yaml": replaced("The Resident Coordinator", "'<img src=\"//evil.example/x.png\">'")},
        [
            "cards/t.yaml:6:5: 'answer' has markup that will be removed: src=\"//evil.example/x.png\" on <img> (only "
            "files bundled with the deck); delete it (only plain formatting is kept)"
        ],
        STRICT,
    ),
    (
        "strict-markdown-link",
        {"t.yaml": replaced("The Resident Coordinator", "'[the RC](https://evil.example/login)'")},
        [
            "cards/t.yaml:6:5: 'answer' has markup that will be removed: <a> element; delete it (only plain formatting "
            "is kept)"
        ],
        STRICT,
    ),
    (
        "strict-iframe",
        {"t.yaml": replaced("The Resident Coordinator", "'RC <iframe src=\"https://evil.example\"></iframe>'")},
        [
            "cards/t.yaml:6:5: 'answer' has markup that will be removed: <iframe> element; delete it (only plain "
            "formatting is kept)"
        ],
        STRICT,
    ),
    (
        "strict-html-comment",
        {"t.yaml": replaced("The Resident Coordinator", "'RC <!-- check with DPKO -->'")},
        [
            "cards/t.yaml:6:5: 'answer' has markup that will be removed: an HTML comment; delete it (only plain "
            "formatting is kept)"
        ],
        STRICT,
    ),
    # --- the same rules on an acronym card: other keys, other values, other columns
    (
        "duplicate-key-in-acronym-card",
        {"t.yaml": topic(GOOD_CARD.replace("    term: UNCT\n", "    term: UNCT\n    term: UNDP\n"))},
        ["cards/t.yaml:6:5: duplicate key 'term' in an acronym card (first at line 5); keep only one"],
    ),
    (
        "acronym-id-reused-in-file",
        {"t.yaml": topic(GOOD_CARD, GOOD_CARD)},
        ["cards/t.yaml:9:5: card id 'unct' is already used at cards/t.yaml:3:5; give this card its own id"],
    ),
    (
        "unknown-acronym-key-suggests",
        {"t.yaml": topic(GOOD_CARD.replace("expansion:", "expansoin:"))},
        [
            "cards/t.yaml:3:5: the acronym card 'unct' has no 'expansion'; add 'expansion: ...'",
            "cards/t.yaml:6:5: unknown key 'expansoin' in an acronym card; did you mean 'expansion'?",
        ],
    ),
    (
        "unknown-kind-suggests-acronym",
        {"t.yaml": topic(GOOD_CARD.replace("kind: acronym", "kind: acronim"))},
        ["cards/t.yaml:4:11: unknown card kind 'acronim'; did you mean 'acronym'?"],
    ),
    (
        "acronym-without-source",
        {"t.yaml": topic(GOOD_CARD.replace("    source: {slide: 6}\n", ""))},
        [
            "cards/t.yaml:3:5: the card 'unct' has no 'source'; add 'source: {slide: N, section: ...}' so reviewers "
            "can find it in the training text"
        ],
    ),
    (
        "slide-in-words",
        {"t.yaml": topic(GOOD_CARD.replace("{slide: 6}", "{slide: six}"))},
        ["cards/t.yaml:7:21: 'slide' must be a whole number from 1 up, like 6, not 'six'"],
    ),
    (
        "id-with-capitals-and-space",
        {"t.yaml": topic(GOOD_CARD.replace("id: unct", "id: UNCT card"))},
        [
            "cards/t.yaml:3:5: card id 'UNCT card' must be a slug of lowercase letters, digits and hyphens, like "
            "'unct-benefits'"
        ],
    ),
    (
        "tag-with-space-after-outcomes",
        {"t.yaml": topic(GOOD_CARD + "    tags: [un system]\n")},
        [
            "cards/t.yaml:9:5: tag 'un system' has a space or a quote; Anki splits tags on spaces, write it as "
            "'un-system'"
        ],
    ),
    (
        "tab-indent-in-acronym-card",
        {"t.yaml": topic(GOOD_CARD.replace("    term: UNCT", "\tterm: UNCT"))},
        ["cards/t.yaml:5:1: a tab character; indent with spaces, not tabs"],
    ),
    (
        "unclosed-quote-in-acronym-card",
        {"t.yaml": topic(GOOD_CARD.replace("term: UNCT", 'term: "UNCT'))},
        ['cards/t.yaml:5:11: a quote " opened here is never closed; end the text with "'],
    ),
    (
        "python-object-tag-in-acronym-card",
        {"t.yaml": topic(GOOD_CARD.replace("term: UNCT", "term: !!python/object/apply:os.system [ls]"))},
        [
            "cards/t.yaml:5:11: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in card "
            "files; remove it"
        ],
    ),
    (
        "every-problem-in-one-run",
        {
            "t.yaml": topic(GOOD_CARD.replace("[LO1]", "[LO8]"), GOOD_CARD.replace("[LO1]", "[LO9]")),
            "u.yaml": "subdeck: B\ncards:\n  - id: x\n",
        },
        [
            "cards/t.yaml:8:5: outcome 'LO8' is not in deck.yaml; use one of: LO1",
            "cards/t.yaml:9:5: card id 'unct' is already used at cards/t.yaml:3:5; give this card its own id",
            "cards/t.yaml:14:5: outcome 'LO9' is not in deck.yaml; use one of: LO1",
            "cards/u.yaml:3:5: the card has no 'kind'; add 'kind:' with one of: acronym, basic, cloze",
        ],
    ),
    # --- files and folders
    (
        "symlink-out-of-the-folder",
        {"t.yaml": Symlink("/etc/passwd")},
        ["cards/t.yaml: the file links outside the card folder; copy it into the folder instead of linking to it"],
    ),
    (
        "symlink-up-with-dotdot",
        {"t.yaml": Symlink("../outside.yaml"), "../outside.yaml": topic(BASIC_CARD)},
        ["cards/t.yaml: the file links outside the card folder; copy it into the folder instead of linking to it"],
    ),
    (
        "symlink-loop",
        {"t.yaml": Symlink("t.yaml")},
        ["cards/t.yaml: cannot read the file: Too many levels of symbolic links"],
    ),
    (
        "dangling-symlink",
        {"t.yaml": Symlink("gone.yaml")},
        ["cards/t.yaml: cannot read the file: No such file or directory"],
    ),
    (
        "named-pipe",
        {"t.yaml": Fifo()},
        ["cards/t.yaml: not a regular file; card files must be ordinary text files"],
    ),
    (
        "folder-named-like-a-card-file",
        {"t.yaml": Folder()},
        ["cards/t.yaml: not a regular file; card files must be ordinary text files"],
    ),
    (
        "deck-file-is-a-folder",
        {"deck.yaml": Folder()},
        ["cards/deck.yaml: not a regular file; card files must be ordinary text files"],
    ),
    (
        "card-folder-is-a-file",
        {},
        ["cards/deck.yaml: not a folder of card files; give the folder that holds deck.yaml"],
        ["build", "cards/deck.yaml", "-o", "dist"],
    ),
    (
        "card-folder-missing",
        {},
        ["nowhere: not a folder of card files; give the folder that holds deck.yaml"],
        ["build", "nowhere", "-o", "dist"],
    ),
    (
        "path-through-dotdot",
        {"t.yaml": replaced("kind: basic", "kind: basik"), "../elsewhere/.keep": ""},
        ["cards/t.yaml:4:11: unknown card kind 'basik'; did you mean 'basic'?"],
        ["build", "elsewhere/../cards", "-o", "dist"],
    ),
]


def _write(path: Path, content: Content) -> None:
    if path.is_file():
        path.unlink()
    if content is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Symlink):
        path.symlink_to(content.target)
    elif isinstance(content, Sparse):
        with path.open("wb") as stream:
            stream.truncate(content.size)
    elif isinstance(content, Fifo):
        os.mkfifo(path)
    elif isinstance(content, Folder):
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A good build of the table's deck, to pre-fill each row's dist/ with."""
    folder = tmp_path_factory.mktemp("good")
    _write(folder / "cards" / "deck.yaml", DECK)
    _write(folder / "cards" / "t.yaml", topic(BASIC_CARD))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(BUILD_TIME))
        build(folder / "cards", folder / "dist")
    return folder / "dist"


def _rows() -> Iterator[object]:
    for case in CASES:
        name, files, expected, *rest = case
        yield pytest.param(files, expected, rest[0] if rest else CARDS, id=name)


def _write_set(folder: Path, files: dict[str, Content]) -> None:
    _write(folder / "cards" / "deck.yaml", DECK)
    for name, content in files.items():
        _write(folder / "cards" / name, content)


@pytest.mark.parametrize(("files", "expected", "args"), list(_rows()))
def test_bad_input_is_found_by_check(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, Content],
    expected: list[str],
    args: list[str],
) -> None:
    """In this process, through the checking every command runs: every error, in order, word for word (a build
    that fails shows no warnings, and this table has none to show)."""
    _write_set(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    cards = args[args.index("-o") - 1]

    checked = check(Path(cards), strict="--strict" in args)

    assert [str(problem) for problem in checked.errors] == expected


@pytest.mark.parametrize(("files", "expected", "args"), list(_rows()))
def test_bad_input_stops_the_build_and_changes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    good_build: Path,
    files: dict[str, Content],
    expected: list[str],
    args: list[str],
) -> None:
    """Through the command line: exit 1, nothing on stdout, exactly the problems on stderr, dist/ untouched."""
    _write_set(tmp_path, files)
    shutil.copytree(good_build, tmp_path / "dist")
    before = snapshot(tmp_path / "dist")
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(main, args)

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    noun = "problem" if len(expected) == 1 else "problems"
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "\n".join(expected) + f"\nfailed: {len(expected)} {noun}\n",
    )
    assert "Traceback" not in result.output
    assert snapshot(tmp_path / "dist") == before


def test_the_table_is_large_and_distinct() -> None:
    names = [case[0] for case in CASES]
    assert len(set(names)) == len(names) >= 60


# (id, files, exact warnings): worth saying, not worth stopping for; `validate` exits 0 and prints them on stderr.
WARNING_CASES: list[tuple[str, dict[str, Content], list[str]]] = [
    (
        "approved-without-fingerprint",
        {"t.yaml": card_with("    status: approved\n    reviewed_by: J. Doe\n    reviewed_on: 2026-11-20")},
        [
            "cards/t.yaml:8:5: warning: an approved card without 'approved_fingerprint' (what was approved) counts "
            "as needing re-review; approve it through the review sheet (flashcards review --apply), or add "
            "'approved_fingerprint: a7b73599083f' if this text is what J. Doe approved"
        ],
    ),
    (
        "card-longer-than-a-phone-screen",
        {"t.yaml": replaced("The Resident Coordinator", "word " * 90)},
        [
            "cards/t.yaml:3:5: warning: the card has 479 characters, more than fits a phone screen (400); split it or "
            "shorten it"
        ],
    ),
    (
        "markup-removed",
        {"t.yaml": replaced("The Resident Coordinator", f"'The Resident Coordinator {SCRIPT}'")},
        [
            "cards/t.yaml:6:5: warning: 'answer' has markup that will be removed: <script> element; delete it (only "
            "plain formatting is kept)"
        ],
    ),
    (
        "topic-without-cards",
        {"t.yaml": "subdeck: A\ncards: []\n", "u.yaml": topic(BASIC_CARD)},
        ["cards/t.yaml:1:1: warning: the topic file has no cards; add cards or delete the file"],
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), [case[1:] for case in WARNING_CASES], ids=[case[0] for case in WARNING_CASES]
)
def test_warnings_do_not_stop_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, Content], expected: list[str]
) -> None:
    _write_set(tmp_path, files)
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(main, ["validate", "cards"])

    assert (result.exit_code, result.stderr) == (0, "\n".join(expected) + "\n")
    assert result.stdout.startswith("ok: ") and result.stdout.endswith(f", {len(expected)} warning\n")


def test_a_byte_order_mark_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_set(tmp_path, {"t.yaml": b"\xef\xbb\xbf" + topic(GOOD_CARD).encode()})
    monkeypatch.chdir(tmp_path)
    checked = check(Path("cards"))
    assert checked.problems == [] and checked.deck is not None and checked.deck.cards[0].id == "unct"
