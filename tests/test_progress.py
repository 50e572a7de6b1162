"""The build tells its progress, step by step, to whoever draws the bar."""

from __future__ import annotations

from pathlib import Path

from exporter.pipeline.build import BUILD_STEPS, build


def test_build_reports_each_step_then_done(valid_cards: Path, tmp_path: Path) -> None:
    told: list[tuple[int, int]] = []
    build(valid_cards, tmp_path / "dist", progress=lambda done, total: told.append((done, total)))
    assert told == [(step, BUILD_STEPS) for step in range(1, BUILD_STEPS + 1)]
    assert (tmp_path / "dist" / "test-deck.apkg").is_file()
