"""Every card of the shipped deck on a phone: rendered by the real engine, laid out by headless Chromium.

Each side of each card is placed in a page the way the phone apps build it (tests/phone_screen.py) and measured
at 360×640 and 412×915, light and night: nothing wider than the screen, text large enough, contrast ≥ 4.5:1.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from exporter.kinds import NOTE_TYPES
from exporter.notetypes import CSS
from tests.phone_screen import (
    MEASURE_JS,
    MODES,
    SCREENS,
    Screen,
    Side,
    batches,
    chromium,
    engine_sides,
    page_html,
    phone_context,
)

ROOT = Path(__file__).parent.parent
VALID = Path(__file__).parent / "data" / "valid"

#: Body text: the issue's floor (our CSS sets 20 px, which AnkiDroid's zoom then scales).
MIN_TEXT_PX = 16
#: The kind label ("WHICH ACRONYM?") and the source line are meant small: labels read in passing, not study
#: text, and smaller than the answer so the eye lands on the answer first. The platforms' own caption and
#: footnote styles are 12–13 px; we hold these to 14 px because learners read them on dim screens at night.
SMALL_SELECTOR = ".kind, .source"
MIN_SMALL_PX = 14
#: WCAG 2.x AA for normal text, in both modes, for every element with text.
MIN_CONTRAST = 4.5
#: Sides per page evaluation: a few pages, not one per card.
BATCH = 400


def _png(width: int, height: int) -> bytes:
    """A real PNG of one colour, wider than any phone when width is large."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = (b"\x00" + b"\x30\x60\x90" * width) * height
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# Cards that push the layout: unbreakable acronym chains and URLs, a wide image, every inline tag the sanitizer
# lets through, a cloze hint, a list. The shipped deck may not have these yet; a trainer may write them tomorrow.
_STRESS_DECK = """\
id: phone-stress
title: "Phone Stress"
version: "1.0.0"
description: "Cards that push a 360-px screen."
source: {title: "Unit 3, Part 2: Working with Mission Partners", document: "UN Core Pre-Deployment Training"}
outcomes: {LO1: "Read every card on a small phone"}
"""
_STRESS_TOPIC = """\
subdeck: Stress
cards:
  - id: acronym-chain
    kind: acronym
    term: UNMISS/UNDP/UNICEF/UNHCR/WFP/OCHA/IOM/UNFPA/UNESCO
    expansion: The mission and the agencies, funds and programmes of the UN Country Team in South Sudan
    explanation: "Abbreviations such as DSRSG/RC/HC and SRSG/DSRSG(RC/HC)/UNCT must wrap."
    source: {slide: 9, section: "AVeryLongSectionTitleWithoutAnySpacesThatMustStillWrapOnAPhone"}
    outcomes: [LO1]
  - id: long-url
    kind: basic
    question: "Where is it? https://peacekeeping.un.org/sites/default/files/core_pre-deployment_training_materials_unit_3_part_2_working_with_mission_partners.pdf"
    answer: "Menschenrechtsbeobachtungskoordinierungsstellenleiterstellvertreterin"
    extra: "<code>DSRSG/RC/HC-coordination-mechanism-reference-code-0123456789</code>, <mark>marked</mark>, <small>small</small>, H<sub>2</sub>O, m<sup>2</sup>, **bold**, *italic*"
    source: {slide: 16}
    outcomes: [LO1]
  - id: wide-image
    kind: basic
    question: "![A map wider than any phone](wide.png)\\nWhich county is shaded?"
    answer: |
      - Lofa County, in the north-west, bordering both Guinea and Sierra Leone
      - and a second item that is long enough to wrap over several lines
    source: {section: Maps}
    outcomes: [LO1]
  - id: cloze-hint
    kind: cloze
    text: "{{c1::OCHA::a UN office}} coordinates humanitarian action; {{c2::UNHCR}} protects refugees."
    extra: "1. first\\n2. second"
    source: {slide: 15}
    outcomes: [LO1]
"""


@pytest.fixture(scope="module")
def new_phone_page() -> Iterator[Any]:
    """One browser for the module; a context per screen, made on first use."""
    with chromium() as browser:
        contexts: dict[Screen, Any] = {}

        def new_page(screen: Screen) -> Any:
            if screen not in contexts:
                contexts[screen] = phone_context(browser, screen)
            return contexts[screen].new_page()

        yield new_page


@pytest.fixture(scope="module")
def card_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[Side], Path]]:
    """Both sides of every card of the shipped deck, the small test deck and the stress deck, from the engine."""
    stress = tmp_path_factory.mktemp("stress-cards")
    (stress / "deck.yaml").write_text(_STRESS_DECK, encoding="utf-8")
    (stress / "01-stress.yaml").write_text(_STRESS_TOPIC, encoding="utf-8")
    (stress / "media").mkdir()
    (stress / "media" / "wide.png").write_bytes(_png(1600, 120))
    return {
        name: engine_sides(cards, tmp_path_factory.mktemp(name))
        for name, cards in (("shipped", ROOT / "cards"), ("valid", VALID), ("stress", stress))
    }


