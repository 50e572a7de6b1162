"""The review page in a real browser: every card as the engine renders it, beside its source, offline, on A4.

Browser tests open Debian's Chromium; without it they skip, except under CI=true where they fail.
docs/screenshots/make_review_screenshots.py takes the screenshots of the page for people to look at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from exporter.kinds import NOTE_TYPES
from exporter.pipeline.build import build
from exporter.pipeline.checked_stream import check
from exporter.rendering.notes import note_guid
from tests.anki_engine import card_html, fresh_collection, import_apkg, notes_by_guid
from tests.support import DATA, VALID, VARIED_TEXT, copy_card_set, run, shipped

ROOT = Path(__file__).parent.parent

#: A4 at 96 px per inch, less the page's 12 mm margins: the printable width and height.
A4_WIDTH, A4_HEIGHT = round((210 - 24) / 25.4 * 96), round((297 - 24) / 25.4 * 96)


def engine_html(tmp_path: Path, cards: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """(card id, ordinal) → the question and answer HTML Anki's engine renders from the built package."""
    built = build(cards, tmp_path / "engine-dist")
    collection = fresh_collection(tmp_path)
    try:
        import_apkg(collection, tmp_path / "engine-dist" / f"{built.deck.id}.apkg")
        by_guid = notes_by_guid(collection)
        return {
            (note.card.id, card.ord): (card_html(card.question()), card_html(card.answer()))
            for note in shipped(check(cards))
            for card in by_guid[note_guid(built.deck.id, note.card.id)].cards()
        }
    finally:
        collection.close()


def write_page(cards: Path, output: Path, *options: str) -> Path:
    code, out, err = run("review", str(cards), "-o", str(output), *options)
    assert (code, err) == (0, ""), err
    return output


def open_page(browser: Any, path: Path, **context: object) -> tuple[Any, list[str]]:
    """The page loaded in a fresh context, and every URL it asked for."""
    page = browser.new_context(**context).new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri())
    return page, requested


