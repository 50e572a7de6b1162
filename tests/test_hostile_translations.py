"""Broken and hostile translation files: one clear message each with file:line, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import DECK, GOOD_CARD, card_set, run, snapshot, topic

CLOZE_CARD = """\
  - id: partners
    kind: cloze
    text: The mission works with {{c1::the UN Country Team}}.
    source: {slide: 8}
    outcomes: [LO1]
"""

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def entry(context: str, english: str, french: str) -> str:
    return f'msgctxt "{context}"\nmsgid "{english}"\nmsgstr "{french}"\n\n'


GOOD = entry("unct.term", "UNCT", "UNCT") + entry(
    "unct.expansion", "United Nations Country Team", "Équipe de pays"
)

SYNTAX = "this is not valid gettext PO syntax (every entry is msgctxt, msgid and msgstr lines of quoted text); fix the line, or open the file in a PO editor such as Poedit"

CASES = [
    pytest.param(
        (HEADER + GOOD + 'msgctxt "partners.text"\nmsgid "The mission\nmsgstr ""\n').encode(),
        f"14:1: {SYNTAX}",
        id="unclosed-quote",
    ),
    pytest.param(
        (HEADER + GOOD + "msgctxt partners.text\n").encode(),
        f"13:1: {SYNTAX}",
        id="unquoted-context",
    ),
    pytest.param(
        (HEADER + GOOD + entry("unct.answer", "UNCT", "ÉPNU")).encode(),
        "13:1: 'unct.answer' translates nothing in this card set (no such card, field, outcome, subdeck or label); "
        "run 'flashcards translations update' to mark it obsolete, or fix the msgctxt",
        id="unknown-field",
    ),
    pytest.param(
        (HEADER + GOOD + entry("ghost.question", "Who?", "Qui ?")).encode(),
        "13:1: 'ghost.question' translates nothing in this card set (no such card, field, outcome, subdeck or "
        "label); run 'flashcards translations update' to mark it obsolete, or fix the msgctxt",
        id="unknown-card",
    ),
    pytest.param(
        (HEADER + GOOD + entry("unct.term", "UNCT", "EPNU")).encode(),
        "13:1: 'unct.term' is translated a second time here (first on line 5); keep one of the two entries",
        id="duplicated-entry",
    ),
    pytest.param(
        (HEADER + entry("unct.term", "UNCT", "<script>alert(1)</script>UNCT")).encode(),
        "5:1: the translation of 'unct.term' has markup that is not allowed on cards: <script> element; write it "
        "as text, with the Markdown the English uses",
        id="script",
    ),
    pytest.param(
        (
            HEADER + entry("unct.expansion", "United Nations Country Team", '<img src=x onerror=\\"alert(1)\\">')
        ).encode(),
        "5:1: the translation of 'unct.expansion' has markup that is not allowed on cards: onerror= attribute on <img>; "
        "write it as text, with the Markdown the English uses",
        id="event-handler",
    ),
    pytest.param(
        (
            HEADER + entry("partners.text", "The mission works with {{c1::the UN Country Team}}.", "La mission.")
        ).encode(),
        "5:1: the translation of 'partners.text' must keep the English cloze deletions (c1), each as {{cN::...}}, "
        "so that the editions have the same cards",
        id="cloze-lost",
    ),
    pytest.param(  # Anki reads only ASCII digits: c١ (Arabic-Indic one) makes no card, so the edition lacks one
        (
            HEADER
            + entry(
                "partners.text",
                "The mission works with {{c1::the UN Country Team}}.",
                "La mission {{c\u0661::x}}.",
            )
        ).encode(),
        "5:1: the translation of 'partners.text' must keep the English cloze deletions (c1), each as {{cN::...}}, "
        "so that the editions have the same cards",
        id="cloze-number-in-other-digits",
    ),
    pytest.param(
        (HEADER + entry("unct.expansion", "United Nations Country Team", "[latex]x^2[/latex]")).encode(),
        "5:1: the translation of 'unct.expansion' has Anki's LaTeX tag ([latex], [$] or [$$]): Anki cannot make "
        "its picture from a shared deck, so learners see a broken image and 'LaTeX image generation is disabled'; "
        "write the formula as text, or as MathJax between \\( and \\)",
        id="anki-latex-tag",
    ),
    pytest.param(
        (
            HEADER
            + entry("unct.expansion", "United Nations Country Team", "[anki:tts lang=fr_FR]Équipe[/anki:tts]")
        ).encode(),
        "5:1: the translation of 'unct.expansion' has Anki's sound tag [anki:…]: the learner's app would speak or "
        "play it with no word on the card; write the text without it (a recording goes in media/ as "
        "[sound:file.mp3])",
        id="anki-sound-tag",
    ),
    pytest.param(
        (HEADER + GOOD).encode("latin-1"),
        "11:1: the translation file is not UTF-8 text (byte 0xc9); save it as UTF-8 (in Poedit: Catalog → "
        "Properties → UTF-8)",
        id="latin-1-bytes",
    ),
    pytest.param(
        (HEADER + GOOD).encode("utf-16"),
        "1:1: the translation file is not UTF-8 text (byte 0xff); save it as UTF-8 (in Poedit: Catalog → "
        "Properties → UTF-8)",
        id="utf-16",
    ),
    pytest.param(
        (HEADER.replace("UTF-8", "ISO-8859-1") + GOOD).encode(),
        "1:1: the translation file says it is ISO-8859-1, but translation files are UTF-8; set "
        "'Content-Type: text/plain; charset=UTF-8' and save it as UTF-8",
        id="declared-latin-1",
    ),
    pytest.param(
        (HEADER + 'msgid "UNCT"\nmsgstr "EPNU"\n').encode(),
        "5:1: this entry has no msgctxt, so nothing says what it translates; give it the context 'flashcards "
        'translations update\' wrote (like msgctxt "card-id.question")',
        id="no-context",
    ),
]


def french_set(folder: Path) -> Path:
    """A card set with a French edition and an empty translations folder, for each test's fr.po."""
    cards = card_set(folder, {"01-partners.yaml": topic(GOOD_CARD, CLOZE_CARD)}, deck=DECK + "languages: [fr]\n")
    (cards / "translations").mkdir()
    return cards


