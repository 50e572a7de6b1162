"""The deck we ship: valid, and dist/ exactly what cards/ builds, so a stale dist/ cannot ship."""

from __future__ import annotations

from pathlib import Path

from exporter.pipeline.build import stale_files
from exporter.pipeline.checked_stream import check

ROOT = Path(__file__).parent.parent


def test_shipped_cards_have_no_problems() -> None:
    checked = check(ROOT / "cards", strict=True)
    assert [str(problem) for problem in checked.problems] == []


def test_dist_is_what_the_cards_build() -> None:
    assert stale_files(ROOT / "cards", ROOT / "dist") == [], "run 'flashcards build' and commit dist/"
