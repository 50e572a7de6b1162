"""Card text reaches every reader as learners see it: on the card in Anki's engine, in the spreadsheet CSV (as
plain text) and on the review page; the Anki CSV keeps the text as written for Anki, and says who it is for."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from exporter.pipeline.build import build
from exporter.rendering.notes import note_guid
from tests.anki_engine import card_html, fresh_collection, import_apkg, import_csv, notes_by_guid, visible_text
from tests.support import card_set, run, topic

# (card id, the answer as written in YAML, what the learner reads on the card, the spreadsheet's cell)
TEXTS = [
    (
        "a-year",
        '"1945. The Charter was signed."',
        "1945. The Charter was signed.",
        "1945. The Charter was signed.",
    ),
    ("a-product", "'2*3*4'", "2*3*4", "2*3*4"),
    ("a-name-in-underscores", "'__init__'", "__init__", "__init__"),
    ("mathjax", "'\\(E=mc^2\\)'", "\\(E=mc^2\\)", "\\(E=mc^2\\)"),
    ("escaped-braces", "'\\{\\{c5::x\\}\\}'", "\\{\\{c5::x\\}\\}", "\\{\\{c5::x\\}\\}"),
    ("numbered-lines", '"1. assess\\n2. plan"', "1. assess 2. plan", "1. assess\n2. plan"),
    (
        "emphasis",
        "'Aid is *neutral* and **impartial**'",
        "Aid is neutral and impartial",
        "Aid is neutral and impartial",
    ),
    (
        "bullets",
        '"Clusters:\\n- health\\n- shelter"',
        "Clusters: health shelter",
        "Clusters:\n- health\n- shelter",
    ),
    ("entities", "'UNDP &amp; UNICEF'", "UNDP & UNICEF", "UNDP & UNICEF"),
    ("html", "'the <b>host</b> state'", "the host state", "the host state"),
    ("a-formula-for-a-spreadsheet", "'=1+2'", "=1+2", "'=1+2"),
]
_ANSWER = re.compile(r'<div class="answer">(.*?)</div>(?:<div class="(?:extra|source)">|$)', re.DOTALL)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The table's cards, one basic card each, built into dist/ (the card folder beside it)."""
    folder = tmp_path_factory.mktemp("texts")
    table = topic(
        *(
            f"  - id: {card_id}\n    kind: basic\n    question: What is {card_id}?\n    answer: {answer}\n"
            f"    source: {{slide: 2}}\n    allow: [list-answer]\n"
            for card_id, answer, _, _ in TEXTS
        ),
        header="subdeck: A\ncards:\n",
    )
    cards = card_set(folder, {"t.yaml": table})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1764000000")
        build(cards, folder / "dist")
    return folder / "dist"


def test_the_learner_reads_the_text_by_the_readme_rule(tmp_path: Path, built: Path) -> None:
    collection = fresh_collection(tmp_path)
    import_apkg(collection, built / "test-deck.apkg")
    notes = notes_by_guid(collection)
    read = {}
    for card_id, *_ in TEXTS:
        (card,) = notes[note_guid("test-deck", card_id)].cards()
        answer = _ANSWER.search(card_html(card.answer()))
        assert answer is not None, card_id
        read[card_id] = visible_text(answer.group(1))
    assert read == {card_id: learner for card_id, _, learner, _ in TEXTS}


def test_the_spreadsheet_shows_the_text_learners_read(built: Path) -> None:
    rows = csv.DictReader(io.StringIO((built / "test-deck.spreadsheet.csv").read_text(encoding="utf-8-sig")))
    assert {row["id"]: row["back"] for row in rows} == {card_id: cell for card_id, _, _, cell in TEXTS}


def test_the_review_page_shows_the_text_learners_read(built: Path, tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    assert run("review", str(built.parent / "cards"), "-o", str(page))[0] == 0
    shown = page.read_text(encoding="utf-8")
    for card_id, _, learner, _ in TEXTS:
        side = re.search(
            f'data-card="{card_id}" data-ord="0" data-side="answer" data-mode="light">(.*?)</figure>',
            shown,
            re.DOTALL,
        )
        assert side is not None, card_id
        answer = _ANSWER.search(side.group(1))
        assert answer is not None and visible_text(answer.group(1)) == learner, card_id


def test_the_spreadsheet_keeps_guids_as_made(tmp_path: Path) -> None:
    """A GUID starting '-' is not a formula: an apostrophe in front would make it another GUID."""
    card = (
        "  - id: card-133\n    kind: basic\n    question: Q?\n    answer: '-5 degrees'\n    source: {slide: 2}\n"
    )
    cards = card_set(tmp_path, {"t.yaml": topic(card, header="subdeck: A\ncards:\n")})
    build(cards, tmp_path / "dist")
    (row,) = csv.DictReader(io.StringIO((tmp_path / "dist" / "test-deck.spreadsheet.csv").read_text("utf-8-sig")))
    assert (row["guid"], row["back"]) == (note_guid("test-deck", "card-133"), "'-5 degrees")
    assert row["guid"] == "-n8qfQdcwzxM0nKk"


def test_the_anki_csv_says_who_it_is_for_and_anki_imports_it_as_written(tmp_path: Path, built: Path) -> None:
    lines = (built / "test-deck.anki.csv").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == [
        "#This file is for Anki's File > Import (a text file with its settings in these header lines)",
        "#To read or check the cards open the .spreadsheet.csv file beside it instead",
    ]
    assert "=1+2" in next(
        line for line in lines if line.startswith(note_guid("test-deck", "a-formula-for-a-spreadsheet"))
    )

    collection = fresh_collection(tmp_path)
    log = import_csv(collection, built / "test-deck.anki.csv")
    notes = notes_by_guid(collection)
    assert len(log.new) == len(TEXTS) == len(notes)
    formula = notes[note_guid("test-deck", "a-formula-for-a-spreadsheet")]
    assert formula.note_type()["name"] == "Basic"
    assert formula.fields[1].startswith("=1+2<div")


def test_the_review_page_says_what_a_changed_card_said_as_learners_read_it(built: Path, tmp_path: Path) -> None:
    shutil.copytree(built.parent, tmp_path, dirs_exist_ok=True)
    topic_file = tmp_path / "cards" / "t.yaml"
    topic_file.write_text(topic_file.read_text(encoding="utf-8").replace("UNDP &amp; UNICEF", "UNDP"), "utf-8")
    assert run("review", str(tmp_path / "cards"), "-o", str(tmp_path / "dist" / "review.html"))[0] == 0
    page = (tmp_path / "dist" / "review.html").read_text(encoding="utf-8")
    assert "<dt>Changed</dt><dd><b>Answer</b>, was: UNDP &amp; UNICEF</dd>" in page