@pytest.fixture(scope="module")
def measured(new_phone_page: Any, card_sets: dict[str, tuple[list[Side], Path]]) -> Any:
    """Measure every side on a screen in a mode, once per module: (card set, side label) → what the page showed."""
    cache: dict[tuple[Screen, str], dict[tuple[str, str], dict[str, Any]]] = {}

    def measure(screen: Screen, mode: str) -> dict[tuple[str, str], dict[str, Any]]:
        if (screen, mode) not in cache:
            results = {}
            page = new_phone_page(screen)
            for name, (sides, media) in card_sets.items():
                # The page lives in the collection's media folder, as the apps' pages do: images resolve.
                blank = media / f"_phone-{mode}.html"
                blank.write_text(page_html("", mode), encoding="utf-8")
                page.goto(blank.as_uri())
                for batch in batches(sides, BATCH):
                    found = page.evaluate(
                        MEASURE_JS,
                        {
                            "sides": [{"label": s.label, "html": s.html} for s in batch],
                            "smallSelector": SMALL_SELECTOR,
                            "screenWidth": screen.width,
                        },
                    )
                    results.update({(name, item["label"]): item for item in found})
            page.close()
            cache[screen, mode] = results
        return cache[screen, mode]

    return measure


SCREEN_MODES = [pytest.param(screen, mode, id=f"{screen.name}-{mode}") for screen in SCREENS for mode in MODES]


def _report(failures: list[str], screen: Screen, mode: str) -> str:
    shown = "\n".join(failures[:40]) + (f"\n… and {len(failures) - 40} more" if len(failures) > 40 else "")
    return f"{len(failures)} problems at {screen.name} {mode}:\n{shown}"


@pytest.mark.slow
def test_every_card_is_measured(card_sets: dict[str, tuple[list[Side], Path]]) -> None:
    shipped, _ = card_sets["shipped"]
    assert len(shipped) >= 2 * 300, "the shipped deck has 334 cards; where did they go?"
    assert {side.side for side in shipped} == {"question", "answer"}
    assert len(card_sets["valid"][0]) == 2 * 9 and len(card_sets["stress"][0]) == 2 * 6


@pytest.mark.parametrize(("screen", "mode"), SCREEN_MODES)
@pytest.mark.slow
def test_nothing_is_wider_than_the_screen(measured: Any, screen: Screen, mode: str) -> None:
    failures = []
    for (name, label), page in measured(screen, mode).items():
        if page["scrollWidth"] > screen.width or page["innerWidth"] != screen.width:
            failures.append(
                f"{name} {label}: the page scrolls sideways ({page['scrollWidth']} px of content, "
                f"{page['innerWidth']} px layout width, on a {screen.width} px screen)"
            )
        failures.extend(f"{name} {label}: {element}" for element in page["overflowing"])
    assert not failures, _report(failures, screen, mode)


@pytest.mark.parametrize(("screen", "mode"), SCREEN_MODES)
def test_text_is_large_enough(measured: Any, screen: Screen, mode: str) -> None:
    failures = []
    for (name, label), page in measured(screen, mode).items():
        for text in page["texts"]:
            floor = MIN_SMALL_PX if text["small"] else MIN_TEXT_PX
            if text["size"] < floor:
                failures.append(
                    f"{name} {label}: {text['element']} {text['text']!r} is {text['size']} px, under {floor} px"
                )
    assert not failures, _report(failures, screen, mode)


@pytest.mark.parametrize(("screen", "mode"), SCREEN_MODES)
def test_text_contrast_is_at_least_4_5(measured: Any, screen: Screen, mode: str) -> None:
    failures = []
    for (name, label), page in measured(screen, mode).items():
        for text in page["texts"]:
            if text["contrast"] < MIN_CONTRAST:
                failures.append(
                    f"{name} {label}: {text['element']} {text['text']!r} has contrast "
                    f"{text['contrast']:.2f} ({text['color']} on {text['background']})"
                )
    assert not failures, _report(failures, screen, mode)


@pytest.mark.parametrize("mode", MODES)
def test_every_kind_of_text_is_checked(measured: Any, mode: str) -> None:
    """The checks above saw each styled piece of text (not a page of nothing), in both modes."""
    seen = {text["element"] for page in measured(SCREENS[0], mode).values() for text in page["texts"]}
    for element in (
        "div.kind",
        "div.prompt",
        "div.term",
        "div.answer",
        "div.extra",
        "div.source",
        "div.prompt.text",
        "span.cloze",
        "span.cloze-inactive",
        "code",
        "mark",
        "small",
        "sub",
        "li",
    ):
        assert element in seen, f"no {element} with text was measured"
    hints = [
        text
        for page in measured(SCREENS[0], mode).values()
        for text in page["texts"]
        if text["text"] == "[a UN office]"
    ]
    assert hints and all(text["element"] == "span.cloze" for text in hints)


def test_source_is_shown_small_on_the_answer_side_only(measured: Any) -> None:
    failures = []
    for (name, label), page in measured(SCREENS[0], "light").items():
        if label.endswith(" question") and page["sources"]:
            failures.append(f"{name} {label}: the question shows the source")
        if label.endswith(" answer"):
            if page["sources"] != 1:
                failures.append(f"{name} {label}: {page['sources']} source lines on the answer")
            elif page["sourceSize"] >= MIN_TEXT_PX:
                failures.append(f"{name} {label}: the source is {page['sourceSize']} px, not small")
    assert not failures, "\n".join(failures[:40])


def test_no_scripts_reach_the_page(measured: Any) -> None:
    pages = measured(SCREENS[0], "light")
    assert [label for (_, label), page in pages.items() if page["scripts"]] == []


def test_templates_have_no_scripts() -> None:
    for note_type in NOTE_TYPES.values():
        for template in note_type.templates:
            for html in (template.question, template.answer):
                assert "<script" not in html.lower(), f"{note_type.name} / {template.name}"
                assert not re.search(r"\son\w+\s*=", html, re.IGNORECASE), f"{note_type.name} / {template.name}"


def test_css_is_offline_and_styles_both_night_modes() -> None:
    lowered = CSS.lower()
    assert "@import" not in lowered and "url(" not in lowered and "@font-face" not in lowered
    assert ".nightmode" in lowered and ".night_mode" in lowered
