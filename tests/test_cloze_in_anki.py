"""What Anki's own engine makes of cloze fields, beside what the checks accept: the cards a note gets are counted
in the fields as shipped, in every field of the note, and again whenever the learner edits it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from exporter.checking.grounding import answers
from exporter.kinds import NOTE_TYPES
from exporter.pipeline.build import build
from exporter.pipeline.checked_stream import check
from exporter.rendering.cloze_syntax import DELETION
from exporter.rendering.notes import note_guid
from exporter.rendering.plain_text import card_sides
from exporter.rendering.text_format import field_html
from exporter.writers.changelog import card_answer
from exporter.writers.review_card import card_title
from tests.anki_engine import card_html, fresh_collection, import_apkg, notes_by_guid
from tests.support import card_set, run, shipped, snapshot, topic

GOOD_TEXT = "a {{c1::x}} b"


def _cloze_file(text: str, extra: str = "") -> dict[str, str]:
    """A topic file t.yaml of one cloze card c with this text and extra."""
    more = f"    extra: '{extra}'\n" if extra else ""
    card = f"  - id: c\n    kind: cloze\n    text: '{text}'\n{more}    source: {{slide: 2}}\n"
    return {"t.yaml": topic(card, header="subdeck: A\ncards:\n")}


# (id, cloze text and extra as written, the cards Anki makes from them as shipped: card number → question):
# a written deletion lost with the markup around it, a blank card, a card from a deletion nobody wrote as one
SHIPPED = [
    ("deletion-in-a-comment", "a {{c1::x}} <!-- {{c2::y}} -->", "", {1: "a [...]"}),
    ("deletion-in-a-script", "a {{c1::x}} <script>{{c3::z}}</script>", "", {1: "a [...]"}),
    ("deletion-in-extra", "a {{c1::x}}", "{{c2::y}}", {1: "a [...]", 2: ""}),
    (
        "deletion-made-by-entities",
        "a {{c1::x}} &#123;&#123;c2::y&#125;&#125;",
        "",
        {1: "a [...] y", 2: "a x [...]"},
    ),
]


@pytest.mark.parametrize(
    ("text", "extra", "anki_cards"), [row[1:] for row in SHIPPED], ids=[row[0] for row in SHIPPED]
)
def test_anki_makes_blank_cards_from_what_the_build_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, extra: str, anki_cards: dict[int, str]
) -> None:
    """Anki, given the fields as they would ship, makes other cards than the trainer wrote: the build refuses the
    card, and dist/ keeps the last good release."""
    collection = fresh_collection(tmp_path)
    note = collection.new_note(collection.models.by_name("Cloze"))
    note["Text"], note["Back Extra"] = field_html(text), field_html(extra)
    collection.add_note(note, 1)
    made = {card.ord + 1: _question(card) for card in note.cards()}
    assert made == anki_cards

    monkeypatch.chdir(tmp_path)
    build(card_set(tmp_path, _cloze_file(GOOD_TEXT)), tmp_path / "dist")
    before = snapshot(tmp_path / "dist")
    card_set(tmp_path, _cloze_file(text, extra))
    code, _, err = run("build", "cards", "-o", "dist")
    assert code == 1 and err.startswith("cards/t.yaml:") and err.endswith("\nfailed: 1 problem\n")
    assert snapshot(tmp_path / "dist") == before


def test_a_learner_who_edits_a_note_keeps_its_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The release a learner has: one card per written deletion, also after the learner edits the note (Anki counts
    deletions again on every save, in every field, so a release whose extra held one would add a blank card right
    then): such a release is refused, and the one left in dist/ still gives the edited note its one card."""
    monkeypatch.chdir(tmp_path)
    build(card_set(tmp_path, _cloze_file(GOOD_TEXT, "more about x")), tmp_path / "dist")
    collection = fresh_collection(tmp_path)
    import_apkg(collection, tmp_path / "dist" / "test-deck.apkg")
    note = notes_by_guid(collection)[note_guid("test-deck", "c")]

    note["Text"] += " (my note)"
    collection.update_note(note)
    assert [card.ord for card in note.cards()] == [0]

    before = snapshot(tmp_path / "dist")
    card_set(tmp_path, _cloze_file(GOOD_TEXT, "{{c2::y}}"))
    assert run("build", "cards", "-o", "dist")[0] == 1
    assert snapshot(tmp_path / "dist") == before
    import_apkg(collection, tmp_path / "dist" / "test-deck.apkg")
    note = notes_by_guid(collection)[note_guid("test-deck", "c")]
    assert {card.ord + 1: _question(card) for card in note.cards()} == {1: "a [...] b (my note)"}


