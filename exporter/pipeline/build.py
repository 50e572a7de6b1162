"""A build: the card set read and checked file by file (checked_stream), each file's notes compared with the
last release and written as they come (release_writer), then the files put in place together (output)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.errors import ExporterError, Location, Problem
from exporter.model import Deck
from exporter.pipeline.checked_stream import Progress, Streamed, opened_or_failed, stream_chunks
from exporter.pipeline.stream import card_set_chunks
from exporter.reading.composing import collector_paused
from exporter.release.comparison import Consent
from exporter.release.ledger import LEDGER_FILE, Changes, build_time

if TYPE_CHECKING:  # imported where used: validate needs neither (start-up time)
    from exporter.pipeline.cache import Cache

CHANGELOG_FILE = "CHANGELOG.md"


@dataclass(frozen=True, slots=True)
class Built:
    """What a build wrote and what it found worth a warning."""

    deck: Deck
    note_count: int
    card_count: int
    paths: list[Path]
    warnings: list[Problem]


def output_names(deck: Deck) -> dict[str, str]:
    """The files a build writes, by what they are for."""
    return {
        "apkg": f"{deck.id}.apkg",
        "anki_csv": f"{deck.id}.anki.csv",
        "spreadsheet_csv": f"{deck.id}.spreadsheet.csv",
        "ledger": LEDGER_FILE,
        "changelog": CHANGELOG_FILE,
        "install_sheet": f"{deck.id}.install.html",
    }


def is_release_file(name: str) -> bool:
    """Whether a build writes files of this name (for some deck): no other output may take it."""
    return name in (LEDGER_FILE, CHANGELOG_FILE) or name.endswith((".apkg", ".anki.csv", ".spreadsheet.csv"))


@dataclass(frozen=True, slots=True)
class Release:
    """A release written into staged files, before they are put in place."""

    deck: Deck
    changes: Changes
    #: the written files by their names in the output folder
    files: dict[str, Path]
    warnings: list[Problem]
    note_count: int
    card_count: int


#: Given the output files' names, a context that gives a path to write each at (see output.staged_files).
Staging = Callable[[Iterable[str]], AbstractContextManager[dict[str, Path]]]


@contextmanager
def prepared(
    cards_dir: Path,
    out_dir: Path,
    stage: Staging,
    *,
    strict: bool = False,
    consent: Consent = Consent(),
    approved_only: bool = False,
    progress: Progress | None = None,
    cache: Cache | None = None,
    download_url: str = "",
) -> Iterator[Release]:
    """Read and check the card set file by file, compare it with the last release in out_dir, and write every
    output file where stage says; ExporterError if anything is wrong."""
    # here: they import genanki and sqlite3, which validate does without
    from exporter.pipeline.packed_notes import scratch_failures
    from exporter.pipeline.release_writer import ReleaseWriter
    from exporter.release.ledger_index import read_ledger
    from exporter.release.tryout import leftover_examples

    opened = opened_or_failed(cards_dir)
    told = _BuildProgress(progress or _no_progress, opened.byte_count())
    previous = read_ledger(out_dir, cache)
    if previous.is_empty and not consent.new_history:
        _refuse_lost_ledger(out_dir)
    names = output_names(opened.deck)
    # a build makes many objects and hardly a cycle: each collection on the way would walk all of them
    with stage(names.values()) as staged, scratch_failures(), collector_paused():
        files = {kind: staged[name] for kind, name in names.items()}
        keeper = None if cache is None else _ledger_keeper(cache)
        # the download address given at the build, else the deck file's
        shown = {"download_url": download_url or opened.deck.download_url, "package_name": names["apkg"]}
        writer = ReleaseWriter(
            files, opened.deck, previous, build_time(), consent, keeper, ledger_path=out_dir / LEDGER_FILE, **shown
        )
        try:
            context = opened.context(strict=strict, approved_only=approved_only)
            chunks = card_set_chunks(opened.topic_paths, opened.root, context, cache, told.read)
            streamed = stream_chunks(opened, chunks, writer.add)
            _refuse_failed(opened.deck, streamed, approved_only=approved_only, note_count=writer.note_count)
            changes = writer.changes(streamed.topic_locations)
            told.step()
            shipped_media = [item for name, item in sorted(opened.media.items()) if name in streamed.shipped_media]
            writer.finish(changes, shipped_media)
            told.step()
        finally:
            writer.close()
        warnings = streamed.warnings + leftover_examples(opened.deck, writer.comparison.shipped, changes.retired)
        yield Release(opened.deck, changes, staged, warnings, writer.note_count, writer.card_count)
        told.finish()  # the release is in place


def _refuse_failed(deck: Deck, streamed: Streamed, *, approved_only: bool, note_count: int) -> None:
    """ExporterError with every error found; or if --approved-only would ship nothing of a set with cards."""
    if streamed.errors:
        raise ExporterError.from_problems(streamed.errors)
    if approved_only and not note_count and streamed.card_count:
        raise ExporterError(
            deck.location,
            "no card is approved yet, so --approved-only would ship nothing (and retire every card learners "
            "have); approve cards first",
        )


def _refuse_lost_ledger(out_dir: Path) -> None:
    """ExporterError if the output folder holds a release (a package or a changelog) but no ledger: building
    would start the release history again, without a word."""
    try:
        left = sorted(path.name for path in out_dir.iterdir() if path.name.endswith((".apkg", CHANGELOG_FILE)))
    except OSError:  # no folder yet (a first build), or none to read: the output step says what is wrong
        return
    if not left:
        return
    ledger = out_dir / LEDGER_FILE
    raise ExporterError(
        Location(str(ledger)),
        f"the release ledger is missing, but {out_dir} holds a release ({', '.join(left)}). Without it this "
        "build would start the release history again: removed cards would not be retired on learners' phones, "
        "every card would be stamped as changed (an import would overwrite learners' own edits), the changelog "
        "would start over and no guard would compare with what learners have. Restore the ledger from version "
        f"control (git checkout -- {ledger}) or from a backup; to start a new history on purpose, build with "
        "--new-history",
    )


class _BuildProgress:
    """Progress in bytes of card files read, then three steps of writing (compared, written, installed), each
    worth a tenth of the reading."""

    def __init__(self, progress: Progress, byte_count: int) -> None:
        self._progress = progress
        self._step = max(1, byte_count // 10)
        self.total = byte_count + 3 * self._step
        self.done = 0

    def read(self, size: int) -> None:
        self.done += size
        self._progress(self.done, self.total)

    def step(self) -> None:
        self.done += self._step
        self._progress(self.done, self.total)

    def finish(self) -> None:
        self.done = self.total
        self._progress(self.total, self.total)


def _ledger_keeper(cache: Cache) -> Callable[[Path, Path], None]:
    """What keeps a written ledger's lines in the cache, for the next build to compare with (ledger_index)."""

    def keep(ledger: Path, lines: Path) -> None:
        try:
            key = cache.key(ledger, LEDGER_FILE)
        except OSError:  # not kept: the next build reads the ledger itself
            return
        cache.put_file(key, lines)

    return keep


