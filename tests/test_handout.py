"""`flashcards handout`: printable fold-over cards from the HTML the phone shows. Printed by Chromium on A4, the
page count is the one the cards' boxes make, and no card is cut across two pages."""

from __future__ import annotations

import base64
import re
from collections import Counter
from pathlib import Path

import pytest

from exporter.writers.handout import answer_part
from tests.phone_screen import PHONE_WIDTHS, offline_page_on_phones, printed_pages
from tests.support import GOOD_CARD, card_set, run, tiny_png, topic

#: The printable area of A4 with the handout's 12 mm margins, in CSS px (96 per inch).
_PX_PER_MM = 96 / 25.4
PRINT_WIDTH, PRINT_HEIGHT = 186 * _PX_PER_MM, 273 * _PX_PER_MM


def _varied_cards(count: int) -> str:
    """Basic cards whose answers grow longer and shorter, so page ends fall in many places of a card."""
    cards = []
    for number in range(count):
        words = " ".join(["an answer that wraps over several lines"] * (1 + number * 7 % 9))
        cards.append(
            f"  - id: card-{number}\n    kind: basic\n    question: Question number {number}?\n"
            f'    answer: "Answer {number}: {words}."\n    extra: "Said on slide {number}."\n'
            "    source: {slide: 6}\n    outcomes: [LO1]\n"
        )
    return "".join(cards)


def _topic_file(cards: str) -> dict[str, str]:
    return {"01-cards.yaml": topic(cards, header="subdeck: Cards\ncards:\n")}


def test_the_handout_shows_each_anki_card_as_question_and_answer(tmp_path: Path, valid_cards: Path) -> None:
    output = tmp_path / "out" / "handout.html"
    code, stdout, _ = run("handout", str(valid_cards), "-o", str(output))
    page = output.read_text(encoding="utf-8")

    assert code == 0
    count = page.count('<section class="ho-card"')
    assert stdout == f"wrote {output}: {count} cards to print on A4, cut and fold\n"
    assert "<script" not in page.lower() and "night" not in page.replace("nightMode", "").replace("night_mode", "")
    # an acronym makes two cards; a cloze is its gap on the left, its answer on the right
    assert page.count('aria-label="unct (Acronyms, ') == 2
    cloze = page.split('aria-label="principles-cloze (Humanitarian principles, Cloze 1)"', 1)[1].split(
        "</section>"
    )[0]
    question, answer = cloze.split('<div class="ho-side ho-answer">')
    assert (
        re.sub(r"<[^>]*>", "", question)
        == ">5/9The three humanitarian principles: [...], neutrality and impartiality."
    )
    assert '<span class="cloze" data-ordinal="1">humanity</span>' in answer


def test_an_answer_side_drops_its_copy_of_the_question() -> None:
    assert answer_part('<div class="term">UNCT</div><hr id="answer"><div class="answer">Team</div>') == (
        '<div class="answer">Team</div>'
    )
    assert answer_part('<div class="prompt text">A <span class="cloze">gap</span></div>') == (
        '<div class="prompt text">A <span class="cloze">gap</span></div>'
    )


@pytest.mark.slow
def test_the_handout_reads_on_a_phone_and_prints_without_cutting_a_card(tmp_path: Path) -> None:
    cards = card_set(tmp_path, _topic_file(GOOD_CARD + _varied_cards(40)))
    output = tmp_path / "handout.html"
    assert run("handout", str(cards), "-o", str(output))[0] == 0

    assert offline_page_on_phones(output) == {width: (width, []) for width in PHONE_WIDTHS}
    pages = printed_pages(output, tmp_path / "handout.pdf")
    total = 42  # the acronym's two cards and forty questions
    assert len(pages) == _pages_the_boxes_make(output) >= 4
    # every card's number is printed twice, at the top of its question and the foot of its answer: both on the
    # same page, and each card on one page only
    numbers = [Counter(re.findall(rf"(?<!\d)(\d+)/{total}(?!\d)", text)) for text in pages]
    assert all(set(found.values()) == {2} for found in numbers), numbers
    assert sorted(int(number) for found in numbers for number in found) == list(range(1, total + 1))


def test_a_picture_prints_inline_and_a_sound_leaves_no_play_button(tmp_path: Path) -> None:
    card = (
        "  - id: liberia\n    kind: basic\n    question: |\n      ![Map of Liberia](liberia.png)\n"
        "      Which country is this?\n    answer: Liberia\n    extra: '[sound:briefing.mp3]'\n"
        "    source: {slide: 16}\n    outcomes: [LO1]\n"
    )
    cards = card_set(tmp_path, _topic_file(card))
    (cards / "media").mkdir()
    (cards / "media" / "liberia.png").write_bytes(tiny_png(200))
    (cards / "media" / "briefing.mp3").write_bytes(b"ID3\x03\x00\x00\x00\x00\x00\x00fake audio")
    output = tmp_path / "handout.html"
    assert run("handout", str(cards), "-o", str(output))[0] == 0
    page = output.read_text(encoding="utf-8")

    picture = base64.b64encode(tiny_png(200)).decode("ascii")
    # once: the answer side's copy of the question is not printed
    assert page.count(f'<img src="data:image/png;base64,{picture}" alt="Map of Liberia">') == 1
    assert "anki:play" not in page and "briefing" not in page


def test_a_card_set_with_errors_gets_no_handout(tmp_path: Path) -> None:
    cards = card_set(tmp_path, _topic_file(GOOD_CARD.replace("    expansion: United Nations Country Team\n", "")))
    code, _, errors = run("handout", str(cards), "-o", str(tmp_path / "handout.html"))

    assert code == 1
    assert "01-cards.yaml:" in errors and "expansion" in errors
    assert not (tmp_path / "handout.html").exists()


def _pages_the_boxes_make(page_path: Path) -> int:
    """How many A4 pages the header and the cards fill when no card may be cut: their heights as the print
    layout gives them, laid on pages one after another."""
    from tests.phone_screen import chromium

    with chromium() as browser:
        page = browser.new_page(viewport={"width": round(PRINT_WIDTH), "height": 1000})
        page.goto(page_path.as_uri())
        page.emulate_media(media="print")
        heights = page.evaluate(
            "[...document.querySelectorAll('.ho-head, .ho-card')].map(e => e.getBoundingClientRect().height)"
        )
    pages, filled = 1, 0.0
    for height in heights:
        assert height <= PRINT_HEIGHT, "a card taller than a page"
        if filled and filled + height > PRINT_HEIGHT:
            pages, filled = pages + 1, 0.0
        filled += height
    return pages
