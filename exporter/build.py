"""The pipeline, one call per step: load → validate → render → write."""
from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from exporter.errors import ExporterError, Problem
from exporter.loading import load_deck
from exporter.media import MediaFile, index_media, media_problems, used_media
from exporter.model import Deck
from exporter.changes import Consent, compare, consent_problems
from exporter.releases import (LEDGER_FILE, Changes, Ledger, build_time, ledger_json, next_ledger, read_ledger,
                               retired_notes)
from exporter.render import RenderedNote, render_notes
from exporter.validation import validate
from exporter.yaml_reading import collector_paused

if TYPE_CHECKING:  # imported where used: validate needs neither (start-up time)
    from exporter.cache import Cache

CHANGELOG_FILE = "CHANGELOG.md"
#: Told (steps done, steps in all) as a build goes: read and checked, rendered, compared, packed, written.
Progress = Callable[[int, int], None]
BUILD_STEPS = 5


@dataclass(frozen=True, slots=True)
class Checked:
    """A card set that was read and validated: the deck (None if unreadable) and every problem."""

    deck: Deck | None
    problems: list[Problem]
    #: the media folder's files by the name cards use
    media: dict[str, MediaFile] = field(default_factory=dict)

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


def check(cards_dir: Path, *, strict: bool = False, cache: Cache | None = None) -> Checked:
    """Load and validate a card set, gathering every problem; with a cache, unchanged files are not read again."""
    deck, problems = load_deck(cards_dir, cache=cache)
    media, media_found = index_media(Path(cards_dir))
    problems = problems + media_found
    if deck is not None:
        problems = problems + validate(deck, strict=strict) + media_problems(used_media(deck), media)
    return Checked(deck, sorted(problems), media)


def output_names(deck: Deck) -> dict[str, str]:
    """The files a build writes, by what they are for."""
    return {
        "apkg": f"{deck.id}.apkg",
        "anki_csv": f"{deck.id}.anki.csv",
        "spreadsheet_csv": f"{deck.id}.spreadsheet.csv",
        "ledger": LEDGER_FILE,
        "changelog": CHANGELOG_FILE,
    }


def approved_cards(deck: Deck) -> Deck:
    """The deck with only its approved cards (a card the last release had and this one drops is retired)."""
    topics = tuple(replace(topic, cards=tuple(card for card in topic.cards if card.review.status == "approved"))
                   for topic in deck.topics)
    return replace(deck, topics=topics)


@dataclass(frozen=True, slots=True)
class Release:
    """Everything a build would write, before anything is written."""

    deck: Deck
    notes: list[RenderedNote]
    changes: Changes
    files: dict[str, bytes]
    warnings: list[Problem]


# A build makes a million objects and hardly a cycle; each collection on the way would walk all of them.
@collector_paused()
def prepare(cards_dir: Path, out_dir: Path, *, strict: bool = False, consent: Consent = Consent(),
            approved_only: bool = False, progress: Progress | None = None, cache: Cache | None = None) -> Release:
    """Validate, compare with the last release in out_dir, and render every output file in memory."""
    step = progress or _no_progress
    checked = check(cards_dir, strict=strict, cache=cache)
    step(1, BUILD_STEPS)
    if checked.errors or checked.deck is None:
        raise ExporterError.from_problems(checked.errors)
    deck = approved_cards(checked.deck) if approved_only else checked.deck
    if not deck.cards and checked.deck.cards:
        raise ExporterError(deck.location, "no card is approved yet, so --approved-only would ship nothing (and "
                                           "retire every card learners have); approve cards first")
    notes, shipped_media = shipped_notes(deck, checked.media)
    step(2, BUILD_STEPS)
    previous = read_ledger(out_dir)
    changes = compare(previous, deck, notes)
    refused = consent_problems(previous, deck, notes, changes, consent)
    if refused:
        raise ExporterError.from_problems(refused)
    ledger = next_ledger(previous, deck, notes, changes, build_time())
    step(3, BUILD_STEPS)
    files = render_files(deck, notes, ledger, shipped_media)
    step(4, BUILD_STEPS)
    return Release(deck, notes, changes, files, checked.warnings)