def build(
    cards_dir: Path,
    out_dir: Path,
    *,
    strict: bool = False,
    consent: Consent = Consent(),
    approved_only: bool = False,
    progress: Progress | None = None,
    cache: bool = True,
    download_url: str = "",
) -> Built:
    """Validate, then write the package, both CSV files, the ledger and the changelog; nothing if anything fails.

    With cache, each file's chunk is kept in the card folder's .flashcards-cache/ and a rebuild reads only the
    changed files again (the outputs are the same either way; build --check never uses it).
    """
    from exporter.pipeline.cache import CACHE_FOLDER, Cache
    from exporter.pipeline.output import install, locked_output, refuse_card_folder, staged_files

    refuse_card_folder(cards_dir, out_dir, "dist")
    # Held from reading the last release's ledger to writing the next: two builds at once take turns.
    with (
        locked_output(out_dir),
        prepared(
            cards_dir,
            out_dir,
            lambda names: staged_files(out_dir, names),
            strict=strict,
            consent=consent,
            approved_only=approved_only,
            progress=progress,
            cache=Cache(Path(cards_dir) / CACHE_FOLDER) if cache else None,
            download_url=download_url,
        ) as release,
    ):
        paths = install(out_dir, release.files)
    return Built(release.deck, release.note_count, release.card_count, paths, release.warnings)


def _no_progress(done: int, total: int) -> None:
    pass


def stale_files(cards_dir: Path, out_dir: Path, *, download_url: str = "") -> list[str]:
    """The output files that differ from what the sources build now (missing ones included); empty if fresh."""
    import filecmp
    import tempfile

    from exporter.pipeline.output import reading_release

    # the folder held throughout: a build that would switch releases meanwhile waits
    with tempfile.TemporaryDirectory(prefix="flashcards-check-") as scratch, reading_release(out_dir):

        @contextmanager
        def stage(names: Iterable[str]) -> Iterator[dict[str, Path]]:
            yield {name: Path(scratch) / name for name in names}

        with prepared(cards_dir, out_dir, stage, download_url=download_url) as release:
            return [
                name
                for name, path in release.files.items()
                if not (out_dir / name).is_file() or not filecmp.cmp(path, out_dir / name, shallow=False)
            ]
