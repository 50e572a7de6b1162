"""`flashcards init`: a new card set that validates, builds and imports into Anki at once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from exporter.rendering.notes import note_guid
from tests.anki_engine import card_html, deck_of, fresh_collection, import_apkg, notes_by_guid, visible_text
from tests.support import run

SCHEMAS = Path(__file__).parent.parent / "exporter" / "schema"
WRITTEN = [
    "deck.yaml",
    "01-getting-started.yaml",
    "README.md",
    ".schema/deck.schema.json",
    ".schema/topic.schema.json",
]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_then_validate_then_build(here: Path) -> None:
    assert run("init", "unit-4") == (
        0,
        "created a card set in unit-4:\n"
        + "".join(f"  unit-4/{name}\n" for name in WRITTEN)
        + "next: edit the cards, then\n  flashcards validate unit-4\n"
        "  flashcards build unit-4\n",
        "",
    )
    assert run("validate", "unit-4") == (0, "ok: 3 card definitions in 1 topic file\n", "")
    assert run("build", "unit-4") == (
        0,
        "built Unit 4 0.1.0: 3 notes, 6 cards\n"
        + "".join(
            f"  dist/{name}\n"
            for name in (
                "unit-4.apkg",
                "unit-4.anki.csv",
                "unit-4.spreadsheet.csv",
                "ledger.json",
                "CHANGELOG.md",
                "unit-4.install.html",
            )
        ),
        "",
    )
    assert (here / "unit-4" / "media").is_dir()


def test_one_card_of_each_kind_with_learning_outcomes(here: Path) -> None:
    run("init", "unit-4")
    deck = yaml.safe_load((here / "unit-4" / "deck.yaml").read_text())
    topic = yaml.safe_load((here / "unit-4" / "01-getting-started.yaml").read_text())
    assert (deck["id"], deck["title"], sorted(deck["outcomes"])) == ("unit-4", "Unit 4", ["LO1", "LO2"])
    assert [card["kind"] for card in topic["cards"]] == ["acronym", "basic", "cloze"]
    assert all(set(card["outcomes"]) <= set(deck["outcomes"]) for card in topic["cards"])


@pytest.mark.parametrize("name", ["deck.yaml", "01-getting-started.yaml"])
def test_editor_schema_line_resolves_to_the_packaged_schema(here: Path, name: str) -> None:
    run("init", "unit-4")
    card_file = here / "unit-4" / name
    first_line = card_file.read_text().splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first_line)
    assert match, first_line
    # the editor resolves the reference against the card file's own folder
    schema_file = card_file.parent / match.group(1)
    packaged = SCHEMAS / ("deck.schema.json" if name == "deck.yaml" else "topic.schema.json")
    assert schema_file.read_bytes() == packaged.read_bytes()
    jsonschema.validate(yaml.safe_load(card_file.read_text()), json.loads(schema_file.read_text()))


def test_readme_for_the_trainer(here: Path) -> None:
    run("init", "decks/unit-4", "--title", "Unit 4: Protection of Civilians")
    readme = (here / "decks" / "unit-4" / "README.md").read_text()
    assert readme.startswith("# Unit 4: Protection of Civilians: card set\n")
    for line in (
        "flashcards validate decks/unit-4",
        "flashcards build decks/unit-4 -o dist",
        "drop the try-out with `flashcards discard-tryout decks/unit-4 -o dist`",
        "Hand `dist/unit-4.apkg` to learners",
    ):
        assert line in readme


def test_a_folder_name_with_spaces_is_quoted_for_the_shell(here: Path) -> None:
    code, out, _ = run("init", "unit 4")
    assert (code, out.splitlines()[-2:]) == (0, ["  flashcards validate 'unit 4'", "  flashcards build 'unit 4'"])
    assert (
        "    flashcards validate 'unit 4'           # every problem" in (here / "unit 4" / "README.md").read_text()
    )


@pytest.mark.parametrize("title", ['Unit 5: "Quotes" \\ and a backslash', "Unité 6 : Sécurité", "  spaced   out "])
def test_any_title_builds(here: Path, title: str) -> None:
    assert run("init", "unit", "--title", title)[0] == 0
    code, out, err = run("build", "unit")
    assert (code, err) == (0, "")
    assert out.startswith(f"built {' '.join(title.split())} 0.1.0: 3 notes, 6 cards\n")


@pytest.mark.parametrize(
    "setup, argument, message",
    [
        (
            "folder with a file",
            "unit-4",
            "unit-4: the folder is not empty, and init never overwrites files; give a new folder for the card set",
        ),
        (
            "folder with a hidden file",
            "unit-4",
            "unit-4: the folder is not empty, and init never overwrites files; give a new folder for the card set",
        ),
        ("a file", "unit-4", "unit-4: this is a file, not a folder; give a new folder for the card set"),
    ],
    ids=["non-empty-folder", "hidden-file-only", "file"],
)
def test_init_refuses_to_overwrite(here: Path, setup: str, argument: str, message: str) -> None:
    if setup == "a file":
        (here / "unit-4").write_text("notes\n")
    else:
        (here / "unit-4").mkdir()
        (here / "unit-4" / (".keep" if "hidden" in setup else "deck.yaml")).write_text("mine\n")
    before = sorted(path.name for path in here.rglob("*"))
    assert run("init", argument) == (1, "", f"{message}\nfailed: 1 problem\n")
    assert sorted(path.name for path in here.rglob("*")) == before


@pytest.mark.parametrize(
    "folder, deck_id, title",
    [
        ("unit-4", "unit-4", "Unit 4"),
        ("Unité 4 Sécurité", "unite-4-securite", "Unité 4 Sécurité"),
        ("poc_course", "poc-course", "Poc Course"),
        ("2026", "2026", "2026"),
        ("__", "my-deck", "My Deck"),
    ],
    ids=["slug", "accents", "underscore", "digits", "no-letters"],
)
def test_deck_id_and_title_from_the_folder_name(here: Path, folder: str, deck_id: str, title: str) -> None:
    assert run("init", folder)[0] == 0
    deck = yaml.safe_load((here / folder / "deck.yaml").read_text())
    assert (deck["id"], deck["title"]) == (deck_id, title)  # both strings, for editors too
    jsonschema.validate(deck, json.loads((SCHEMAS / "deck.schema.json").read_text()))
    assert run("validate", folder) == (0, "ok: 3 card definitions in 1 topic file\n", "")


def test_init_into_an_empty_folder(here: Path) -> None:
    (here / "unit-4").mkdir()
    assert run("init", "unit-4")[0] == 0
    assert run("validate", "unit-4")[0] == 0


def test_init_deck_in_the_real_anki_engine(here: Path) -> None:
    run("init", "unit-4")
    run("build", "unit-4")
    col = fresh_collection(here)
    log = import_apkg(col, here / "dist" / "unit-4.apkg")
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (3, 0, 0)
    notes = notes_by_guid(col)
    assert set(notes) == {
        note_guid("unit-4", card_id) for card_id in ("example-acronym", "example-question", "example-cloze")
    }
    assert {deck_of(col, col.get_card(card_id)) for card_id in col.find_cards("")} == {"Unit 4::Getting started"}
    assert {
        card_id: notes[note_guid("unit-4", card_id)].tags
        for card_id in ("example-acronym", "example-question", "example-cloze")
    } == {
        "example-acronym": ["example", "outcome::LO1"],
        "example-question": ["example", "outcome::LO1", "outcome::LO2"],
        "example-cloze": ["example", "outcome::LO2"],
    }

    def sides(card_id: str) -> list[tuple[str, str]]:
        cards = sorted(notes[note_guid("unit-4", card_id)].cards(), key=lambda card: card.ord)
        return [(visible_text(card.question()), visible_text(card.answer())) for card in cards]

    assert sides("example-acronym") == [
        (
            "What does it stand for? UNCT",
            "What does it stand for? UNCT United Nations Country Team All the UN "
            "agencies, funds and programmes working in one country. Slide 6 · Mission "
            "Partners",
        ),
        (
            "Which acronym? United Nations Country Team",
            "Which acronym? United Nations Country Team UNCT All the UN "
            "agencies, funds and programmes working in one country. "
            "Slide 6 · Mission Partners",
        ),
    ]
    assert sides("example-question") == [
        (
            "How many broad categories of mission partners are there?",
            "How many broad categories of mission partners are there? Three UN Country Team , national partners, and "
            "regional and international partners. Slide 5",
        )
    ]
    assert [question for question, _ in sides("example-cloze")] == [
        "The humanitarian principles: [...] , neutrality and impartiality .",
        "The humanitarian principles: humanity , [...] and impartiality .",
        "The humanitarian principles: humanity , neutrality and [...] .",
    ]
    (question_card,) = notes[note_guid("unit-4", "example-question")].cards()
    assert '<div class="extra"><em>UN Country Team</em>, national partners' in card_html(question_card.answer())
    col.close()
