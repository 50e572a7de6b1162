"""The last release's ledger, read for a build: its cards' lines in a SQLite table, so a build compares its notes
with them in SQLite and parses a card's line only when its note changed.

An unchanged live note's ledger line is known before reading it: it is the note's head (card_line_head's) and
its time. The table is made from the ledger here, or taken from the cache, where the build that wrote the ledger
left it (found by the ledger's bytes, so never for a ledger changed since).
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import secrets
import sqlite3
import stat
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol

from exporter.errors import ExporterError, Location
from exporter.release.ledger import LEDGER_FILE, CardEntry, Ledger
from exporter.release.ledger_json import EntryError, ledger_from_json
from exporter.release.ledger_lines import (
    CARDS_END,
    CARDS_START,
    LINE_COLUMNS,
    card_line_number,
    card_lines,
    card_lines_span,
    entry_line,
    head_digest,
    line_digest_and_time,
    parse_line,
    unchanged_times_sql,
)
from exporter.release.notes import ComparedNote, NoteKey


class KeptFiles(Protocol):
    """Where a build keeps the lines of the ledger it wrote, for the next build (the pipeline's cache)."""

    def key(self, data: bytes, shown: str) -> str | None: ...

    def file(self, key: str) -> Path | None: ...


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
            try:
                entry = self._entries[card_id] = parse_line(found[0])
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise _damaged(self._path, f"{card_id}: {error}", card_id) from None
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


def renamed_holders(ledger: Ledger) -> dict[str, str]:
    """The cards of the ledger renamed in some release: the id whose notes each keeps → its own id."""
    cards = ledger.cards
    if isinstance(cards, LedgerCards):  # only the few renamed lines are parsed
        found = cards._connection.execute("SELECT id FROM lines WHERE instr(line, '\"renamed_from\": ') > 0")
        entries = [(card_id, cards[card_id]) for (card_id,) in found.fetchall()]
    else:
        entries = list(cards.items())
    return {entry.renamed_from: card_id for card_id, entry in entries if entry.renamed_from is not None}


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


def read_ledger(out_dir: Path, cache: KeptFiles | None = None, name: str = LEDGER_FILE) -> Ledger:
    """The ledger of the last release in the output folder (a language edition's has its own name); an empty one
    before the first release."""
    path = out_dir / name
    try:
        data = _regular_file_bytes(path)
    except FileNotFoundError:
        return Ledger()
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from None
    key = cache.key(data, name) if cache is not None else None
    kept = cache.file(key) if cache is not None and key is not None else None
    span = card_lines_span(data, CARDS_START.encode(), CARDS_END.encode())
    if kept is not None and span is not None:  # the lines are in the kept table: read only the rest
        ledger = _ledger(_decoded(data[: span[0]] + data[span[1] :], path), path)
        return dataclasses.replace(ledger, cards=LedgerCards(kept.resolve().as_uri() + "?mode=ro", str(path)))
    text = _decoded(data, path)
    span = card_lines_span(text, CARDS_START, CARDS_END)
    lines = card_lines(text[span[0] : span[1]]) if span is not None else None
    if span is None or lines is None:  # laid out otherwise: read whole, each card's line as a build writes it
        ledger = _ledger(text, path)
        lines = [(card_id, entry_line(card_id, entry)) for card_id, entry in ledger.cards.items()]
    else:
        ledger = _ledger(text[: span[0]] + text[span[1] :], path)
    return dataclasses.replace(ledger, cards=lines_in_memory(lines, path))


def _regular_file_bytes(path: Path) -> bytes:
    """The bytes of a regular file; OSError for anything else, found before reading (a device never ends, a FIFO
    waits for a writer: opened without waiting, it is refused at once)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"it is {_file_kind(mode)}, not a file")
        return stream.read()


def _line_of(path: Path, card_id: str) -> int:
    try:
        return card_line_number(_regular_file_bytes(path).decode("utf-8", "replace"), card_id)
    except OSError:  # gone since: the message names the file alone
        return 0


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def damaged_entry(path: Path, card_id: str, reason: str) -> ExporterError:
    """The ledger read from path is damaged at this card's entry, for the reason given."""
    return _damaged(str(path), f"{card_id}: {reason}", card_id)


def _damaged(path: str, entry: str, card_id: str | None = None) -> ExporterError:
    """The ledger is damaged: at the card's line, if one is named."""
    return ExporterError(
        Location(path, _line_of(Path(path), card_id) if card_id is not None else 0),
        f"the release ledger is damaged (bad entry {entry}); restore it from version control",
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
    except EntryError as error:
        raise _damaged(str(path), str(error), error.key) from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _damaged(str(path), str(error)) from None


def lines_in_memory(lines: Sequence[tuple[str, str]], path: Path) -> LedgerCards:
    """A ledger's card lines (read from path) in a database in memory: what a build does when it has no lines
    kept by the last build (tests count how often)."""
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


def _decoded(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except ValueError as error:
        raise _unreadable(path, str(error)) from None
