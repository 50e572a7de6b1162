"""Markdown in text fields: rendered, sanitized after rendering, and plain text left exactly as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.pipeline.build import build
from exporter.rendering.notes import note_guid
from exporter.rendering.text_format import field_html
from tests.anki_engine import card_html, fresh_collection, import_apkg, notes_by_guid

CASES = [
    ("plain", "The UN Country Team, in one country.", "The UN Country Team, in one country."),
    ("emphasis", "Aid is *neutral* and **impartial**", "Aid is <em>neutral</em> and <strong>impartial</strong>"),
    ("line-break", "first line\nsecond line", "first line<br>second line"),
    (
        "bullet-list",
        "Clusters:\n- health\n- shelter",
        "<p>Clusters:</p>\n<ul>\n<li>health</li>\n<li>shelter</li>\n</ul>",
    ),
    ("numbered-list", "1. assess\n2. plan", "<ol>\n<li>assess</li>\n<li>plan</li>\n</ol>"),
    ("raw-html-kept", "the <b>host</b> government", "the <b>host</b> government"),
    ("script-removed-after-rendering", "*x* <script>alert(1)</script>", "<em>x</em>"),
    ("markdown-link-removed", "[site](https://example.org)", "site"),
    ("javascript-link-left-as-text", "[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("escaped-text", "5 < 6 & 7 > 2", "5 &lt; 6 &amp; 7 &gt; 2"),
    (
        "cloze-survives",
        "The {{c1::*host*::who}} and {{c2::x_y}}",
        "The {{c1::<em>host</em>::who}} and {{c2::x_y}}",
    ),
    ("slashes-untouched", "DSRSG/RC/HC", "DSRSG/RC/HC"),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_field_html(text: str, expected: str) -> None:
    assert field_html(text) == expected


def test_markdown_list_reaches_the_learner(tmp_path: Path, valid_cards: Path) -> None:
    (valid_cards / "03-lists.yaml").write_text(
        "subdeck: Lists\ncards:\n  - id: cluster-examples\n    kind: basic\n"
        "    question: Name *two* cluster sectors.\n    answer: |\n      Any two of:\n      - health\n"
        "      - shelter\n      - water and sanitation\n    source: {slide: 14}\n"
    )
    out = tmp_path / "dist"
    build(valid_cards, out)
    col = fresh_collection(tmp_path)
    import_apkg(col, out / "test-deck.apkg")
    (card,) = notes_by_guid(col)[note_guid("test-deck", "cluster-examples")].cards()
    assert card_html(card.question()) == '<div class="prompt">Name <em>two</em> cluster sectors.</div>'
    assert (
        '<div class="answer"><p>Any two of:</p>\n<ul>\n<li>health</li>\n<li>shelter</li>\n'
        "<li>water and sanitation</li>\n</ul></div>"
    ) in card_html(card.answer())
