"""Our template renderer against Anki's own engine: the same question and answer HTML, card for card."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from exporter.kinds import NOTE_TYPES
from exporter.pipeline.build import build
from exporter.pipeline.checked_stream import check
from exporter.rendering.notes import RenderedNote
from exporter.rendering.templating import render_card, render_cards
from tests.anki_engine import card_html, fresh_collection, import_apkg, notes_by_guid
from tests.support import DATA, copy_card_set, shipped

SHIPPED = Path(__file__).parent.parent / "cards"


def engine_cards_match(tmp_path: Path, cards: Path) -> int:
    """Build the set, import it, and assert every card's HTML equals ours; return how many were compared."""
    copy_card_set(cards, tmp_path / "cards")
    built = build(tmp_path / "cards", tmp_path / "dist")
    collection = fresh_collection(tmp_path)
    try:
        import_apkg(collection, tmp_path / "dist" / f"{built.deck.id}.apkg")
        engine_notes = notes_by_guid(collection)
        compared = 0
        for note in shipped(check(tmp_path / "cards")):
            engine_cards = {card.ord: card for card in engine_notes[note.guid].cards()}
            ours = render_cards(note)
            assert [sides.ordinal for sides in ours] == sorted(engine_cards)
            for sides in ours:
                engine = engine_cards[sides.ordinal]
                assert sides.question == card_html(engine.question()), (note.card.id, sides.ordinal)
                assert sides.answer == card_html(engine.answer()), (note.card.id, sides.ordinal)
                compared += 1
        return compared
    finally:
        collection.close()


@pytest.mark.parametrize("cards, count", [(DATA / "valid", 9), (DATA / "varied", 11)], ids=["valid", "varied"])
def test_every_card_matches_the_engine(tmp_path: Path, cards: Path, count: int) -> None:
    assert engine_cards_match(tmp_path, cards) == count


@pytest.mark.skipif(not (SHIPPED / "deck.yaml").is_file(), reason="no shipped card set in this checkout")
@pytest.mark.slow
def test_every_card_of_the_shipped_deck_matches_the_engine(tmp_path: Path) -> None:
    assert engine_cards_match(tmp_path, SHIPPED) > 300


