"""The last release's ledger, read for a build: its cards' lines in a SQLite table, so a build compares its notes
with them in SQLite and parses a card's line only when its note changed.

An unchanged live note's ledger line is known before reading it: it is the note's head (card_line_head's) and
its time. The table is made from the ledger here, or taken from the cache, where the build that wrote the ledger
left it (found by the ledger's bytes, so never for a ledger changed since).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import AnyStr, Protocol

from exporter.errors import ExporterError, Location
from exporter.release.ledger import LEDGER_FILE, CardEntry, Ledger, card_entry, entry_line, ledger_from_json
from exporter.release.notes import ComparedNote, NoteKey


class KeptFiles(Protocol):
    """Where a build keeps the lines of the ledger it wrote, for the next build (the pipeline's cache)."""

    def key(self, data: bytes, shown: str) -> str | None: ...

    def file(self, key: str) -> Path | None: ...


def head_digest(head: str) -> bytes:
    """What tells a ledger line's head (card_line_head's) from any other: a note is unchanged and live when its
    head's digest is that of its line's head."""
    return hashlib.blake2b(head.encode("utf-8", "surrogatepass"), digest_size=16).digest()


#: The columns of a table of ledger lines (with a label in a build's own table): a live card's line (card_line's)
#: is its head and its time, and for such a line, and only such, digest is head_digest(head) and time the time.
LINE_COLUMNS = "id TEXT PRIMARY KEY, line TEXT, digest BLOB, time INTEGER"


def unchanged_times_sql(notes: str, lines: str) -> str:
    """SQL for the time the ledger keeps for each note of the table notes (pos, id, digest of its head), in pos
    order: the time in the note's line in the table lines (LINE_COLUMNS) if that line is the note's head and a
    time; else NULL."""
    return (
        f"SELECT p.time FROM {notes} l LEFT JOIN {lines} p ON p.id = l.id AND p.digest = l.digest ORDER BY l.pos"
    )


def line_digest_and_time(line: str) -> tuple[bytes | None, int | None]:
    """A ledger line's LINE_COLUMNS digest and time."""
    end = line.rfind('"mtime": ') + len('"mtime": ')
    time = line[end:-1]
    if (
        end < len('"mtime": ')
        or line[-1] != "}"
        or not (time.isascii() and time.isdigit())
        or str(int(time)) != time
    ):
        return None, None
    return head_digest(line[:end]), int(time)


class LedgerCards(Mapping[str, CardEntry]):
    """The last release's cards, each parsed from its line (table lines: id, line) only when asked for."""

    def __init__(self, database: str, path: str) -> None:
        #: the table's database, as sqlite3.connect(uri=True) and ATTACH take it
        self.database = database
        self._connection = sqlite3.connect(database, uri=True, check_same_thread=False)
        self._path = path
        self._entries: dict[str, CardEntry] = {}
        self._count: int | None = None

    def __getitem__(self, card_id: str) -> CardEntry:
        entry = self._entries.get(card_id)
        if entry is None:
            found = self._connection.execute("SELECT line FROM lines WHERE id = ?", (card_id,)).fetchone()
            if found is None:
                raise KeyError(card_id)
            line = found[0]
            try:
                entry = self._entries[card_id] = card_entry(json.loads(line[line.index('": {') + 3 :]))
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise _damaged(self._path, f"{card_id}: {error}") from None
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter([card_id for (card_id,) in self._connection.execute("SELECT id FROM lines ORDER BY id")])

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._connection.execute("SELECT count(*) FROM lines").fetchone()[0]
        return self._count

    def __contains__(self, card_id: object) -> bool:
        return self._connection.execute("SELECT 1 FROM lines WHERE id = ?", (card_id,)).fetchone() is not None

    def unchanged_times(self, notes: Sequence[NoteKey | ComparedNote]) -> list[int | None]:
        connection = self._connection
        connection.execute("CREATE TEMP TABLE IF NOT EXISTS asked (pos INTEGER PRIMARY KEY, id, digest)")
        connection.execute("DELETE FROM temp.asked")
        connection.executemany(
            "INSERT INTO temp.asked VALUES (?, ?, ?)",
            [(pos, note.card_id, head_digest(note.ledger_head)) for pos, note in enumerate(notes)],
        )
        times = [time for (time,) in connection.execute(unchanged_times_sql("temp.asked", "main.lines"))]
        connection.commit()
        return times

    def packed_unchanged_times(self, rows: Path) -> list[int | None]:
        connection = self._connection
        connection.execute("ATTACH DATABASE ? AS chunk", (str(rows),))
        try:
            return [time for (time,) in connection.execute(unchanged_times_sql("chunk.lines", "main.lines"))]
        finally:
            connection.execute("DETACH DATABASE chunk")


def packed_unchanged_times(ledger: Ledger, rows: Path, count: int) -> list[int | None]:
    """unchanged_times of the count notes packed in the file rows (see packed_notes), found in SQLite."""
    if isinstance(ledger.cards, LedgerCards):
        return ledger.cards.packed_unchanged_times(rows)
    return [None] * count


def unchanged_times(ledger: Ledger, notes: Sequence[NoteKey | ComparedNote]) -> list[int | None]:
    """The time the ledger keeps for each note whose line would stay as it is (unchanged and live); None for
    the other notes, and for every note when the ledger was not read from a file (none before a first release)."""
    if isinstance(ledger.cards, LedgerCards):
        return ledger.cards.unchanged_times(notes)
    return [None] * len(notes)


def read_ledger(out_dir: Path, cache: KeptFiles | None = None) -> Ledger:
    """The ledger of the last release in the output folder; an empty one before the first release."""
    path = out_dir / LEDGER_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Ledger()
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from None
    key = cache.key(data, LEDGER_FILE) if cache is not None else None
    kept = cache.file(key) if cache is not None and key is not None else None
    span = _card_lines_span(data, _CARDS_START.encode(), _CARDS_END.encode())
    if kept is not None and span is not None:  # the lines are in the kept table: read only the rest
        ledger = _ledger(_decoded(data[: span[0]] + data[span[1] :], path), path)
        return dataclasses.replace(ledger, cards=LedgerCards(kept.resolve().as_uri() + "?mode=ro", str(path)))
    text = _decoded(data, path)
    span = _card_lines_span(text, _CARDS_START, _CARDS_END)
    lines = _card_lines(text[span[0] : span[1]]) if span is not None else None
    if span is None or lines is None:  # laid out otherwise: read whole, each card's line as a build writes it
        ledger = _ledger(text, path)
        lines = [(card_id, entry_line(card_id, entry)) for card_id, entry in ledger.cards.items()]
    else:
        ledger = _ledger(text[: span[0]] + text[span[1] :], path)
    return dataclasses.replace(ledger, cards=_in_memory(lines, path))


def _damaged(path: str, entry: str) -> ExporterError:
    return ExporterError(
        Location(path), f"the release ledger is damaged (bad entry {entry}); restore it from version control"
    )


def _unreadable(path: Path, reason: str) -> ExporterError:
    return ExporterError(
        Location(str(path)),
        f"cannot read the release ledger ({reason}); restore it from "
        "version control, it records what learners already have",
    )


def _ledger(text: str, path: Path) -> Ledger:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise _unreadable(path, str(error)) from None
    try:
        return ledger_from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _damaged(str(path), str(error)) from None


def _in_memory(lines: Sequence[tuple[str, str]], path: Path) -> LedgerCards:
    # shared, so a build's own connection can attach it by name; gone with the last connection to it
    database = f"file:flashcards-ledger-{secrets.token_hex(8)}?mode=memory&cache=shared"
    cards = LedgerCards(database, str(path))
    connection = cards._connection
    connection.execute(f"CREATE TABLE lines ({LINE_COLUMNS}) WITHOUT ROWID")
    # a repeated id: the last, as JSON reads it
    connection.executemany(
        "INSERT OR REPLACE INTO lines VALUES (?, ?, ?, ?)",
        [(card_id, line, *line_digest_and_time(line)) for card_id, line in lines],
    )
    connection.commit()
    return cards


_CARDS_START = '\n "cards": {\n'
_CARDS_END = '\n },\n "releases": ['


def _card_lines_span(data: AnyStr, start: AnyStr, end: AnyStr) -> tuple[int, int] | None:
    """Where the card lines are, from the newline after '"cards": {' to the one before its '}' (the ledger
    without them is whole JSON), if the ledger is laid out as write_ledger lays it out; else None."""
    found = data.find(start)
    last = data.find(end, found)
    if found < 0 or last < 0:
        return None
    return found + len(start) - 1, last


def _decoded(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except ValueError as error:
        raise _unreadable(path, str(error)) from None


def _card_lines(block: str) -> list[tuple[str, str]] | None:
    """Each card's id and line, one card a line; None if a line is not one (it is read whole then)."""
    lines = []
    for line in block[1:].split("\n"):
        line = line[:-1] if line.endswith(",") else line
        key_end = line.find('": {')
        # an id with an escape (never one of ours) is read by the whole-document parse
        if not line.startswith('  "') or key_end < 0 or "\\" in line[:key_end]:
            return None
        lines.append((line[3:key_end], line))
    return lines
