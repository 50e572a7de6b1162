"""An unchanged rebuild does no work it can skip: no topic file read again, no note compared whole with the
last release, no ledger line parsed as JSON. Outputs alone cannot tell (the slow path gives the same bytes)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from exporter.pipeline import shipped
from exporter.pipeline.build import build
from exporter.pipeline.cache import CACHE_FOLDER
from exporter.release import ledger_index, ledger_json
from exporter.release.comparison import Comparison
from tests.support import outputs


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each costly step ran."""
    done: Counter[str] = Counter()

    def counted(name: str, function):  # type: ignore[no-untyped-def]
        def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            done[name] += 1
            return function(*args, **kwargs)

        return counting

    monkeypatch.setattr(Comparison, "compare_whole", counted("note compared whole", Comparison.compare_whole))
    monkeypatch.setattr(ledger_index, "parse_line", counted("ledger line parsed", ledger_index.parse_line))
    monkeypatch.setattr(shipped, "parse_head", counted("note read back from its head", shipped.parse_head))
    monkeypatch.setattr(ledger_json, "card_entry", counted("ledger line parsed", ledger_json.card_entry))
    monkeypatch.setattr(
        ledger_index, "lines_in_memory", counted("ledger lines read from the file", ledger_index.lines_in_memory)
    )
    return done


@pytest.mark.parametrize(
    "kept", [True, False], ids=["ledger-lines-kept-by-the-last-build", "ledger-read-from-its-file"]
)
def test_an_unchanged_rebuild_compares_and_parses_nothing(
    valid_cards: Path, tmp_path: Path, counted_reads: list[str], work: Counter[str], kept: bool
) -> None:
    out = tmp_path / "dist"
    build(valid_cards, out)
    assert work == {}, "with no last release, a note that keeps no other's notes is added unread"
    assert counted_reads == ["deck.yaml", "01-acronyms.yaml", "02-principles.yaml"]
    if not kept:
        for kept_lines in (valid_cards / CACHE_FOLDER).glob("*.file"):
            kept_lines.unlink()
    first = outputs(out)
    work.clear()
    counted_reads.clear()

    build(valid_cards, out)

    assert counted_reads == []
    assert work == ({} if kept else {"ledger lines read from the file": 1})
    assert outputs(out) == first
