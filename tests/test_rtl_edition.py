"""An Arabic edition reads right to left on a 360 px phone, light and night, without scrolling sideways: every
side of every card as the real Anki engine renders it, laid out by Debian's Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
import pytest

from tests.anki_engine import fresh_collection, import_apkg
from tests.phone_screen import MODES, Screen, chromium, page_html, phone_context
from tests.support import DECK, card_set, run, topic

CARDS = """\
  - id: dsrsg
    kind: acronym
    term: DSRSG/RC/HC
    expansion: Deputy Special Representative of the Secretary-General, Resident Coordinator, Humanitarian Coordinator
    explanation: One person wears the three hats.
    source: {slide: 12, section: Integration}
    outcomes: [LO1]
  - id: unct-role
    kind: basic
    question: Who leads the UN Country Team?
    answer: The Resident Coordinator
    extra: "- plans with the agencies\\n- reports to the Secretary-General"
    source: {slide: 7}
    outcomes: [LO1]
  - id: partners
    kind: cloze
    text: The mission works with {{c1::the UN Country Team}} and {{c2::national actors}}.
    source: {slide: 8}
    outcomes: [LO1]
"""

ARABIC = {
    "deck.title": "مجموعة الاختبار",
    "outcome.LO1": "شرح النهج المتكامل",
    "label.what_it_stands_for": "ماذا يعني؟",
    "label.which_acronym": "أي اختصار؟",
    "label.slide": "الشريحة",
    "subdeck.Acronyms": "الاختصارات",
    "dsrsg.term": "DSRSG/RC/HC",
    "dsrsg.expansion": "نائب الممثل الخاص للأمين العام، والمنسق المقيم، ومنسق الشؤون الإنسانية",
    "dsrsg.explanation": "شخص واحد يجمع المهامّ الثلاث: DSRSG/RC/HC/DSRSG/RC/HC/DSRSG/RC/HC",
    "unct-role.question": "من يقود فريق الأمم المتحدة القطري؟",
    "unct-role.answer": "المنسق المقيم",
    "unct-role.extra": "- يخطط مع الوكالات\n- يرفع تقاريره إلى الأمين العام",
    "partners.text": "تعمل البعثة مع {{c1::فريق الأمم المتحدة القطري}} ومع {{c2::الجهات الفاعلة الوطنية}}.",
}

PHONE = Screen(360, 640, 3)

# Each side in #qa in turn: the direction and alignment the card's text gets, and the page's width.
MEASURE_JS = r"""
async (sides) => {
  const results = [];
  const qa = document.getElementById('qa');
  for (const html of sides) {
    qa.innerHTML = html;
    await new Promise(requestAnimationFrame);
    const edition = qa.querySelector('.edition');
    const texts = [...qa.querySelectorAll('.text, ul')].map(e => getComputedStyle(e).textAlign);
    results.push({
      lang: edition && edition.getAttribute('lang'),
      direction: edition && getComputedStyle(edition).direction,
      textAligns: texts,
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    });
  }
  return results;
}
"""


def arabic_sides(tmp_path: Path) -> list[str]:
    cards = card_set(tmp_path, {"01-partners.yaml": topic(CARDS)}, deck=DECK + "languages: [ar]\n")
    assert run("translations", "update", str(cards))[0] == 0
    catalog = polib.pofile(str(cards / "translations" / "ar.po"), wrapwidth=0)
    for entry in catalog:
        entry.msgstr = ARABIC[entry.msgctxt]
    catalog.save()
    code, _, stderr = run("build", str(cards), "-o", str(tmp_path / "dist"))
    assert code == 0 and "ar.po" not in stderr, stderr
    collection = fresh_collection(tmp_path)
    import_apkg(collection, tmp_path / "dist" / "test-deck.ar.apkg")
    cards_shown = [collection.get_card(cid) for cid in collection.find_cards("")]
    return [html for card in cards_shown for html in (card.question(), card.answer())]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.slow
def test_an_arabic_edition_reads_right_to_left_on_a_phone(tmp_path: Path, mode: str) -> None:
    sides = arabic_sides(tmp_path)
    assert len(sides) == 2 * 5
    with chromium() as browser:
        page: Any = phone_context(browser, PHONE).new_page()
        page.set_content(page_html("", mode))
        measured = page.evaluate(MEASURE_JS, sides)
    for html, side in zip(sides, measured, strict=True):
        assert (side["lang"], side["direction"]) == ("ar", "rtl"), html
        assert all(align in ("right", "start") for align in side["textAligns"]), (side, html)
        assert side["scrollWidth"] <= PHONE.width and side["innerWidth"] == PHONE.width, (side, html)
    assert any(side["textAligns"] for side in measured), "the cloze text and the list were measured"
