"""The build's scratch database of ledger lines: each card's finished ledger line, with its changelog label and
answer, waiting to come out in card id order, as the ledger lists them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from exporter.release.ledger_lines import LINE_COLUMNS
from exporter.writers.changelog import CardTexts


def open_scratch_lines(path: Path) -> sqlite3.Connection:
    """A new scratch database of ledger lines at path (usable from another thread than this one)."""
    connection = sqlite3.connect(path, check_same_thread=False)
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    # Lines are long: big pages fill faster, and an explicit cache in kilobytes keeps SQLite from holding
    # its default page count of them (see docs/performance.md).
    connection.execute("PRAGMA page_size = 65536")
    connection.execute("PRAGMA cache_size = -2000")
    connection.execute(f"CREATE TABLE lines ({LINE_COLUMNS}) WITHOUT ROWID")
    # and the changelog's label and answer of each card: here, not in a dict, which grows with the deck; in the
    # order the cards come, as the changelog mostly asks for them (see scratch_texts)
    connection.execute("CREATE TABLE texts (pos INTEGER PRIMARY KEY, id TEXT, label TEXT, answer TEXT)")
    return connection


def scratch_texts(connection: sqlite3.Connection) -> CardTexts:
    """The changelog's CardTexts from the scratch database, once every card's texts are in: a batch of cards at
    a time (a dict of every card's texts would grow with the deck). A release's added and changed cards come in
    the order their texts were stored, so a batch's rows mostly lie together (see docs/performance.md)."""
    connection.execute("CREATE INDEX IF NOT EXISTS texts_by_id ON texts (id)")

    def texts(card_ids: Sequence[str]) -> Mapping[str, tuple[str, str]]:
        # looked up in the order asked, so the rows are read in the order they lie
        rows = connection.execute(
            "SELECT t.label, t.answer FROM json_each(?) j LEFT JOIN texts t ON t.id = j.value ORDER BY j.key",
            (json.dumps(card_ids),),
        )
        return {
            card_id: (label or "", answer or "") for card_id, (label, answer) in zip(card_ids, rows, strict=True)
        }

    return texts
