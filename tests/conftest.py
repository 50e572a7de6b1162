from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exporter.build import Checked, shipped_notes
from exporter.render import RenderedNote

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
    from exporter.build import build

    out = tmp_path / "dist"
    build(valid_cards, out)
    return out


def shipped(checked: Checked) -> list[RenderedNote]:
    """The notes a build of a checked card set ships."""
    assert checked.deck is not None, checked.problems
    return shipped_notes(checked.deck, checked.media)[0]
