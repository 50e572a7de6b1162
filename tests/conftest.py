from __future__ import annotations

import concurrent.futures
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.pipeline import parallel
from exporter.pipeline.checked_stream import Checked
from exporter.pipeline.whole_deck import shipped_notes
from exporter.rendering.notes import RenderedNote

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid"
#: A fixed build time, so outputs are comparable across runs.
BUILD_TIME = 1_764_000_000

#: The smallest deck file, and one good card, that the bad-input tables change one thing at a time.
DECK = """\
id: test-deck
title: Test Deck
version: "1.0.0"
outcomes:
  LO1: Explain the integrated approach
"""

GOOD_CARD = """\
  - id: unct
    kind: acronym
    term: UNCT
    expansion: United Nations Country Team
    source: {slide: 6}
    outcomes: [LO1]
"""


def topic(*cards: str, header: str = "subdeck: Acronyms\ncards:\n") -> str:
    """A topic file holding these cards."""
    return header + "".join(cards)


@pytest.fixture(autouse=True)
def pinned_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_TIME))


@pytest.fixture
def valid_cards(tmp_path: Path) -> Path:
    """A writable copy of the small valid card set."""
    target = tmp_path / "cards"
    shutil.copytree(VALID, target)
    return target


@pytest.fixture
def built_valid(tmp_path: Path, valid_cards: Path) -> Path:
    """The small valid set built into a fresh output folder."""
    from exporter.pipeline.build import build

    out = tmp_path / "dist"
    build(valid_cards, out)
    return out


def shipped(checked: Checked) -> list[RenderedNote]:
    """The notes a build of a checked card set ships."""
    assert checked.deck is not None, checked.problems
    return shipped_notes(checked.deck, checked.media)[0]


def build_in_cwd(*options: str) -> tuple[int, str, str]:
    """Build cards into dist in the working folder: exit code, stdout, stderr."""
    result = CliRunner().invoke(main, ["build", "cards", "-o", "dist", *options])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def released(tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert build_in_cwd()[0] == 0
    return tmp_path / "dist"


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every read go to a helper (two cores assumed); the list of helper pools started."""
    started: list[object] = []

    class Counted(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    return started


@pytest.fixture
def many_files(tmp_path: Path) -> Path:
    """Five topic files, one with a problem, one with a card the careful reader must read."""
    cards = tmp_path / "cards"
    shutil.copytree(VALID, cards)
    for number in range(3):
        body = "".join(GOOD_CARD.replace("id: unct", f"id: card-{number}-{index}") for index in range(20))
        (cards / f"1{number}-more.yaml").write_text(f"subdeck: More {number}\ncards:\n{body}", encoding="utf-8")
    (cards / "13-broken.yaml").write_text("subdeck: Broken\ncards:\n" + GOOD_CARD.replace("term:", "trem:"))
    (cards / "14-anchored.yaml").write_text(
        "subdeck: Anchored\ncards:\n" + GOOD_CARD.replace("term: UNCT", "term: &t UNCT")
    )
    return cards
