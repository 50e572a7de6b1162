"""The markup rule of text fields (the README's): the few constructs it names are rendered, everything else is
shown as written; HTML is sanitized after rendering, and plain text is left exactly as written."""

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
    ("star-bullets", "* health\n* shelter", "<ul>\n<li>health</li>\n<li>shelter</li>\n</ul>"),
    ("numbers-stay-lines", "1. assess\n2. plan", "1. assess<br>2. plan"),
    ("a-year-is-no-list", "1945. The Charter was signed.", "1945. The Charter was signed."),
    ("a-year-in-a-bullet", "- 1945. signed", "<ul>\n<li>1945. signed</li>\n</ul>"),
    ("plus-is-no-bullet", "+ one more", "+ one more"),
    ("stars-inside-a-word", "2*3*4", "2*3*4"),
    ("star-glued-to-a-word", "**bold**text", "**bold**text"),
    ("underscores", "__init__ and _x_", "__init__ and _x_"),
    ("mathjax-kept", "\\(E=mc^2\\) and \\[x\\]", "\\(E=mc^2\\) and \\[x\\]"),
    ("escaped-braces-stay-text", "\\{\\{c5::x\\}\\}", "\\{\\{c5::x\\}\\}"),
    ("heading-sign", "# 1 priority", "# 1 priority"),
    ("quote-sign", "> 50 staff", "&gt; 50 staff"),
    ("backticks", "`code`", "`code`"),
    ("rule-under-a-line", "total\n---", "total<br>---"),
    ("picture", "![map](maps/a_b.png)", '<img src="maps/a_b.png" alt="map">'),
    ("raw-html-kept", "the <b>host</b> government", "the <b>host</b> government"),
    ("script-removed-after-rendering", "*x* <script>alert(1)</script>", "<em>x</em>"),
    ("markdown-link-removed", "[site](https://example.org)", "site"),
    ("brackets-are-text", "[1] and [sound:a.mp3]", "[1] and [sound:a.mp3]"),
    ("javascript-link-left-as-text", "[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("entities-read", "a &amp; b", "a &amp; b"),
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
