"""The review page, task first: what to check and how to answer, a contents list with counts, each card titled by
what it asks, light by default, the whole passage a card cites with the words the text lacks marked, and a
verdict box per card on paper with no card cut between pages (read back from Chromium's PDF).

Browser tests open Debian's Chromium; without it they skip, except under CI=true where they fail.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from exporter.pipeline.build import build
from tests.support import DATA, VARIED_TEXT, copy_card_set, edit, run


def page_html(tmp_path: Path, *options: str, cards: Path | None = None) -> str:
    """The review page of cards (a copy of the varied set if none) against VARIED_TEXT."""
    cards = cards or copy_card_set(DATA / "varied", tmp_path / "cards")
    source = tmp_path / "unit.txt"
    source.write_text(VARIED_TEXT, encoding="utf-8")
    output = tmp_path / "out" / "review.html"
    code, _, err = run("review", str(cards), "-o", str(output), "--source", str(source), *options)
    assert (code, err) == (0, "")
    return output.read_text(encoding="utf-8")


def card_part(html: str, card_id: str) -> str:
    start = html.index(f'id="card-{card_id}"')
    return html[start : html.index("</article>", start)]


def test_task_first_then_contents_with_counts(tmp_path: Path) -> None:
    html = page_html(tmp_path)
    top = html[: html.index("<main>")]
    assert top.index('<section class="rv-box rv-task"><h2>Your task</h2>') < top.index(
        "<h2>Contents: 6 cards</h2>"
    )
    assert top.index("<h2>Contents") < top.index("<h2>At a glance</h2>")
    assert "<p><b>For each card, check:</b></p><ol><li>Is the answer correct and complete" in top
    assert "tick <b>Approve</b> or <b>Needs change</b>, write your name and the date" in top
    assert (
        '<thead><tr><th>Subdeck</th><th class=rv-n>Cards</th><th class="rv-n rv-state-draft">draft</th>'
        '<th class="rv-n rv-state-approved">approved</th></tr></thead><tbody>'
        '<tr><td><a href="#subdeck-1">Titles &amp; roles</a></td><td class=rv-n>2</td><td class=rv-n>1</td>'
        "<td class=rv-n>1</td></tr>"
        '<tr><td><a href="#subdeck-2">Principles</a></td><td class=rv-n>4</td><td class=rv-n>3</td>'
        "<td class=rv-n>1</td></tr></tbody>"
        "<tfoot><tr><th>All</th><th class=rv-n>6</th><th class=rv-n>4</th><th class=rv-n>2</th></tr></tfoot>"
    ) in top
    assert '<h2 class="rv-subdeck" id="subdeck-2">Principles</h2>' in html


def test_status_limits_the_page_and_its_contents(tmp_path: Path) -> None:
    html = page_html(tmp_path, "--status", "draft")
    assert "<h2>Contents: 4 cards (of 6 in the deck)</h2>" in html
    assert "<tfoot><tr><th>All</th><th class=rv-n>4</th><th class=rv-n>4</th></tr></tfoot>" in html
    shown = [part.split('"', 1)[0] for part in html.split('id="card-')[1:]]
    assert shown == ["ngo", "principles-hinted", "icrc-status", "long-answer"]


def test_each_card_is_titled_by_what_it_asks(tmp_path: Path) -> None:
    html = page_html(tmp_path)
    titles = {
        "dsrsg-rc-hc": "DSRSG/RC/HC",
        "principles-hinted": "Aid follows […], [not taking sides] and [by need]; […] comes first.",
        "icrc-status": "The […] is &quot;neither part of the UN nor an NGO&quot; – it is […].",
        "delivery-ways": "Which four ways do agencies deliver aid?",
    }
    for card_id, title in titles.items():
        assert (
            f'<h3 class="rv-title">{title}</h3><span class="rv-id" title="the card reference">ref. {card_id}'
            "</span>"
        ) in card_part(html, card_id)


def test_the_whole_passage_with_the_cards_words_and_the_answer_words_the_text_lacks(tmp_path: Path) -> None:
    html = page_html(tmp_path)
    principles = card_part(html, "principles-hinted")
    # the whole block of slide 12: the line before its mark that it shares with slide 11, its mark, its notes
    assert [f"line {number}</span>" in principles for number in range(5, 12)] == [False] + [True] * 5 + [False]
    assert (
        '<span class="rv-line">line 9</span>Humanitarian assistance <mark>follows</mark> <mark>humanity</mark>, '
        "<mark>neutrality</mark> and <mark>impartiality</mark>.</p>"
    ) in principles
    assert "every word of it is in this passage." in principles
    # an acronym's expansion: words the text does not have are marked
    acronym = card_part(html, "dsrsg-rc-hc")
    missing = '<mark class="rv-not-in-text" title="not in the training text word for word">'
    elsewhere = '<mark class="rv-elsewhere" title="in the training text, but not in this passage">'
    assert f"<b>Answer:</b> Deputy {missing}Special</mark> {missing}Representative</mark> of the" in acronym
    assert (
        '<span class="rv-answer-note"><span class="rv-not-in-text">the expansion is not written out in the training '
        'text</span>; <span class="rv-elsewhere">3 words are in the training text, but not in this passage</span>; '
        '<span class="rv-not-in-text">10 words are not in the training text word for word</span>'
    ) in acronym
    # the explanation is on the answer side too; "UN" is found as "United Nations" (slide 11's title)
    assert (
        f"the {elsewhere}mission&#x27;s</mark> deputy {missing}head</mark> &amp; the {elsewhere}UN&#x27;s"
        in acronym
    )
    # a section's passage; the extra's words elsewhere in the text, or nowhere in it
    icrc = card_part(html, "icrc-status")
    assert (
        'unit.txt: What Are Humanitarian Activities? (line 8)<span class="rv-screen-only">, the whole passage'
    ) in icrc
    assert f"— {missing}Médecins</mark> {missing}Sans</mark> {missing}Frontières</mark> {elsewhere}works" in icrc
    assert "<mark>UN</mark> nor an <mark>NGO</mark>" in icrc
    # a card citing a slide the text lacks has no passage
    assert "rv-excerpt" not in card_part(html, "long-answer")


@pytest.mark.slow
def test_light_by_default_and_night_on_request(browser: Any, tmp_path: Path) -> None:
    page_html(tmp_path)
    context = browser.new_context(viewport={"width": 412, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto((tmp_path / "out" / "review.html").as_uri())
    look = "() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    assert page.evaluate(look) == ["rgb(243, 243, 241)", "rgb(26, 26, 26)"]
    assert page.locator(".rv-light .card").first.is_visible()
    assert not page.locator(".rv-night .card").first.is_visible()
    page.check("#rv-night")
    assert page.locator(".rv-night .card").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    context.close()


def _released_then_edited(tmp_path: Path) -> Path:
    """The varied set built (a release in out/), then one acronym's expansion changed and one card added."""
    cards = copy_card_set(DATA / "varied", tmp_path / "cards")
    build(cards, tmp_path / "out")
    titles = cards / "01-titles.yaml"
    edit(titles, "expansion: Non-governmental organization", "expansion: Non-governmental organisation")
    with titles.open("a", encoding="utf-8") as file:
        file.write(
            "  - id: added-card\n    kind: basic\n    question: Who leads the UNCT?\n"
            "    answer: The Resident Coordinator\n    source: {slide: 9}\n    outcomes: [LO1]\n"
        )
    return cards


