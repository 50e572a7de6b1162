"""A release written as its notes come, chunk after chunk: the package, both CSV files, the ledger and the
changelog, each into a file of its own. Little more than each card's id stays in memory, so a build's memory
hardly grows with the deck.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from exporter.checking.media import MediaFile
from exporter.errors import ExporterError, Location
from exporter.kinds import edition_note_types
from exporter.model import Deck
from exporter.pipeline.packed_notes import attached, pack, scratch_error
from exporter.pipeline.scratch_lines import open_scratch_lines, scratch_texts, sort_lines
from exporter.pipeline.shipped import PackedNotes
from exporter.pipeline.shipping import retired_note
from exporter.release.comparison import Comparison, Consent
from exporter.release.ledger import (
    LEDGER_FILE,
    CardEntry,
    Changes,
    Ledger,
    note_type_entries,
    releases_after,
    retired_entries,
)
from exporter.release.ledger_index import damaged_entry, packed_unchanged_times
from exporter.release.ledger_lines import entry_line, finished_line_sql, parse_line, write_ledger
from exporter.release.note_times import note_time, times_text
from exporter.release.options_preset import options_changed, preset_after
from exporter.release.release_tags import release_tags, whats_new
from exporter.rendering.notes import stable_id
from exporter.writers.apkg import CollectionWriter, write_package
from exporter.writers.changelog import card_answer, card_label, write_changelog
from exporter.writers.csv import ANKI_CSV_HEADER, SPREADSHEET_HEAD
from exporter.writers.install_sheet import NEWS_SHOWN, install_sheet_html


class ReleaseWriter:
    """Writes one release into the given files (by what they are for, as build.output_names names them)."""

    def __init__(
        self,
        files: Mapping[str, Path],
        deck: Deck,
        previous: Ledger,
        now: int,
        consent: Consent = Consent(),
        keep_lines: Callable[[Path, Path], None] | None = None,
        ledger_path: Path = Path(LEDGER_FILE),
        download_url: str = "",
        package_name: str = "",
    ) -> None:
        """keep_lines, if given, is called with the ledger written and a database of its lines (see
        ledger_index), to keep for the next build. ledger_path is where previous was read from; download_url is
        where learners get the package (the install sheet shows it, with package_name, the package's name in the
        output folder)."""
        self._files = files
        self._ledger_path = ledger_path
        self._download_url = download_url
        self._package_name = package_name
        self._keep_lines = keep_lines
        self._deck = deck
        self._previous = previous
        self._now = now
        note_types = edition_note_types(deck.lang, deck.labels)
        self.comparison = Comparison(previous, now, consent, note_types)
        self._note_types = note_type_entries(previous, now, note_types)
        # what close() lets go of, last made first; all made so far, should making one fail
        self._resources = ExitStack()
        try:
            self._open(files, deck)
        except BaseException:
            self._resources.close()
            raise
        self.note_count = 0
        self.card_count = 0

    def _open(self, files: Mapping[str, Path], deck: Deck) -> None:
        try:
            scratch = Path(self._resources.enter_context(tempfile.TemporaryDirectory(prefix="flashcards-")))
        except OSError as error:
            raise scratch_error(error.strerror or str(error)) from None
        self._scratch = scratch
        self._collection = CollectionWriter(
            scratch / "collection.anki2",
            deck,
            {type_id: entry.mtime for type_id, entry in self._note_types.items()},
        )
        self._resources.callback(self._collection.close)
        self._ledger_lines = connection = open_scratch_lines(scratch / "ledger.sqlite")
        self._resources.callback(connection.close)
        # Not the retired notes: a CSV import would give newcomers cards for them.
        self._anki_csv = self._resources.enter_context(open(files["anki_csv"], "x", encoding="utf-8", newline=""))  # noqa: SIM115 (the ExitStack closes it)
        self._anki_csv.write(ANKI_CSV_HEADER)
        self._spreadsheet_csv = self._resources.enter_context(
            open(files["spreadsheet_csv"], "x", encoding="utf-8", newline="")  # noqa: SIM115 (the ExitStack closes it)
        )
        self._spreadsheet_csv.write(SPREADSHEET_HEAD)
        # Each chunk is copied into the package and the ledger lines on another thread (SQLite lets this one run
        # meanwhile), a chunk at a time; it is let go of first, once the copy under way has ended.
        # That thread needs its turn to run Python after each SQLite call, and the default switch interval keeps
        # it waiting (see docs/performance.md).
        self._resources.callback(sys.setswitchinterval, sys.getswitchinterval())
        sys.setswitchinterval(0.0005)
        self._copier = ThreadPoolExecutor(max_workers=1)
        self._resources.callback(self._copier.shutdown)
        self._copying: Future[None] | None = None
        self._chunks_copied = 0

    def add(self, packed: PackedNotes) -> None:
        """Write packed notes, in deck order: compared with the last release here, copied on the copying thread
        (meanwhile the next chunk is compared)."""
        rows = self._rows_file(packed)
        times = times_text(self._compared(packed, rows))
        self._copied()
        self._copying = self._copier.submit(self._copy, packed, rows, times)
        self._anki_csv.write(packed.anki_csv)
        self._spreadsheet_csv.write(packed.spreadsheet)
        self.card_count += packed.card_count
        self.note_count += len(packed.keys)

    def _copy(self, packed: PackedNotes, rows: Path, times: bytes) -> None:
        """Copy packed notes' notes, cards and ledger lines with their times (in a few calls: each waits for this
        thread's turn to run Python)."""
        self._copy_package_rows(packed, rows, times)
        with attached(self._ledger_lines, rows):
            self._ledger_lines.execute(
                f"INSERT INTO arriving.lines SELECT l.id, {finished_line_sql('l.head', note_time('l'))}, "
                f"l.digest, {note_time('l')} FROM chunk.lines l",
                {"times": times},
            )
            self._ledger_lines.execute(
                "INSERT INTO texts (id, label, answer) SELECT id, label, answer FROM chunk.lines ORDER BY pos"
            )
        rows.unlink()

    def _rows_file(self, packed: PackedNotes) -> Path:
        # a new file each time: rewriting one that was just written waits for the disk (ext4's auto_da_alloc)
        self._chunks_copied += 1
        rows = self._scratch / f"chunk-{self._chunks_copied}.sqlite"
        rows.write_bytes(packed.rows)
        return rows

    def _copy_package_rows(self, packed: PackedNotes, rows: Path, times: bytes) -> None:
        with attached(self._collection.connection, rows):
            self._collection.add(packed.deck_names, len(packed.keys), times)

    def _compared(self, packed: PackedNotes, rows: Path) -> list[int]:
        """The time of each note, comparing it with the last release: in SQLite, where its ledger lines are
        (the notes that changed are then compared whole)."""
        kept = packed_unchanged_times(self._previous, rows, len(packed.keys))
        return self.comparison.compare(packed.keys, kept, packed.compared_note)

    def _copied(self) -> None:
        """Wait for the copy under way, and raise what it raised."""
        copying, self._copying = self._copying, None
        if copying is not None:
            copying.result()

    def changes(self, topic_locations: Mapping[str, Location]) -> Changes:
        """What the notes written change for learners; ExporterError if that needs consent not given."""
        self._copied()
        deck = self._deck
        changes = self.comparison.changes(
            options_changed=options_changed(self._previous.options, deck.id, deck.options)
        )
        refused = self.comparison.refusals(self._deck, changes, topic_locations)
        if refused:
            raise ExporterError.from_problems(refused)
        return changes

    def finish(self, changes: Changes, media: Sequence[MediaFile]) -> None:
        """Add the retired notes, then write the package on other cores (SQLite and zlib let other threads run)
        while the ledger and the changelog are written here."""
        deck, previous = self._deck, self._previous
        self._anki_csv.close()
        self._spreadsheet_csv.close()
        retired = sorted(retired_entries(previous, self.comparison.carried_ids(), deck.version, self._now))
        # a note type the exporter no longer has cannot be shipped: its notes stay in the ledger only
        shipped = [(card_id, entry) for card_id, entry in retired if entry.note_type in self._note_types]
        self._copied()
        self._refuse_shared_guids(shipped)
        retired_notes = pack([retired_note(card_id, entry) for card_id, entry in shipped])
        rows = self._rows_file(retired_notes)
        self._copy_package_rows(retired_notes, rows, times_text([entry.mtime for _, entry in shipped]))
        rows.unlink()
        ledger_lines = self._ledger_lines
        self._add_retired_lines(retired)
        ledger = Ledger(
            deck_id=deck.id,
            title=deck.title,
            version=deck.version,
            note_types=self._note_types,
            releases=releases_after(previous, deck.version, changes, self._now),
            options=preset_after(previous.options, deck.id, deck.options),
        )
        with ThreadPoolExecutor(max_workers=1) as pool:
            packed = pool.submit(self._write_package, ledger, media)
            sort_lines(ledger_lines)  # meanwhile: the package needs none of them
            with open(self._files["ledger"], "x", encoding="utf-8", newline="") as stream:
                write_ledger(
                    stream,
                    ledger,
                    (line for (line,) in ledger_lines.execute("SELECT line FROM lines ORDER BY id")),
                )
            with open(self._files["changelog"], "x", encoding="utf-8", newline="") as stream:
                write_changelog(stream, ledger, scratch_texts(ledger_lines))
            self._write_install_sheet(ledger)
            if self._keep_lines is not None:
                self._keep_lines(self._files["ledger"], self._scratch / "ledger.sqlite")
            packed.result()

    def _refuse_shared_guids(self, retired: Sequence[tuple[str, CardEntry]]) -> None:
        """ExporterError if a retired note would take another note's GUID (only an edited ledger does that):
        the package holds one note per GUID."""
        owners: dict[str, str] = {}
        for card_id, entry in retired:
            other = owners.setdefault(entry.guid, card_id)
            if other != card_id:
                raise damaged_entry(self._ledger_path, card_id, f"its GUID {entry.guid!r} is also card {other}'s")
        note_ids = json.dumps([stable_id("note", guid) for guid in owners])
        taken = self._collection.connection.execute(
            "SELECT guid FROM scratch.notes WHERE id IN (SELECT value FROM json_each(?))", (note_ids,)
        ).fetchone()
        if taken is not None:
            guid = taken[0]
            reason = f"its GUID {guid!r} is also card {self._live_card_with(guid)}'s"
            raise damaged_entry(self._ledger_path, owners[guid], reason)

    def _live_card_with(self, guid: str) -> str:
        pattern = f'%{{"guid": {json.dumps(guid)}, %'
        found = self._ledger_lines.execute(
            "SELECT id FROM arriving.lines WHERE line LIKE ?", (pattern,)
        ).fetchone()
        return "?" if found is None else str(found[0])

    def _add_retired_lines(self, retired: Sequence[tuple[str, CardEntry]]) -> None:
        # (a retired card's line is not its head and its time: no digest, no time)
        self._ledger_lines.executemany(
            "INSERT INTO arriving.lines VALUES (?, ?, NULL, NULL)",
            [(card_id, entry_line(card_id, entry)) for card_id, entry in retired],
        )
        self._ledger_lines.executemany(
            "INSERT INTO texts (id, label, answer) VALUES (?, ?, ?)",
            [
                (
                    card_id,
                    card_label(card_id, entry.deck, entry.fields[0]),
                    card_answer(entry.note_type, entry.fields),
                )
                for card_id, entry in retired
            ],
        )
        self._ledger_lines.commit()

    def _write_install_sheet(self, ledger: Ledger) -> None:
        release = ledger.releases[-1] if ledger.releases else None
        shown = release.changes.added[:NEWS_SHOWN] if release else ()
        lines = dict(
            self._ledger_lines.execute(f"SELECT id, line FROM lines WHERE id IN ({_places(shown)})", shown)
        )
        news = [parse_line(lines[card_id]).fields[0] for card_id in shown]
        page = install_sheet_html(self._deck, self._package_name, release, news, self._download_url)
        with open(self._files["install_sheet"], "x", encoding="utf-8", newline="") as stream:
            stream.write(page)

    def _write_package(self, ledger: Ledger, media: Sequence[MediaFile]) -> None:
        self._collection.tag_notes(release_tags(ledger.releases))
        self._collection.finish(whats_new(ledger.releases, ledger.version), ledger.options)
        with open(self._files["apkg"], "xb") as stream:
            write_package(stream, self._scratch / "collection.anki2", media)

    def close(self) -> None:
        """Let go of the scratch files (the written files stay)."""
        self._resources.close()


def _places(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))