def shipped_notes(deck: Deck, media: dict[str, MediaFile]) -> tuple[list[RenderedNote], list[MediaFile]]:
    """The deck's notes as a build ships them (media under their stored names), and the media files they use."""
    used = used_media(deck)
    shipped_media = [item for name, item in sorted(media.items()) if name in used]
    return render_notes(deck, {item.name: item.stored_name for item in shipped_media}), shipped_media


def build(cards_dir: Path, out_dir: Path, *, strict: bool = False, consent: Consent = Consent(),
          approved_only: bool = False, progress: Progress | None = None, cache: bool = True) -> Built:
    """Validate, then write the package, both CSV files, the ledger and the changelog; nothing if anything fails.

    With cache, the files read are kept in the card folder's .flashcards-cache/ and a rebuild reads only the
    changed ones again (the outputs are the same either way; build --check never uses it).
    """
    from exporter.cache import CACHE_FOLDER, Cache
    from exporter.output import locked_output, write_files

    # Held from reading the last release's ledger to writing the next: two builds at once take turns.
    with locked_output(out_dir):
        release = prepare(cards_dir, out_dir, strict=strict, consent=consent, approved_only=approved_only,
                          progress=progress, cache=Cache(Path(cards_dir) / CACHE_FOLDER) if cache else None)
        paths = write_files(out_dir, release.files)
        (progress or _no_progress)(BUILD_STEPS, BUILD_STEPS)
    return Built(release.deck, release.notes, paths, release.warnings)


def _no_progress(done: int, total: int) -> None:
    pass


def pending_changes(cards_dir: Path, out_dir: Path) -> tuple[Ledger, Changes, Ledger]:
    """The last release, what building now would change, and the ledger it would write (for card labels)."""
    checked = check(cards_dir)
    if checked.errors or checked.deck is None:
        raise ExporterError.from_problems(checked.errors)
    notes, _ = shipped_notes(checked.deck, checked.media)
    previous = read_ledger(out_dir)
    changes = compare(previous, checked.deck, notes)
    preview = next_ledger(previous, checked.deck, notes, changes, build_time())
    return previous, changes, preview


def stale_files(cards_dir: Path, out_dir: Path) -> list[str]:
    """The output files that differ from what the sources build now (missing ones included); empty if fresh."""
    release = prepare(cards_dir, out_dir)
    return [name for name, data in release.files.items()
            if not (out_dir / name).is_file() or (out_dir / name).read_bytes() != data]


def render_files(deck: Deck, notes: list[RenderedNote], ledger: Ledger,
                 media: Sequence[MediaFile] = ()) -> dict[str, bytes]:
    """Every output file's bytes, by file name."""
    from concurrent.futures import ThreadPoolExecutor

    from exporter.writers.apkg import collection_bytes, write_package
    from exporter.writers.changelog import changelog_markdown
    from exporter.writers.csv import anki_csv, spreadsheet_csv

    names = output_names(deck)
    shipped = notes + retired_notes(ledger)

    def package(collection: bytes) -> bytes:
        stream = io.BytesIO()
        write_package(stream, collection, media)
        return stream.getvalue()

    # Compressing the package is long and lets other threads run (zlib does not hold the interpreter): the other
    # files are rendered meanwhile, on another core, the ledger (the most memory) first.
    with ThreadPoolExecutor(max_workers=1) as pool:
        packed = pool.submit(package, collection_bytes(deck, shipped, note_mtimes=ledger.note_mtimes(),
                                                       note_type_mtimes=ledger.note_type_mtimes()))
        ledger_file = ledger_json(ledger)
        changelog = changelog_markdown(ledger)
        # Not the retired notes: a CSV import would give newcomers cards for them.
        anki = anki_csv(notes)
        spreadsheet = spreadsheet_csv(deck, notes)
        apkg = packed.result()
    return {
        names["apkg"]: apkg,
        names["anki_csv"]: anki,
        names["spreadsheet_csv"]: spreadsheet,
        names["ledger"]: ledger_file,
        names["changelog"]: changelog,
    }
