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
    # The next build looks lines up one by one here (it keeps this file), reading a page for each: pages of a
    # few dozen lines cost less to read than bigger ones, and few more to fill. An explicit cache in kilobytes
    # keeps SQLite from holding its default page count of them (see docs/performance.md).
    connection.execute("PRAGMA page_size = 16384")
    connection.execute("PRAGMA cache_size = -2000")
    connection.execute(f"CREATE TABLE lines ({LINE_COLUMNS}) WITHOUT ROWID")
    # Lines arrive in deck order, and SQLite puts rows with random ids in place one by one: with a cache far
    # smaller than the table, each would read and write back a page. So they wait in a table of their own, in a
    # private file SQLite deletes when it closes, and go into `lines` in id order, once (see sort_lines).
    connection.execute("ATTACH DATABASE '' AS arriving")
    connection.execute("CREATE TABLE arriving.lines (id TEXT, line TEXT, digest BLOB, time INTEGER)")
    # and the changelog's label and answer of each card: here, not in a dict, which grows with the deck; in the
    # order the cards come, as the changelog mostly asks for them (see scratch_texts)
    connection.execute("CREATE TABLE texts (pos INTEGER PRIMARY KEY, id TEXT, label TEXT, answer TEXT)")
    return connection


def sort_lines(connection: sqlite3.Connection) -> None:
    """Put every line that arrived into `lines`, in id order (as the ledger lists them, and the next build
    looks them up), once no more arrive."""
    connection.execute("INSERT INTO main.lines SELECT id, line, digest, time FROM arriving.lines ORDER BY id")
    connection.commit()
    connection.execute("DETACH DATABASE arriving")


def scratch_texts(connection: sqlite3.Connection) -> CardTexts:
    """The changelog's CardTexts from the scratch database, once every card's texts are in: a batch of cards at
    a time (a dict of every card's texts would grow with the deck)."""
    return _StoredTexts(connection)


class _StoredTexts:
    """A release's added cards are mostly asked for in the order their texts were stored (the deck's order, then
    and now), so a batch is read in one pass over the rows as they lie, from where its first card is (most often
    where the last batch ended); only the cards not there are looked up one by one (see docs/performance.md)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._read_up_to = 0
        self._indexed = False

    def __call__(self, card_ids: Sequence[str]) -> Mapping[str, tuple[str, str]]:
        found = self._rows_after(self._read_up_to, len(card_ids))
        if card_ids[0] not in found:
            first = self._looked_up(card_ids[:1]).get(card_ids[0])
            if first is not None:
                found = self._rows_after(first[1] - 1, len(card_ids))
        missing = [card_id for card_id in card_ids if card_id not in found]
        if missing:
            found.update(self._looked_up(missing))
        last = found.get(card_ids[-1])
        if last is not None:
            self._read_up_to = last[1]
        return {
            card_id: (row[2] or "", row[3] or "")
            for card_id in card_ids
            if (row := found.get(card_id)) is not None
        }

    def _rows_after(self, pos: int, count: int) -> dict[str, tuple[str, int, str | None, str | None]]:
        rows = self._connection.execute(
            "SELECT id, pos, label, answer FROM texts WHERE pos > ? ORDER BY pos LIMIT ?", (pos, count)
        )
        return {row[0]: row for row in rows}

    def _looked_up(self, card_ids: Sequence[str]) -> dict[str, tuple[str, int, str | None, str | None]]:
        if not self._indexed:  # made when first needed: a first release asks for none
            self._connection.execute("CREATE INDEX IF NOT EXISTS texts_by_id ON texts (id)")
            self._indexed = True
        rows = self._connection.execute(
            "SELECT t.id, t.pos, t.label, t.answer FROM json_each(?) j JOIN texts t ON t.id = j.value",
            (json.dumps(list(card_ids)),),
        )
        return {row[0]: row for row in rows}
