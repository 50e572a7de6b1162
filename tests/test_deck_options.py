"""The deck's `options:` block: read and checked with exact messages, shipped as one named preset that every deck
of the package uses, and switched on learners' phones only when they tick *Import any deck presets*."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from exporter.model import DeckOptions
from exporter.pipeline.checked_stream import check
from tests.anki_engine import fresh_collection, import_apkg
from tests.support import BUILD_TIME, DECK, GOOD_CARD, card_set, release, run, topic

DAY = 86_400
OPTIONS = """\
options:
  new_cards_per_day: 13
  reviews_per_day: 111
  learning_steps: [2m, 1h]
  relearning_steps: 7m
  desired_retention: 0.85
  maximum_interval: 180
"""
STEP_RULE = "a time like 10m, 1h or 1d (a number, then s, m, h or d)"

# (id, the deck file's options block, the exact errors); the block starts at line 6 of cards/deck.yaml.
BAD_OPTIONS = [
    (
        "empty",
        "options:\n",
        [
            "cards/deck.yaml:6:1: 'options' is empty; set one or more of new_cards_per_day, reviews_per_day, "
            "learning_steps, relearning_steps, desired_retention, maximum_interval, or remove it"
        ],
    ),
    (
        "not-a-mapping",
        "options: 15\n",
        ["cards/deck.yaml:6:10: 'options' must be a mapping of 'key: value' lines, not the text '15'"],
    ),
    (
        "misspelt-key",
        "options:\n  new_card_per_day: 15\n",
        ["cards/deck.yaml:7:3: unknown key 'new_card_per_day' in 'options'; did you mean 'new_cards_per_day'?"],
    ),
    (
        "negative-count",
        "options:\n  new_cards_per_day: -1\n",
        [
            "cards/deck.yaml:7:22: 'new_cards_per_day' must be a whole number from 0 to 9999, like 15, not the text '-1'"
        ],
    ),
    (
        "count-as-words",
        "options:\n  reviews_per_day: lots\n",
        [
            "cards/deck.yaml:7:20: 'reviews_per_day' must be a whole number from 0 to 9999, like 150, not the text 'lots'"
        ],
    ),
    (
        "retention-as-percent",
        "options:\n  desired_retention: 90%\n",
        [
            "cards/deck.yaml:7:22: 'desired_retention' must be a decimal from 0.70 to 0.99, like 0.9, not the text '90%'"
        ],
    ),
    (
        "retention-too-low",
        "options:\n  desired_retention: 0.5\n",
        [
            "cards/deck.yaml:7:22: 'desired_retention' must be a decimal from 0.70 to 0.99, like 0.9, not the text '0.5'"
        ],
    ),
    (
        "retention-empty",
        "options:\n  desired_retention:\n",
        [
            "cards/deck.yaml:7:21: 'desired_retention' must be a decimal from 0.70 to 0.99, like 0.9, not an empty value"
        ],
    ),
    (
        "interval-zero",
        "options:\n  maximum_interval: 0\n",
        [
            "cards/deck.yaml:7:21: 'maximum_interval' must be a number of days from 1 to 36500, like 365, not the text '0'"
        ],
    ),
    (
        "step-in-words",
        "options:\n  learning_steps: [1m, 10 minutes]\n",
        [f"cards/deck.yaml:7:24: an item of 'learning_steps' must be {STEP_RULE}, not the text '10 minutes'"],
    ),
    (
        "step-of-nothing",
        "options:\n  relearning_steps: 1m 0m\n",
        [f"cards/deck.yaml:7:21: an item of 'relearning_steps' must be {STEP_RULE}, not the text '0m'"],
    ),
    (
        "steps-as-mapping",
        "options:\n  learning_steps: {first: 1m}\n",
        ["cards/deck.yaml:7:19: 'learning_steps' must be a list of steps like [1m, 10m], not a mapping"],
    ),
    (
        "duplicate-key",
        "options:\n  new_cards_per_day: 10\n  new_cards_per_day: 20\n",
        ["cards/deck.yaml:8:3: duplicate key 'new_cards_per_day' in 'options' (first at line 7); keep only one"],
    ),
]


#: Two subdecks, so the preset is seen on more than one deck.
TOPICS = {
    "acronyms.yaml": topic(GOOD_CARD),
    "principles.yaml": topic(GOOD_CARD.replace("id: unct", "id: unct-2"), header="subdeck: Principles\ncards:\n"),
}


@pytest.mark.parametrize(
    ("options", "expected"), [row[1:] for row in BAD_OPTIONS], ids=[row[0] for row in BAD_OPTIONS]
)
def test_bad_options_are_named_with_their_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: str, expected: list[str]
) -> None:
    card_set(tmp_path, TOPICS, deck=DECK + options)
    monkeypatch.chdir(tmp_path)
    assert [str(problem) for problem in check(Path("cards")).errors] == expected
    code, out, err = run("build", "cards", "-o", "dist")
    assert (code, out, err) == (1, "", "\n".join(expected) + "\nfailed: 1 problem\n")
    assert not (tmp_path / "dist").exists()


def preset_of(col, deck_name: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    config = col.decks.config_dict_for_deck_id(col.decks.id_for_name(deck_name))
    return {
        "name": config["name"],
        "new": config["new"]["perDay"],
        "reviews": config["rev"]["perDay"],
        "learning": config["new"]["delays"],
        "relearning": config["lapse"]["delays"],
        "retention": round(config["desiredRetention"], 2),
        "maximum": config["rev"]["maxIvl"],
    }


FIRST = {
    "name": "Test Deck options v1",
    "new": 13,
    "reviews": 111,
    "learning": [2.0, 60.0],
    "relearning": [7.0],
    "retention": 0.85,
    "maximum": 180,
}
DECKS = ("Test Deck", "Test Deck::Acronyms", "Test Deck::Principles")


def test_ticking_import_deck_presets_puts_every_deck_on_the_preset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards, out = card_set(tmp_path, TOPICS, deck=DECK + OPTIONS), tmp_path / "dist"
    first = release(cards, out, "1.0.0", BUILD_TIME, monkeypatch)
    ledger_options = json.loads((out / "ledger.json").read_text())["deck"]["options"]
    learner = fresh_collection(tmp_path)
    import_apkg(learner, first, with_deck_configs=True)
    assert {name: preset_of(learner, name) for name in DECKS} == dict.fromkeys(DECKS, FIRST)

    # A release with unchanged options keeps the preset; the learner's own adjustment to it stays.
    config = learner.decks.config_dict_for_deck_id(learner.decks.id_for_name("Test Deck"))
    config["new"]["perDay"] = 5
    learner.decks.update_config(config)
    (cards / "acronyms.yaml").write_text(topic(GOOD_CARD.replace("Country Team", "country team")))
    import_apkg(learner, release(cards, out, "1.0.1", BUILD_TIME + DAY, monkeypatch), with_deck_configs=True)
    assert json.loads((out / "ledger.json").read_text())["deck"]["options"] == ledger_options
    assert preset_of(learner, "Test Deck::Acronyms") == FIRST | {"new": 5}

    # Changed options: a new preset, which learners who tick the box are switched to.
    (cards / "deck.yaml").write_text(DECK + OPTIONS.replace("13", "17"))
    second = release(cards, out, "1.1.0", BUILD_TIME + 2 * DAY, monkeypatch)
    assert json.loads((out / "ledger.json").read_text())["deck"]["options"]["version"] == 2
    import_apkg(learner, second, with_deck_configs=True)
    expected = FIRST | {"name": "Test Deck options v2", "new": 17}
    assert {name: preset_of(learner, name) for name in DECKS} == dict.fromkeys(DECKS, expected)


def test_without_the_box_learners_keep_their_own_preset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cards, out = card_set(tmp_path, TOPICS, deck=DECK + OPTIONS), tmp_path / "dist"
    first = tmp_path / "1.0.0.apkg"
    release(cards, out, "1.0.0", BUILD_TIME, monkeypatch).rename(first)
    (cards / "deck.yaml").write_text(DECK + OPTIONS.replace("13", "17"))
    second = release(cards, out, "1.1.0", BUILD_TIME + DAY, monkeypatch)

    newcomer = fresh_collection(tmp_path, "newcomer.anki2")
    import_apkg(newcomer, second)
    assert {preset_of(newcomer, name)["name"] for name in DECKS} == {"Default"}

    learner = fresh_collection(tmp_path)
    import_apkg(learner, first, with_deck_configs=True)
    mine = learner.decks.add_config_returning_id("Mine")
    for name in DECKS:
        deck = learner.decks.get(learner.decks.id_for_name(name))
        deck["conf"] = mine
        learner.decks.save(deck)
    import_apkg(learner, second)
    assert {preset_of(learner, name)["name"] for name in DECKS} == {"Mine"}


def test_a_deck_without_options_ships_no_preset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cards, out = card_set(tmp_path, TOPICS), tmp_path / "dist"
    package = release(cards, out, "1.0.0", BUILD_TIME, monkeypatch)
    assert "options" not in json.loads((out / "ledger.json").read_text())["deck"]
    learner = fresh_collection(tmp_path)
    import_apkg(learner, package, with_deck_configs=True)
    assert {preset_of(learner, name)["name"] for name in DECKS} == {"Default"}


@pytest.mark.parametrize("option", [option.name for option in dataclasses.fields(DeckOptions)])
def test_every_option_refuses_a_wrong_value_with_a_message(tmp_path: Path, option: str) -> None:
    """Each field of DeckOptions is read by a rule of its own: a field added without one is a message away, not
    a crash (the reader would find no rule for it)."""
    cards = card_set(tmp_path, TOPICS, deck=DECK + f"options:\n  {option}: nonsense\n")
    errors = [str(problem) for problem in check(cards).errors]
    assert len(errors) == 1 and errors[0].startswith(f"{cards / 'deck.yaml'}:") and option in errors[0], errors


def test_the_editor_schema_knows_the_options() -> None:
    import jsonschema
    import yaml

    schema = json.loads((Path(__file__).parents[1] / "exporter" / "schema" / "deck.schema.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    assert list(validator.iter_errors(yaml.safe_load(DECK + OPTIONS))) == []
    for _, bad, _ in BAD_OPTIONS[1:9]:
        assert list(validator.iter_errors(yaml.safe_load(DECK + bad))), bad


def test_changed_options_need_a_new_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cards = card_set(tmp_path, TOPICS, deck=DECK + OPTIONS)
    release(cards, tmp_path / "dist", "1.0.0", BUILD_TIME, monkeypatch)
    (cards / "deck.yaml").write_text(DECK + OPTIONS.replace("13", "17"))
    monkeypatch.chdir(tmp_path)
    assert run("build", "cards", "-o", "dist") == (
        1,
        "",
        "cards/deck.yaml:3:1: the deck options changed since release 1.0.0 but 'version' is still 1.0.0; raise it "
        "(for example to 1.0.1) so learners and trainers can tell the releases apart\nfailed: 1 problem\n",
    )


def test_the_changelog_tells_learners_to_tick_the_presets_box_when_the_options_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards, out = card_set(tmp_path, TOPICS, deck=DECK + OPTIONS), tmp_path / "dist"
    release(cards, out, "1.0.0", BUILD_TIME, monkeypatch)
    (cards / "acronyms.yaml").write_text(topic(GOOD_CARD.replace("Country Team", "country team")))
    release(cards, out, "1.0.1", BUILD_TIME + DAY, monkeypatch)
    (cards / "deck.yaml").write_text(DECK + OPTIONS.replace("13", "17"))
    release(cards, out, "1.1.0", BUILD_TIME + 2 * DAY, monkeypatch)
    sections = (out / "CHANGELOG.md").read_text().split("\n## ")[1:]
    presets = "*Import any deck presets* to take the deck's new daily limits and steps"
    assert [(section.split(" ")[0], presets in section) for section in sections] == [
        ("1.1.0", True),
        ("1.0.1", False),
        ("1.0.0", True),
    ]
    assert "No card changes; the deck options changed." in sections[0]
    releases = json.loads((out / "ledger.json").read_text())["releases"]
    assert [release.get("changes", {}).get("options_changed") for release in releases] == [True, None, True]
