"""The changelog names and answers cards from CardTexts, a batch at a time: a build's texts come from its scratch
database of ledger lines, and must give the same changelog as the same texts held in dicts."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from exporter.pipeline.scratch_lines import open_scratch_lines, scratch_texts
from exporter.release.ledger import Changes, FieldChange, Ledger, Release
from exporter.writers import changelog
from exporter.writers.changelog import CardTexts, texts_of, write_changelog

# ids out of id order, as cards come in deck order
CARDS = [f"card-{(number * 7) % 23:02d}" for number in range(23)]
LABELS = {card_id: f"`{card_id}` (Deck): “Question {card_id}”" for card_id in CARDS}
# some cards have no answer (a cloze without deletions shows none)
ANSWERS = {card_id: f"Answer: “{card_id} answered”" for card_id in CARDS[::2]}
LEDGER = Ledger(
    title="Ops 101",
    releases=(
        Release("1.0.0", "2026-11-01", Changes(added=tuple(CARDS[:20]))),
        Release(
            "1.1.0",
            "2026-12-01",
            Changes(
                added=tuple(CARDS[20:]) + ("unknown-card",),
                changed={card_id: (FieldChange("Front", "old", "new"),) for card_id in CARDS[3:12]},
                retired=tuple(CARDS[12:15]),
                restored=tuple(CARDS[15:17]),
                renamed=tuple((f"old-{card_id}", card_id) for card_id in CARDS[17:20]),
            ),
        ),
    ),
)


def _changelog(texts: CardTexts) -> str:
    stream = io.StringIO()
    write_changelog(stream, LEDGER, texts)
    return stream.getvalue()


def _scratch(tmp_path: Path) -> sqlite3.Connection:
    connection = open_scratch_lines(tmp_path / "ledger.sqlite")
    connection.executemany(
        "INSERT INTO texts (id, label, answer) VALUES (?, ?, ?)",
        [(card_id, LABELS[card_id], ANSWERS.get(card_id)) for card_id in CARDS],
    )
    return connection


@pytest.mark.parametrize("batch", [1, 4, 10_000])
def test_the_scratch_lines_give_the_changelog_the_dicts_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr(changelog, "TEXTS_BATCH", batch)
    connection = _scratch(tmp_path)
    asked: list[int] = []
    from_scratch = scratch_texts(connection)

    def counted(card_ids: list[str]) -> object:
        asked.append(len(card_ids))
        return from_scratch(card_ids)

    written = _changelog(counted)  # type: ignore[arg-type]

    assert written == _changelog(texts_of(LABELS, ANSWERS))
    assert max(asked) <= batch
    assert "- `unknown-card`\n" in written  # a card with no texts is named by its id
    assert f"- {LABELS[CARDS[20]]}\n  - {ANSWERS[CARDS[20]]}\n" in written
    assert f"- `old-{CARDS[17]}` → {LABELS[CARDS[17]]}\n" in written
    assert f"- {LABELS[CARDS[1]]}\n- {LABELS[CARDS[2]]}" in written  # no answer line for CARDS[1]


@pytest.mark.parametrize("batch", [1, 2, 3, 1000])
def test_the_changelog_is_its_lines_joined_however_they_are_batched(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whitespace inside is kept, even where a batch ends in it; at the end there is none but one newline."""
    lines = ["# Title", "", "- a  ", "  ", "", "- b", "\t", "- c ", "", " ", ""]
    monkeypatch.setattr(changelog, "changelog_lines", lambda ledger, texts: iter(lines))
    monkeypatch.setattr(changelog, "_LINES_BATCH", batch)
    stream = io.StringIO()
    write_changelog(stream, LEDGER, texts_of({}, {}))
    assert stream.getvalue() == "# Title\n\n- a  \n  \n\n- b\n\t\n- c\n"