def printed_pages(browser: Any, path: Path, *, only_changed: bool) -> tuple[list[list[str]], list[str]]:
    """The cards shown when printing (id, break-inside, verdict box display) and each PDF page's text."""
    from pypdf import PdfReader

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    if only_changed:
        page.check("#rv-only-changed")
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('article.rv-card')].filter(el => el.offsetParent)
        .map(el => [el.dataset.card, getComputedStyle(el).breakInside,
                    getComputedStyle(el.querySelector('.rv-verdict')).display])""")
    # NFKC: the PDF's text writes "fi" as a ligature
    pages = [
        unicodedata.normalize("NFKC", item.extract_text())
        for item in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    ]
    page.close()
    return shown, pages


def assert_one_page_each(pages: list[str], card_ids: list[str]) -> None:
    """Each card's head and its verdict box, at its end, are on the same page: no card is cut."""
    for card_id in card_ids:
        heads = [number for number, text in enumerate(pages) if f"ref. {card_id}" in text]
        verdicts = [number for number, text in enumerate(pages) if f"Verdict on {card_id}" in text]
        assert len(heads) == 1 and heads == verdicts, (card_id, heads, verdicts)
    assert sum(text.count("Verdict on") for text in pages) == len(card_ids)


@pytest.mark.slow
def test_printed_changed_cards_each_have_a_verdict_box_on_one_page(browser: Any, tmp_path: Path) -> None:
    page_html(tmp_path, cards=_released_then_edited(tmp_path))
    shown, pages = printed_pages(browser, tmp_path / "out" / "review.html", only_changed=True)
    assert shown == [["ngo", "avoid", "block"], ["added-card", "avoid", "block"]]
    assert_one_page_each(pages, ["ngo", "added-card"])
    assert sum(text.count("Approve") for text in pages) == 2 + 1  # and once in the task box


@pytest.mark.slow
def test_every_printed_card_fits_on_one_page(browser: Any, tmp_path: Path) -> None:
    # the tallest: an acronym (two Anki cards) and a cloze with three deletions, each with its whole passage
    page_html(tmp_path)
    shown, pages = printed_pages(browser, tmp_path / "out" / "review.html", only_changed=False)
    assert {display for _, _, display in shown} == {"block"}
    assert_one_page_each(pages, [card_id for card_id, _, _ in shown])
    assert len(shown) == 6
    # on paper a card cites its passage's lines rather than printing pages of speaker's notes
    printed = " ".join(" ".join(pages).split())
    assert "unit.txt: Slide 12 (line 7), lines 6–10 (not printed, to keep each card on one page" in printed
    assert "Humanitarian assistance follows humanity" not in printed


def test_an_expansion_whose_words_are_in_the_text_but_not_written_out_is_marked(tmp_path: Path) -> None:
    cards = copy_card_set(DATA / "varied", tmp_path / "cards")
    written_out = card_part(page_html(tmp_path, cards=cards), "ngo")
    assert "every word of it is in this passage." in written_out
    assert "not written out" not in written_out
    source = tmp_path / "apart.txt"
    source.write_text(
        VARIED_TEXT.replace(
            "Non-governmental organizations (NGOs)", "Organizations that are non-governmental (NGOs)"
        ),
        encoding="utf-8",
    )
    output = tmp_path / "apart" / "review.html"
    assert run("review", str(cards), "-o", str(output), "--source", str(source))[0] == 0
    apart = card_part(output.read_text(encoding="utf-8"), "ngo")
    assert "<b>Answer:</b> Non-governmental organization<br>" in apart  # each word is in the passage
    assert (
        '<span class="rv-answer-note"><span class="rv-not-in-text">the expansion is not written out in the '
        "training text</span>: check these facts.</span>"
    ) in apart