@pytest.mark.parametrize("cards", [VALID, DATA / "varied", ROOT / "cards"], ids=["valid", "varied", "shipped"])
@pytest.mark.slow
def test_every_card_appears_as_the_engine_renders_it(browser: Any, tmp_path: Path, cards: Path) -> None:
    copy = copy_card_set(cards, tmp_path / "cards")
    expected = engine_html(tmp_path, copy)
    path = write_page(copy, tmp_path / "out" / "review.html")
    page, requested = open_page(browser, path)
    shown = page.evaluate("""() => [...document.querySelectorAll('.rv-phone > .card')].map(el =>
        [el.dataset.card, Number(el.dataset.ord), el.dataset.side, el.dataset.mode, el.innerHTML])""")
    assert sorted({(card_id, ordinal) for card_id, ordinal, *_ in shown}) == sorted(expected)
    assert len(shown) == 4 * len(expected)  # question and answer, light and night
    # The browser's own serialization of the engine's HTML: the same string if and only if the same markup.
    as_parsed = page.evaluate(
        """htmls => htmls.map(html => {
        const holder = document.createElement('div'); holder.innerHTML = html; return holder.innerHTML; })""",
        [html for pair in expected.values() for html in pair],
    )
    parsed = dict(zip([html for pair in expected.values() for html in pair], as_parsed, strict=True))
    for card_id, ordinal, side, mode, inner in shown:
        question, answer = expected[card_id, ordinal]
        assert inner == parsed[question if side == "question" else answer], (card_id, ordinal, side, mode)
    source_text = path.read_text(encoding="utf-8")
    for (card_id, ordinal), (question, answer) in expected.items():  # and byte for byte in the file
        for side, html in (("question", question), ("answer", answer)):
            assert (
                f'data-card="{card_id}" data-ord="{ordinal}" data-side="{side}" data-mode="light">{html}</div>'
                in source_text
            )
    deck = check(copy).deck
    assert deck is not None
    sources = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('article.rv-card')].map(
        el => [el.dataset.card, el.querySelector('.rv-meta').innerText]))""")
    assert set(sources) == {card.id for card in deck.cards}
    for card in deck.cards:
        assert f"Source\n{card.source.describe()}" in sources[card.id]
    assert requested == [path.as_uri()]


@pytest.mark.slow
def test_page_fits_a_phone_and_prints_on_a4(browser: Any, tmp_path: Path) -> None:
    source = tmp_path / "unit.txt"
    source.write_text(VARIED_TEXT, encoding="utf-8")
    cards = copy_card_set(DATA / "varied", tmp_path / "cards")
    path = write_page(cards, tmp_path / "out" / "review.html", "--source", str(source))
    phone, requested = open_page(browser, path, viewport={"width": 360, "height": 640}, device_scale_factor=2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.locator(".rv-light .card").first.is_visible()
    assert not phone.locator(".rv-night .card").first.is_visible()  # night mode only on request
    print_view, _ = open_page(browser, path, viewport={"width": A4_WIDTH, "height": A4_HEIGHT})
    print_view.emulate_media(media="print")
    layout = print_view.evaluate("""() => ({
        night: [...document.querySelectorAll('.rv-night, .rv-controls')].every(el => !el.offsetParent),
        cards: [...document.querySelectorAll('.rv-card')].map(el => getComputedStyle(el).breakInside),
        blocks: [...document.querySelectorAll('.rv-anki')].map(el => [getComputedStyle(el).breakInside,
                  el.getBoundingClientRect().height]),
        width: document.documentElement.scrollWidth})""")
    assert layout["night"]
    assert layout["width"] <= A4_WIDTH
    # No Anki card is cut: each is shorter than a page and asks not to be broken, as does each card definition
    # (one taller than a page, like a cloze with three deletions, breaks only between its Anki cards).
    assert set(layout["cards"]) == {"avoid"}
    assert {style for style, _ in layout["blocks"]} == {"avoid"}
    assert max(height for _, height in layout["blocks"]) < A4_HEIGHT
    pdf = print_view.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and 2 <= len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) <= 12
    assert requested == [path.as_uri()]


@pytest.mark.slow
def test_css_switches_hide_night_mode_and_unchanged_cards(browser: Any, tmp_path: Path) -> None:
    out_dir = _released_then_edited(tmp_path)
    page, _ = open_page(browser, write_page(tmp_path / "cards", out_dir / "review.html"))
    assert _visible(page, "article.rv-card") == 6 and _visible(page, ".rv-night .card") == 0
    page.check("#rv-night")
    assert _visible(page, ".rv-night .card") == 2 * 11
    page.uncheck("#rv-night")
    assert _visible(page, ".rv-night .card") == 0 and _visible(page, ".rv-light .card") == 2 * 11
    page.check("#rv-only-changed")
    assert sorted(
        page.evaluate("""() => [...document.querySelectorAll('article.rv-card')]
        .filter(el => el.offsetParent).map(el => el.dataset.card)""")
    ) == ["added-card", "ngo"]


def _visible(page: Any, selector: str) -> int:
    return int(
        page.evaluate("s => [...document.querySelectorAll(s)].filter(el => el.offsetParent).length", selector)
    )


def _released_then_edited(tmp_path: Path) -> Path:
    """The varied set built (a release in out/), then: one answer changed, one card added, one removed."""
    cards = copy_card_set(DATA / "varied", tmp_path / "cards")
    out_dir = tmp_path / "out"
    build(cards, out_dir)
    titles = cards / "01-titles.yaml"
    titles.write_text(
        titles.read_text(encoding="utf-8").replace(
            "expansion: Non-governmental organization", "expansion: Non-governmental organisation"
        )
        + (
            "  - id: added-card\n    kind: basic\n    question: Who leads the UNCT?\n    answer: The Resident Coordinator\n"
            "    source: {slide: 9}\n    outcomes: [LO1]\n"
        ),
        encoding="utf-8",
    )
    principles = cards / "02-principles.yaml"
    text = principles.read_text(encoding="utf-8")
    principles.write_text(text[: text.index("  - id: long-answer")], encoding="utf-8")
    return out_dir


def test_changes_since_the_last_release_are_marked(tmp_path: Path) -> None:
    out_dir = _released_then_edited(tmp_path)
    html = write_page(tmp_path / "cards", out_dir / "review.html").read_text(encoding="utf-8")
    assert "<h2>Changes since release 2.1.0 (not built yet)</h2>" in html
    assert '<p><b>Added (1):</b> <a href="#card-added-card">added-card</a></p>' in html
    assert '<li><a href="#card-ngo">ngo</a>: Expansion</li>' in html
    assert "<li><code>long-answer</code>: Question: What must peacekeeping personnel remember" in html
    assert '<article class="rv-card rv-changed" id="card-ngo"' in html
    assert '<span class="rv-badge rv-changed-badge">changed</span>' in html
    assert '<article class="rv-card rv-changed" id="card-added-card"' in html
    assert '<article class="rv-card" id="card-dsrsg-rc-hc"' in html
    assert "<dt>Changed</dt><dd><b>Expansion</b>, was: Non-governmental organization</dd>" in html


def test_after_the_first_release_nothing_is_marked(tmp_path: Path, built_valid: Path, valid_cards: Path) -> None:
    html = write_page(valid_cards, built_valid / "review.html").read_text(encoding="utf-8")
    assert f"<p>Release 1.0.0 in {built_valid} is the first one: every card was new in it" in html
    assert "rv-changed" not in html.split("<main>")[1]


def test_status_filter_and_summary(tmp_path: Path) -> None:
    output = tmp_path / "review.html"
    cards = copy_card_set(DATA / "varied", tmp_path / "cards")
    assert run("review", str(cards), "-o", str(output), "--status", "approved") == (
        0,
        f"wrote {output}: 2 card definitions (3 Anki cards), 4 of 6 awaiting review\n",
        "",
    )
    html = output.read_text(encoding="utf-8")
    assert [part.split('"', 1)[0] for part in html.split('<article class="rv-card" id="card-')[1:]] == [
        "dsrsg-rc-hc",
        "delivery-ways",
    ]
    assert (
        "<b>6</b> card definitions make <b>11</b> Anki cards. <b>4</b> await review (draft), <b>2</b> approved"
        in html
    )
    assert "<dd>approved by Ana O&#x27;Neil on 2026-11-21</dd>" in html
    assert f"No release ledger in {tmp_path}: nothing to compare with" in html


def test_excerpts_and_warnings_beside_each_card(tmp_path: Path) -> None:
    source = tmp_path / "unit.txt"
    source.write_text(VARIED_TEXT, encoding="utf-8")
    cards = copy_card_set(DATA / "varied", tmp_path / "cards")
    html = write_page(cards, tmp_path / "review.html", "--source", str(source)).read_text(encoding="utf-8")
    card = html[html.index('id="card-icrc-status"') : html.index('id="card-delivery-ways"')]
    assert (
        '<figcaption>unit.txt: What Are Humanitarian Activities? (line 8)<span class="rv-screen-only">, the whole '
        "passage; the card's words are highlighted</span>"
    ) in card
    assert '<blockquote><p><span class="rv-line">line 8</span>What Are Humanitarian Activities?</p>' in card
    assert (
        '<p><span class="rv-line">line 10</span>The <mark>ICRC</mark> is <mark>neither</mark> <mark>part</mark> '
        "of the <mark>UN</mark> nor an <mark>NGO</mark>; it is <mark>neutral</mark> and <mark>independent</mark>."
        "</p></blockquote>"
    ) in card
    # each card's grounding beside its passage, escaped; a card citing a section alone is not checked
    assert (
        '<p class="rv-grounding">Grounding: not checked (the card cites no slide of the text)</p></figure>' in card
    )
    principles = html[html.index('id="card-principles-hinted"') : html.index('id="card-icrc-status"')]
    assert (
        '<p class="rv-grounding rv-grounded">Grounding: grounded: its answer is in slide 12&#x27;s passage '
        "(lines 6-10)</p></figure>"
    ) in principles
    long_card = html[html.index('id="card-long-answer"') :]
    assert "card &#x27;long-answer&#x27;: slide 16 is not in" in long_card
    assert "warning: the card has 501 characters" in long_card
    assert "&#x27;extra&#x27; has markup that will be removed: &lt;a&gt; element" in html
    assert (
        '<p>4 of the 6 acronyms it uses have no card:</p><ul class="rv-list"><li><b>SRSG</b>: 1× from line 3</li>'
        "<li><b>UN</b>: 2× from line 4</li><li><b>OXFAM</b>: 1× from line 6</li><li><b>ICRC</b>: 1× from line 10"
        "</li></ul>"
    ) in html


def test_page_is_self_contained_with_images_inline(browser: Any, tmp_path: Path) -> None:
    cards = copy_card_set(VALID, tmp_path / "cards")
    (cards / "media").mkdir()
    (cards / "media" / "map.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360f8cf00000301"
            "0100c9fe92ef0000000049454e44ae426082"
        )
    )
    topic = cards / "01-acronyms.yaml"
    topic.write_text(
        topic.read_text(encoding="utf-8").replace(
            "expansion: Office for the Coordination of Humanitarian Affairs",
            'expansion: Office for the Coordination of Humanitarian Affairs <img src="map.png" alt="map">',
        ),
        encoding="utf-8",
    )
    path = write_page(cards, tmp_path / "out" / "review.html")
    html = path.read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,iVBORw0KGgo' in html
    for forbidden in ("<script", "<link", "@import", 'src="http', "url(http"):
        assert forbidden not in html
    page, requested = open_page(browser, path)
    assert page.evaluate("[...document.images].every(img => img.complete && img.naturalWidth === 1)")
    assert requested == [path.as_uri()] + [url for url in requested[1:] if url.startswith("data:")]


def test_a_changed_look_is_listed_without_marking_cards(built_valid: Path, valid_cards: Path) -> None:
    ledger = built_valid / "ledger.json"
    data = json.loads(ledger.read_text(encoding="utf-8"))
    data["note_types"][str(NOTE_TYPES["cloze"].id)]["hash"] = "0" * 16  # as if the cloze styling had changed
    ledger.write_text(json.dumps(data), encoding="utf-8")
    html = write_page(valid_cards, built_valid / "review.html").read_text(encoding="utf-8")
    assert (
        "<h2>Changes since release 1.0.0 (not built yet)</h2>\n<p>Changes to how whole decks or kinds of card "
        'look on the phone:</p><ul class="rv-list"><li>Peacekeeping Cloze: templates or styling changed</li></ul>'
    ) in html
    assert "rv-changed" not in html.split("<main>")[1]


def test_review_refuses_cards_with_errors(valid_cards: Path, tmp_path: Path) -> None:
    topic = valid_cards / "02-principles.yaml"
    topic.write_text(
        topic.read_text(encoding="utf-8").replace("{{c1::humanity}}", "{{c1::humanity"), encoding="utf-8"
    )
    code, out, err = run("review", str(valid_cards), "-o", str(tmp_path / "out" / "review.html"))
    assert (code, out) == (1, "")
    assert err == (
        f"{topic}:6:5: a cloze deletion is nested inside another; nested deletions are not supported here (the "
        "checks and the review page read one deletion at a time), so write them one after the other\n"
        "failed: 1 problem\n"
    )
    assert not (tmp_path / "out").exists()


def test_just_built_shows_what_the_last_release_changed(tmp_path: Path) -> None:
    out_dir = _released_then_edited(tmp_path)
    deck_file = tmp_path / "cards" / "deck.yaml"
    deck_file.write_text(deck_file.read_text(encoding="utf-8").replace('"2.1.0"', '"2.2.0"'), encoding="utf-8")
    build(tmp_path / "cards", out_dir)
    html = write_page(tmp_path / "cards", out_dir / "review.html").read_text(encoding="utf-8")
    assert "<h2>Changes in release 2.2.0 (2025-11-24), the last one built</h2>" in html
    assert '<li><a href="#card-ngo">ngo</a>: Expansion</li>' in html
    assert [part.split('"', 1)[0] for part in html.split('<article class="rv-card rv-changed" id="card-')[1:]] == [
        "ngo",
        "added-card",
    ]
