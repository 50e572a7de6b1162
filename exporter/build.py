"""The pipeline, one call per step: load → validate → render → write."""
from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from exporter.errors import ExporterError, Location, Problem
from exporter.loading import load_deck
from exporter.model import Deck
from exporter.releases import LEDGER_FILE, build_time, ledger_json, next_ledger, read_ledger
from exporter.render import RenderedNote, render_notes
from exporter.validation import validate


@dataclass(frozen=True, slots=True)
class Checked:
    """A card set that was read and validated: the deck (None if unreadable) and every problem."""

    deck: Deck | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]


@dataclass(frozen=True, slots=True)
class Built:
    """What a build wrote and what it found worth a warning."""

    deck: Deck
    notes: list[RenderedNote]
    paths: list[Path]
    warnings: list[Problem]

    @property
    def card_count(self) -> int:
        return sum(len(note.card_ordinals) for note in self.notes)


def check(cards_dir: Path, *, strict: bool = False) -> Checked:
    """Load and validate a card set, gathering every problem."""
    deck, problems = load_deck(cards_dir)
    if deck is not None:
        problems = problems + validate(deck, strict=strict)
    return Checked(deck, sorted(problems))


def output_names(deck: Deck) -> dict[str, str]:
    """The files a build writes, by what they are for."""
    return {
        "apkg": f"{deck.id}.apkg",
        "anki_csv": f"{deck.id}.anki.csv",
        "spreadsheet_csv": f"{deck.id}.spreadsheet.csv",
        "ledger": LEDGER_FILE,
    }


def build(cards_dir: Path, out_dir: Path, *, strict: bool = False) -> Built:
    """Validate, then write the package, both CSV files and the ledger; nothing is written if anything fails."""
    checked = check(cards_dir, strict=strict)
    if checked.errors or checked.deck is None:
        raise ExporterError.from_problems(checked.errors)
    deck = checked.deck
    notes = render_notes(deck)
    previous = read_ledger(out_dir)
    ledger = next_ledger(previous, deck, notes, build_time())
    files = render_files(deck, notes, ledger)
    paths = write_files(out_dir, files)
    return Built(deck, notes, paths, checked.warnings)


def render_files(deck: Deck, notes: list[RenderedNote], ledger) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """Every output file's bytes, by file name."""
    from exporter.writers.apkg import write_apkg
    from exporter.writers.csv import anki_csv, spreadsheet_csv

    names = output_names(deck)
    package = io.BytesIO()
    write_apkg(package, deck, notes, note_mtimes=ledger.note_mtimes(), note_type_mtimes=ledger.note_type_mtimes())
    return {
        names["apkg"]: package.getvalue(),
        names["anki_csv"]: anki_csv(notes),
        names["spreadsheet_csv"]: spreadsheet_csv(deck, notes),
        names["ledger"]: ledger_json(ledger),
    }


def write_files(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write each file beside its target and rename it into place, so no reader ever sees half a file."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staged = []
        try:
            for name, data in files.items():
                handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
                staged.append((temporary, out_dir / name))
                os.chmod(temporary, 0o644)  # mkstemp makes files private; decks are for sharing
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
            for temporary, target in staged:
                os.replace(temporary, target)
        finally:
            for temporary, _ in staged:
                if os.path.exists(temporary):
                    os.unlink(temporary)
    except OSError as error:
        raise ExporterError(Location(str(out_dir)), f"cannot write the output: {error.strerror or error}; "
                                                    "check the folder exists, is writable and has space") from None
    return [out_dir / name for name in files]