def test_anki_shows_both_nested_deletions_and_the_build_says_why_it_refuses_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = fresh_collection(tmp_path)
    note = collection.new_note(collection.models.by_name("Cloze"))
    note["Text"] = "A {{c1::b {{c2::c}} d}} e"
    collection.add_note(note, 1)
    assert [_question(card) for card in note.cards()] == ["A [...] e", "A b [...] d e"]

    monkeypatch.chdir(tmp_path)
    card_set(tmp_path, _cloze_file("A {{c1::b {{c2::c}} d}} e"))
    assert run("validate", "cards")[2] == (
        "cards/t.yaml:5:5: a cloze deletion is nested inside another; nested deletions are not supported here (the "
        "checks and the review page read one deletion at a time), so write them one after the other\n"
        "failed: 1 problem\n"
    )


# (id, a field's text, what Anki hides and shows as the hint on each card it makes from it): a hint holding
# braces, a third colon, a '}' after the closing '}}', a number in Arabic-Indic digits (Anki makes no card of it)
ANKI_READS = [
    ("hint-with-braces", "a {{c1::x::one {two} three}} b", {1: ("x", "one {two} three")}),
    ("third-colon", "{{c1::x:::y}}", {1: ("x", ":y")}),
    ("brace-after-closing", "{{c1::x}}} {{c2::y}}", {1: ("x", "..."), 2: ("y", "...")}),
    ("other-digits", "{{c\u0661::x}} {{c2::y}}", {2: ("y", "...")}),
]
_ACTIVE_DELETION = re.compile(r'<span class="cloze" data-cloze="([^"]*)" data-ordinal="[0-9]+">\[(.*?)\]</span>')


@pytest.mark.parametrize(("text", "expected"), [row[1:] for row in ANKI_READS], ids=[row[0] for row in ANKI_READS])
def test_the_cloze_syntax_reads_deletions_as_anki_does(
    tmp_path: Path, text: str, expected: dict[int, tuple[str, str]]
) -> None:
    collection = fresh_collection(tmp_path)
    note = collection.new_note(collection.models.by_name("Cloze"))
    note["Text"] = text
    collection.add_note(note, 1)
    anki = {}
    for card in note.cards():
        ((hidden, hint),) = _ACTIVE_DELETION.findall(card_html(card.question()))
        anki[card.ord + 1] = (html.unescape(hidden), html.unescape(hint))
    assert anki == expected
    ours = {int(found.group(1)): (found.group(2), found.group(3) or "...") for found in DELETION.finditer(text)}
    assert ours == expected


def test_every_reader_of_a_deletion_hides_what_anki_hides(tmp_path: Path) -> None:
    """The review page, the review sheet, the changelog and the grounding checks read a hint with braces in it
    as Anki does (test above): the answer is 'x', the hint 'one {two} three'."""
    text = "a {{c1::x::one {two} three}} b"
    checked = check(card_set(tmp_path, _cloze_file(text)))
    assert checked.deck is not None
    (card,) = checked.deck.cards
    (note,) = shipped(checked)
    assert card_sides("cloze", card.fields)[:2] == ("a [one {two} three] b", "a x b")
    assert card_title(card) == "a [one {two} three] b"
    assert card_answer(NOTE_TYPES["cloze"].id, note.fields) == "Deletions: c1: “x”"
    assert answers(card) == ["x"]


def _question(card) -> str:  # type: ignore[no-untyped-def]
    from tests.anki_engine import visible_text

    return visible_text(card_html(card.question()))
