"""Every command reads and checks through the build's stream: the same problems, file by file, and caches of their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.pipeline.build import build
from exporter.pipeline.cache import CACHE_FOLDER
from exporter.pipeline.checked_stream import check, validate
from exporter.reading import loading
from tests.conftest import GOOD_CARD
from tests.support import edit, modules_imported


def _no_reading(*args: object, **kwargs: object) -> object:
    raise AssertionError("a card file was read again")


def test_validate_finds_what_the_whole_deck_check_finds(valid_cards: Path) -> None:
    broken = GOOD_CARD.replace("id: unct", "id: bad").replace("term: UNCT", "term: ''")
    (valid_cards / "03-broken.yaml").write_text(f"subdeck: Broken\ncards:\n{broken}{GOOD_CARD}", encoding="utf-8")
    streamed = validate(valid_cards, cache=False).streamed
    assert streamed.problems == check(valid_cards).problems
    assert streamed.errors, "the broken file's empty term and the repeated id are errors"


def test_validating_an_unchanged_set_reads_no_card_file(
    valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = validate(valid_cards).streamed
    monkeypatch.setattr(loading, "read_file_bytes", _no_reading)
    again = validate(valid_cards).streamed
    assert (again.problems, again.card_count, again.topic_count) == (
        first.problems,
        first.card_count,
        first.topic_count,
    )
    with pytest.raises(AssertionError, match="read again"):
        validate(valid_cards, cache=False)


def test_validate_keeps_its_entries_apart_from_the_build(valid_cards: Path, tmp_path: Path) -> None:
    build(valid_cards, tmp_path / "dist")
    built = sorted(path.name for path in (valid_cards / CACHE_FOLDER).glob("*.entry"))
    validate(valid_cards)
    assert sorted(path.name for path in (valid_cards / CACHE_FOLDER).glob("*.entry")) == built
    assert len(list((valid_cards / CACHE_FOLDER / "checked").glob("*.entry"))) == 3  # deck file, topic files


def test_validate_command_counts_cards_and_files_with_and_without_the_cache(valid_cards: Path) -> None:
    for options in ([], [], ["--no-cache"]):
        result = CliRunner().invoke(main, ["validate", str(valid_cards), *options])
        assert (result.exit_code, result.stdout) == (0, "ok: 5 card definitions in 2 topic files\n")


@pytest.mark.parametrize("command", [["stats"], ["diff", "-o", "dist"], ["review", "-o", "dist/review.html"]])
def test_whole_deck_commands_read_an_unchanged_set_from_the_cache(
    valid_cards: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(valid_cards.parent)
    first = CliRunner().invoke(main, [command[0], valid_cards.name, *command[1:]])
    assert first.exit_code == 0, first.output
    assert len(list((valid_cards / CACHE_FOLDER / "cards").glob("*.entry"))) == 3  # deck file, topic files
    monkeypatch.setattr(loading, "read_file_bytes", _no_reading)
    again = CliRunner().invoke(main, [command[0], valid_cards.name, *command[1:]])
    assert (again.exit_code, again.output) == (0, first.output)


def test_validate_loads_no_writer(valid_cards: Path) -> None:
    """validate is the pipeline with no sink: neither genanki nor SQLite is loaded for it, nor what only
    translation files and misspelt keys need (start-up time)."""
    imported = modules_imported("-m", "exporter", "validate", str(valid_cards), "--no-cache")
    writing = {"genanki", "sqlite3", "concurrent.futures", "exporter.pipeline.packed_notes"}
    assert imported & (writing | {"polib", "rapidfuzz"}) == set()


def test_validating_an_unchanged_set_loads_no_reader_checker_or_renderer(valid_cards: Path) -> None:
    """Every file's problems come from the cache, so what reads YAML, or checks, renders or ships a card, is not
    loaded (start-up time); the first run, with nothing kept, needs them."""
    command = ("-m", "exporter", "validate", str(valid_cards))
    checking_cards = {"yaml", "exporter.checking.validation", "exporter.rendering.notes", "html.parser", "nh3"}
    assert checking_cards <= modules_imported(*command)
    imported = modules_imported(*command)
    assert {name for name in imported if name.startswith(("exporter.rendering", "exporter.release"))} == set()
    assert imported & checking_cards == set()


@pytest.mark.parametrize("command", ["validate", "check"])
def test_a_deck_file_edited_since_the_last_run_is_read_again(valid_cards: Path, command: str) -> None:
    """The deck file is kept in each command's cache like the topic files, by its bytes: an edit is seen."""

    def problems() -> list[str]:
        found = (
            validate(valid_cards).streamed.problems
            if command == "validate"
            else check(valid_cards, cache=True).problems
        )
        return [problem.message for problem in found]

    assert problems() == []
    edit(valid_cards / "deck.yaml", "id: test-deck", "id: Test Deck")
    assert problems() == [
        "deck id 'Test Deck' must be a slug of lowercase letters, digits and hyphens, like 'mission-partners'"
    ]
