"""What Anki's own engine makes of cloze fields, beside what the checks accept: the cards a note gets are counted
in the fields as shipped, in every field of the note, and again whenever the learner edits it."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.pipeline.build import build
from exporter.rendering.notes import note_guid
from exporter.rendering.text_format import field_html
from tests.anki_engine import card_html, fresh_collection, import_apkg, notes_by_guid
from tests.support import card_set, run, snapshot, topic

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


def _question(card) -> str:  # type: ignore[no-untyped-def]
    from tests.anki_engine import visible_text

    return visible_text(card_html(card.question()))
