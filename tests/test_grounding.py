"""The grounding check: a card's answer side against the passage of the slide it cites, in a small text of our own
(tests/data/grounding/unit.txt) laid out as the course notes are: slide 12's mark above its title, its notes
after it, slide 14's title and bullets before its mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.checking.grounding import check_grounding
from exporter.checking.training_text import Material
from exporter.errors import Location
from exporter.model import Card, Deck, Review, Source, Topic
from tests.support import DATA, card_set, run

TEXT = DATA / "grounding" / "unit.txt"
MATERIAL = Material.parse(TEXT.read_text(encoding="utf-8"))
IASC = {"term": "IASC", "expansion": "Inter-Agency Standing Committee"}


def _card(fields: dict[str, str], source: Source) -> Card:
    kind = "acronym" if "term" in fields else "cloze" if "text" in fields else "basic"
    return Card("c", kind, fields, "S", (), source, (), Review(), Location("t.yaml", 3, 5), {})


def _deck(*cards: Card) -> Deck:
    topic = Topic("t.yaml", "S", (), cards, Location("t.yaml"))
    return Deck("d", "D", "1", "", "", "", {}, (topic,), Location("deck.yaml"))


def test_slide_passages_follow_the_marks() -> None:
    passages = {number: MATERIAL.slide_passage(number) for number in (11, 12, 13, 14)}
    assert passages == {11: range(1, 7), 12: range(7, 19), 13: range(19, 23), 14: range(23, 32)}


@pytest.mark.parametrize(
    "fields, slide, message",
    [
        ({"question": "Q?", "answer": "Saving lives and alleviating suffering."}, 12, None),
        (
            {"question": "Q?", "answer": "Saving lives and alleviating suffering."},
            13,
            "card 'c': 4 of the 4 words of its answer side ('saving', 'lives', 'alleviating', 'suffering') are not "
            "in slide 13's passage (lines 19-22); these words are at line 13, under Slide 12: cite slide 12?",
        ),
        (
            {
                "question": "Which principle gives priority to the most urgent cases of distress?",
                "answer": "Impartiality.",
            },
            13,
            "card 'c': 6 of the 7 words of its answer side ('principle', 'gives', 'priority', 'urgent', 'cases', "
            "'distress') are not in slide 13's passage (lines 19-22); these words are at line 17, under Slide 12: "
            "cite slide 12?",
        ),
        ({"text": "The principles: {{c1::humanity}}, {{c2::neutrality}}, {{c3::impartiality}}."}, 12, None),
        (
            {"text": "The principles: {{c1::humanity}}, {{c2::neutrality}}, {{c3::impartiality}}."},
            13,
            "card 'c': 1 of the 3 words of its answer side ('humanity') are not in slide 13's passage "
            "(lines 19-22); these words are at lines 13-17, under Slide 12: cite slide 12?",
        ),
        (IASC, 12, None),
        (
            IASC,
            13,
            "card 'c': 4 of the 4 words of its answer side ('inter', 'agency', 'standing', 'committee') are not in "
            "slide 13's passage (lines 19-22); these words are at line 15, under Slide 12: cite slide 12?",
        ),
        ({"question": "Q?", "answer": "Direct implementation and programme aid."}, 14, None),
        ({"question": "Q?", "answer": "Direct implementation.", "extra": "Since 2019 it is called X."}, 14, None),
        (
            {"question": "Q?", "answer": "Funding appeals.", "extra": "Donors pay."},
            14,
            "card 'c': 4 of the 4 words of its answer side ('funding', 'appeals', 'donors', 'pay') are not in "
            "slide 14's passage (lines 23-31); no other slide has more of them: check the card against the text",
        ),
    ],
    ids=[
        "right-slide",
        "wrong-slide",
        "short-answer-asked-by-question",
        "cloze-right",
        "cloze-wrong",
        "acronym-right",
        "acronym-wrong",
        "bullets-before-the-mark",
        "later-fact-in-extra",
        "nowhere",
    ],
)
def test_grounding(fields: dict[str, str], slide: int, message: str | None) -> None:
    (grounding,) = check_grounding(MATERIAL, _deck(_card(fields, Source(slide, "S"))))
    if message is None:
        assert grounding.grounded, grounding.message()
    else:
        assert (grounding.grounded, str(grounding.problem())) == (False, f"t.yaml:3:5: warning: {message}")


def test_a_card_without_a_slide_is_not_checked() -> None:
    card = _card({"question": "Q?", "answer": "Funding appeals."}, Source(None, "Mission Partners"))
    assert check_grounding(MATERIAL, _deck(card)) == ()


def test_coverage_warns_with_the_place(tmp_path: Path) -> None:
    acronyms = "".join(
        f"  - id: {term.lower()}\n    kind: acronym\n    term: {term}\n    expansion: {term} expanded\n"
        f"    source: {{slide: {slide}}}\n    outcomes: [LO1]\n"
        for term, slide in [("NGO", 11), ("OXFAM", 11), ("IASC", 12)]
    )
    cards = card_set(
        tmp_path,
        {
            "01-h.yaml": "subdeck: H\ncards:\n  - id: aims\n    kind: basic\n"
            "    question: What do humanitarian activities aim at?\n"
            "    answer: Saving lives and alleviating suffering.\n    source: {slide: 13}\n    outcomes: [LO1]\n",
            "02-acronyms.yaml": "subdeck: A\ncards:\n" + acronyms,
        },
        deck='id: g\ntitle: G\nversion: "1.0.0"\ndescription: d\nsource: {title: T}\noutcomes: {LO1: o}\n',
    )
    assert run("coverage", str(cards), "--source", str(TEXT)) == (
        0,
        f"ok: every one of the 3 acronyms in {TEXT} has a card, and every card's source is in it, 1 warning\n",
        f"{cards / '01-h.yaml'}:7:5: warning: card 'aims': 4 of the 4 words of its answer side ('saving', 'lives', "
        "'alleviating', 'suffering') are not in slide 13's passage (lines 19-22); these words are at line 13, under "
        "Slide 12: cite slide 12?\n",
    )