# Generated field text: markup, entities, hints, nested and unclosed deletions, sound tags, MathJax, comments.
_PIECES = st.sampled_from(
    [
        "{{c1::",
        "{{c2::",
        "{{c3::",
        "{{c12::",
        "{{c0::",
        "}}",
        "::",
        ":",
        "{{",
        "{",
        "}",
        "<b>",
        "</b>",
        "<br>",
        "<div>",
        "</div>",
        "&amp;",
        "&",
        "<",
        ">",
        '"',
        "'",
        "é",
        "—",
        "ü",
        " ",
        "\n",
        "[sound:a b.mp3]",
        "[sound:",
        "]",
        "\\(",
        "\\)",
        "\\[",
        "\\]",
        "<!--",
        "-->",
        "x",
        "UN",
        "{{c1::a::hint}}",
        "/",
        "=",
    ]
)
_PLAIN = st.lists(_PIECES | st.text("aZ09 .,;é=-/", max_size=3), max_size=8).map("".join)
# Well-formed deletions too (hints, nesting), which random pieces rarely make.
_CLOZE = st.recursive(
    _PLAIN,
    lambda inner: st.builds(
        lambda number, body, hint: f"{{{{c{number}::{body}{hint}}}}}",
        st.integers(1, 3),
        st.lists(inner, max_size=3).map("".join),
        st.just("") | _PLAIN.map(lambda hint: "::" + hint),
    ),
    max_leaves=12,
)
_TEXT = st.lists(_PLAIN | _CLOZE, max_size=4).map("".join)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A collection holding our note types, imported the way learners get them."""
    folder = tmp_path_factory.mktemp("engine")
    built = build(DATA / "valid", folder / "dist", cache=False)  # never write into tests/data
    collection = fresh_collection(folder)
    import_apkg(collection, folder / "dist" / f"{built.deck.id}.apkg")
    yield collection
    collection.close()


def _compare(engine: Any, kind: str, values: list[str], tags: list[str]) -> None:
    note_type = NOTE_TYPES[kind]
    note = engine.new_note(engine.models.by_name(note_type.name))
    for name, value in zip(note_type.field_names, values, strict=True):
        note[name] = value
    note.tags = tags
    if note_type.is_cloze:
        ordinals = tuple(sorted(number - 1 for number in note.cloze_numbers_in_fields()))
    else:
        ordinals = tuple(range(len(note_type.templates)))
    ours = RenderedNote(
        card=None,
        guid="",
        note_type=note_type,
        fields=tuple(note.fields),  # type: ignore[arg-type]
        tags=tuple(tags),
        deck_name="Default",
        card_ordinals=ordinals,
    )
    for ordinal in ordinals:
        engine_card = note.ephemeral_card(ordinal)
        question, answer = card_html(engine_card.question()), card_html(engine_card.answer())
        assume("templates/errors" not in question)  # the engine's "empty front" notice is not ours to copy
        sides = render_card(ours, ordinal)
        assert (sides.question, sides.answer) == (question, answer)


_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
#: Fields of these note types are only substituted and tested for emptiness: fewer examples say enough.
_FEWER = settings(_SETTINGS, max_examples=60)


@pytest.mark.slow
@_SETTINGS
@given(text=_TEXT, extra=_TEXT, source=_TEXT)
def test_cloze_rendering_matches_the_engine(engine: Any, text: str, extra: str, source: str) -> None:
    _compare(engine, "cloze", [text, extra, source], [])


@pytest.mark.slow
@_FEWER
@given(term=_TEXT, expansion=_TEXT, explanation=_TEXT, source=_TEXT)
def test_acronym_rendering_matches_the_engine(
    engine: Any, term: str, expansion: str, explanation: str, source: str
) -> None:
    _compare(engine, "acronym", [term, expansion, explanation, source], ["acronym"])


@pytest.mark.slow
@_FEWER
@given(question=_TEXT, answer=_TEXT, extra=_TEXT, source=_TEXT)
def test_basic_rendering_matches_the_engine(
    engine: Any, question: str, answer: str, extra: str, source: str
) -> None:
    _compare(engine, "basic", [question, answer, extra, source], [])


@pytest.mark.parametrize(
    "text, question, answer",
    [
        (
            "{{c1::a::hint}}",
            '<span class="cloze" data-cloze="a" data-ordinal="1">[hint]</span>',
            '<span class="cloze" data-ordinal="1">a</span>',
        ),
        (
            "{{c1::x {{c2::y}}}}",
            '<span class="cloze" data-cloze="x&#x20;&lt;span&#x20;class&#x3D;&quot;cloze&#x2D;inactive'
            '&quot;&#x20;data&#x2D;ordinal&#x3D;&quot;2&quot;&gt;y&lt;&#x2F;span&gt;" '
            'data-ordinal="1">[...]</span>',
            '<span class="cloze" data-ordinal="1">x <span class="cloze-inactive" data-ordinal="2">y</span></span>',
        ),
        ("a }} b", "", ""),
    ],
    ids=["hint", "nested", "no-deletion"],
)
def test_cloze_filter(text: str, question: str, answer: str) -> None:
    note = RenderedNote(
        card=None,
        guid="",
        note_type=NOTE_TYPES["cloze"],  # type: ignore[arg-type]
        fields=(text, "", ""),
        tags=(),
        deck_name="D",
        card_ordinals=(0,),
    )
    sides = render_card(note, 0)
    assert sides.question == f'<div class="prompt text">{question}</div>'
    assert sides.answer == f'<div class="prompt text">{answer}</div>'