@pytest.mark.parametrize(("po_bytes", "message"), CASES)
def test_a_hostile_translation_file_stops_the_build(tmp_path: Path, po_bytes: bytes, message: str) -> None:
    cards = french_set(tmp_path)
    po_path = cards / "translations" / "fr.po"
    po_path.write_bytes(po_bytes)
    out = tmp_path / "dist"
    code, stdout, stderr = run("build", str(cards), "-o", str(out), "--quiet")
    assert (code, stdout) == (1, "")
    assert [line for line in stderr.splitlines() if "warning" not in line] == [f"{po_path}:{message}"]
    assert not out.exists()


@pytest.mark.parametrize(
    ("po_bytes", "message"), [case for case in CASES if case.id not in ("unknown-field", "unknown-card")]
)
def test_validate_reports_a_hostile_translation_file(tmp_path: Path, po_bytes: bytes, message: str) -> None:
    cards = french_set(tmp_path)
    po_path = cards / "translations" / "fr.po"
    po_path.write_bytes(po_bytes)
    code, _, stderr = run("validate", str(cards), "--quiet")
    assert code == 1
    assert stderr.splitlines() == [f"{po_path}:{message}"]


@pytest.mark.parametrize(
    ("po_bytes", "message"), [case for case in CASES if case.id in ("unclosed-quote", "latin-1-bytes")]
)
def test_update_refuses_an_unreadable_translation_file(tmp_path: Path, po_bytes: bytes, message: str) -> None:
    cards = french_set(tmp_path)
    po_path = cards / "translations" / "fr.po"
    po_path.write_bytes(po_bytes)
    before = snapshot(po_path.parent)
    code, _, stderr = run("translations", "update", str(cards))
    assert code == 1
    assert stderr.splitlines()[0] == f"{po_path}:{message}"
    assert snapshot(po_path.parent) == before


def test_an_invisible_character_in_a_translation_is_a_warning_as_in_the_english(tmp_path: Path) -> None:
    cards = french_set(tmp_path)
    po_path = cards / "translations" / "fr.po"
    po_path.write_text(
        HEADER + entry("unct.expansion", "United Nations Country Team", "Équipe\u200b de pays"), encoding="utf-8"
    )
    code, _, stderr = run("build", str(cards), "-o", str(tmp_path / "dist"))
    assert code == 0, stderr
    assert (
        f"{po_path}:5:1: warning: the translation of 'unct.expansion' holds an invisible character (U+200B ZERO "
        "WIDTH SPACE) after 'Équipe': learners and reviewers cannot see it, but it changes how the text is found, "
        "compared or shown; delete it unless it is meant" in stderr.splitlines()
    )
    assert (tmp_path / "dist" / "test-deck.fr.apkg").is_file()


def test_a_listed_language_without_its_file_is_refused(tmp_path: Path) -> None:
    cards = french_set(tmp_path)
    code, _, stderr = run("build", str(cards), "-o", str(tmp_path / "dist"))
    assert code == 1
    assert stderr.splitlines()[0] == (
        f"{cards / 'deck.yaml'}:6:1: deck.yaml lists 'fr', but there is no {cards / 'translations' / 'fr.po'}; "
        f"run 'flashcards translations update {cards}' to make it, then translate it (or take 'fr' out of "
        "'languages')"
    )


def test_english_is_not_an_edition(tmp_path: Path) -> None:
    cards = french_set(tmp_path)
    (cards / "deck.yaml").write_text(DECK + "languages: [en]\n", encoding="utf-8")
    code, _, stderr = run("validate", str(cards))
    assert code == 1
    assert stderr.splitlines()[0] == (
        f"{cards / 'deck.yaml'}:6:12: 'languages' lists 'en', which is not a language code for an edition; write "
        "codes like fr, ar or pt-BR (English is the source edition and needs none)"
    )
