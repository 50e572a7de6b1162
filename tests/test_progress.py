"""The build tells its progress as it works: bytes of card files read, then the writing steps."""

from __future__ import annotations

from pathlib import Path

from exporter.pipeline.build import build


def test_progress_rises_while_reading_then_while_writing(valid_cards: Path, tmp_path: Path) -> None:
    told: list[tuple[int, int]] = []
    build(valid_cards, tmp_path / "dist", progress=lambda done, total: told.append((done, total)))
    read = sum(path.stat().st_size for path in valid_cards.glob("*.yaml") if path.name != "deck.yaml")
    totals = {total for _, total in told}
    assert len(totals) == 1, "the total is known from the start"
    total = totals.pop()
    done = [done for done, _ in told]
    assert done == sorted(set(done)), "every report is further on than the one before"
    topic_files = len([path for path in valid_cards.glob("*.yaml") if path.name != "deck.yaml"])
    # one report per topic file read, the last of them at every byte read; then three writing steps
    assert done[topic_files - 1] == read
    assert len(done) == topic_files + 3
    assert done[-1] == total
    assert (tmp_path / "dist" / "test-deck.apkg").is_file()
