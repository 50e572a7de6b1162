"""A card set written by an attacker (tests/data/attacks), built and imported into Anki's real engine: what the
learner's phone would render holds no script, handler, link, remote or data: resource, and every harmless
marker and cloze deletion is still there."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from exporter.pipeline.build import build
from exporter.pipeline.checked_stream import check
from exporter.rendering.sanitizing import is_local_path
from tests.anki_engine import card_html, fresh_collection, import_apkg, visible_text
from tests.support import DATA, copy_card_set

ATTACKS = DATA / "attacks"
#: Elements no card may contain, whoever wrote it.
FORBIDDEN_ELEMENTS = (
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "base",
    "a",
    "video",
    "audio",
    "textarea",
    "noscript",
    "template",
    "marquee",
    "details",
    "frame",
    "frameset",
    "applet",
)
#: Text that only the attacks carry: schemes and the attacker's host. (What the scripts call, alert(1), may remain
#: as inert text where a broken tag was shown as text, like "&lt;img ... onerror=alert(1)"; never in markup.)
FORBIDDEN_TEXT = ("javascript:", "vbscript:", "data:", "evil.example", "http:", "https:")


class _Markup(HTMLParser):
    """Every element and attribute of a card's HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


@pytest.fixture(scope="module")
def rendered_cards(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, str]]:
    """(note's first field, question HTML, answer HTML) of every card, as the engine renders them."""
    folder = tmp_path_factory.mktemp("attacks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1764000000")
        build(ATTACKS, folder / "dist", cache=False)  # never write into tests/data
    collection = fresh_collection(folder)
    try:
        import_apkg(collection, folder / "dist" / "attack-deck.apkg")
        cards = [collection.get_card(card_id) for card_id in collection.find_cards("")]
        return [(card.note().fields[0], card_html(card.question()), card_html(card.answer())) for card in cards]
    finally:
        collection.close()


def test_every_card_arrives(rendered_cards: list[tuple[str, str, str]]) -> None:
    # 6 basic notes and an acronym (2 cards each), a cloze note with three deletions (3 cards)
    assert len(rendered_cards) == 6 * 1 + 2 + 3


def test_no_attack_survives_rendering(rendered_cards: list[tuple[str, str, str]]) -> None:
    for _, question, answer in rendered_cards:
        for html in (question, answer):
            markup = _Markup()
            markup.feed(html)
            assert not set(markup.elements) & set(FORBIDDEN_ELEMENTS), html
            for tag, name, value in markup.attributes:
                assert not name.startswith("on") and name not in (
                    "style",
                    "href",
                    "srcset",
                    "action",
                    "formaction",
                    "longdesc",
                    "srcdoc",
                ), (tag, name, html)
                if name == "src":
                    assert is_local_path(value) and ":" not in value, html
                assert "alert(" not in value and "msgbox(" not in value, html
            lowered = html.lower()
            assert "<script" not in lowered and not re.search(r"<[^>]*\son\w+\s*=", lowered), html
            for text in FORBIDDEN_TEXT:
                assert text not in lowered, (text, html)


def test_the_harmless_text_remains(rendered_cards: list[tuple[str, str, str]]) -> None:
    shown = " ".join(visible_text(question) + " " + visible_text(answer) for _, question, answer in rendered_cards)
    alt_texts = " ".join(re.findall(r'alt="([^"]*)"', " ".join(answer for _, _, answer in rendered_cards)))
    markers = set(re.findall(r"SAFE-\d\d", shown + " " + alt_texts))
    assert markers == {f"SAFE-{number:02d}" for number in range(1, 31)}


def test_cloze_deletions_survive(rendered_cards: list[tuple[str, str, str]]) -> None:
    cloze = [(question, answer) for first, question, answer in rendered_cards if first.startswith("SAFE-29")]
    assert len(cloze) == 3
    answers = " ".join(visible_text(answer) for _, answer in cloze)
    for word in ("humanity", "neutrality", "impartiality"):
        assert word in answers
    assert all("[...]" in visible_text(question) or "[a hint]" in visible_text(question) for question, _ in cloze)


def test_a_bundled_picture_is_kept_without_its_handlers(rendered_cards: list[tuple[str, str, str]]) -> None:
    pictures = re.findall(r"<img [^>]*>", " ".join(question + answer for _, question, answer in rendered_cards))
    assert any(re.fullmatch(r'<img src="pixel-[0-9a-f]{12}\.png" alt="SAFE-06 picture">', tag) for tag in pictures)


def test_every_attacked_field_is_reported(tmp_path: Path) -> None:
    cards = copy_card_set(ATTACKS, tmp_path / "cards")
    warned = check(cards).warnings
    strict = check(cards, strict=True).errors
    removed = [problem for problem in warned if "markup that will be removed" in problem.message]
    # 3 fields in each of 5 basic notes, the unclosed-markup note's script, 3 acronym fields, 2 cloze fields
    assert len(removed) == 5 * 3 + 1 + 3 + 2
    assert [problem.location for problem in strict] == [problem.location for problem in removed]
