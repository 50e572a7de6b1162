"""What changed since a card's approval, word by word (checking/approval_changes.py), and its HTML for the review
page (writers/approval_diff.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.checking.approval_changes import SideChange, Words, approval_changes, word_changes
from exporter.model import Card
from exporter.pipeline.checked_stream import check
from exporter.reading.approved_texts import approved_text
from exporter.writers.approval_diff import changed_since_approval_html, side_change_html, source_edits_html
from tests.support import GOOD_CARD_PRINT, card_set, edit, topic

S, R, A = "same", "removed", "added"
# (id, approved text, text now, the runs)
WORDS = [
    ("one-word", "United Nations Country Team", "United Nations Country Office", [(S, "United Nations Country "), (R, "Team"), (A, "Office")]),
    ("punctuation-marks-its-word", "UN, EU.", "UN; EU.", [(R, "UN,"), (A, "UN;"), (S, " EU.")]),
    ("neighbours-marked-once", "a b c", "x y c", [(R, "a b"), (A, "x y"), (S, " c")]),
    ("added-at-the-end", "Team", "Team of all", [(S, "Team"), (A, " of all")]),
    ("removed-at-the-start", "The whole team", "team", [(R, "The whole "), (S, "team")]),
    ("from-nothing", "", "new text", [(A, "new text")]),
    ("to-nothing", "old text", "", [(R, "old text")]),
    ("lines", "One\n• two", "One\n• three\n• four", [(S, "One\n• "), (R, "two"), (A, "three\n• four")]),
    ("same", "same words", "same words", [(S, "same words")]),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "runs"), [case[1:] for case in WORDS], ids=[case[0] for case in WORDS])
def test_word_changes(old: str, new: str, runs: list[tuple[str, str]]) -> None:
    changes = word_changes(old, new)

    assert [(words.change, words.text) for words in changes] == runs
    assert "".join(words.text for words in changes if words.change != A) == old
    assert "".join(words.text for words in changes if words.change != R) == new


def test_the_html_marks_removed_and_added_words_escaped() -> None:
    old, new = "Use <b> & keep\nline two", "Use <i> & keep\nline 2"
    change = SideChange("Back", word_changes(old, new))

    assert side_change_html(change) == (
        '<p class="rv-approved"><b>Back as approved:</b> Use <del>&lt;b&gt;</del> &amp; keep<br>line '
        "<del>two</del></p>\n"
        '<p class="rv-now"><b>Back now:</b> Use <ins>&lt;i&gt;</ins> &amp; keep<br>line <ins>2</ins></p>'
    )
    assert change.old_lines()[1] == [Words(S, "line "), Words(R, "two")]


CARD = """\
  - id: unct
    kind: acronym
    term: UNCT
    expansion: United Nations Country Team
    source: {slide: 6}
    status: approved
    reviewed_by: J. Doe
    reviewed_on: 2026-11-20
"""
APPROVED_PRINT = GOOD_CARD_PRINT


def _cards(tmp_path: Path, fingerprint: str = APPROVED_PRINT) -> tuple[Path, Card]:
    cards = card_set(tmp_path, {"a.yaml": topic(CARD + f'    approved_fingerprint: "{fingerprint}"\n')})
    return cards, _card(cards)


def _card(cards: Path) -> Card:
    deck = check(cards).deck
    assert deck is not None
    return deck.cards[0]


def test_the_page_html_of_a_card_moved_and_changed(tmp_path: Path) -> None:
    cards, approved = _cards(tmp_path)
    edit(cards / "a.yaml", "Country Team", "Country & Office")
    edit(cards / "a.yaml", "subdeck: Acronyms", "subdeck: Terms")

    changes = approval_changes([_card(cards)], {"unct": approved_text(approved)})

    assert changed_since_approval_html(changes.re_review[0]) == (
        '<p class="rv-approved"><b>Subdeck:</b> <del>Acronyms</del> <ins>Terms</ins></p>\n'
        '<p class="rv-approved"><b>Back as approved:</b> United Nations Country <del>Team</del></p>\n'
        '<p class="rv-now"><b>Back now:</b> United Nations Country <ins>&amp; Office</ins></p>'
    )


@pytest.mark.parametrize("kept_under", ["old-unct", "unct"])
def test_the_kept_text_is_found_under_the_id_the_card_was_renamed_from(tmp_path: Path, kept_under: str) -> None:
    cards, approved = _cards(tmp_path)
    edit(cards / "a.yaml", "id: unct", "id: unct-team\n    renamed_from: old-unct")
    edit(cards / "a.yaml", "Country Team", "Country Office")

    changes = approval_changes([_card(cards)], {kept_under: approved_text(approved)})

    item = changes.re_review[0]
    assert (item.approved is not None) == (kept_under == "old-unct")


def test_a_kept_text_that_is_not_the_approved_one_is_not_shown(tmp_path: Path) -> None:
    cards, approved = _cards(tmp_path)
    kept = approved_text(approved)
    edit(cards / "a.yaml", "Country Team", "Country Office")
    edit(cards / "a.yaml", APPROVED_PRINT, "0123456789ab")  # approved by hand since: another text

    changes = approval_changes([_card(cards)], {"unct": kept})

    assert [(item.card.id, item.approved, item.sides) for item in changes.re_review] == [("unct", None, ())]
    assert "the approved text was not kept" in changed_since_approval_html(changes.re_review[0])


def test_a_source_only_edit_is_listed_apart(tmp_path: Path) -> None:
    cards, approved = _cards(tmp_path)
    edit(cards / "a.yaml", "{slide: 6}", "{slide: 7, section: Partners}")

    changes = approval_changes([_card(cards)], {"unct": approved_text(approved)})

    assert changes.re_review == ()
    assert [(edit.card.id, edit.old_source, edit.new_source) for edit in changes.source_only] == [
        ("unct", "Slide 6", "Slide 7 · Partners")
    ]
    assert source_edits_html(changes.source_only) == (
        "<p>Approved cards whose source line alone changed since the approval: the approval stands.</p>\n"
        '<ul class="rv-source-edits">\n'
        '<li><a href="#card-unct">unct</a>: <del>Slide 6</del> <ins>Slide 7 · Partners</ins></li>\n'
        "</ul>"
    )
    assert source_edits_html(()) == ""
