"""The pipeline, one call per step: load → validate → render → write."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.checking.media import index_media, media_problems
from exporter.checking.validation import CardIds, deck_problems
from exporter.errors import ExporterError, Location, Problem
from exporter.model import Deck
from exporter.pipeline.chunks import Chunk, Context
from exporter.pipeline.stream import card_set_chunks
from exporter.pipeline.whole_deck import check
from exporter.reading.composing import collector_paused
from exporter.reading.loading import open_card_set
from exporter.release.comparison import Consent
from exporter.release.ledger import LEDGER_FILE, Changes, build_time

if TYPE_CHECKING:  # imported where used: validate needs neither (start-up time)
    from exporter.pipeline.cache import Cache
    from exporter.pipeline.release_writer import ReleaseWriter

CHANGELOG_FILE = "CHANGELOG.md"
#: Told (steps done, steps in all) as a build goes: read and checked, rendered, compared, packed, written.
Progress = Callable[[int, int], None]
BUILD_STEPS = 5


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
    }


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
) -> Iterator[Release]:
    """Validate, compare with the last release in out_dir, and write every output file where stage says.

    The card files are read, checked, rendered and written one after another (chunks), so memory holds one file's
    cards at a time; with a cache, an unchanged file's chunk is taken from it. ExporterError if anything is wrong.
    """
    # here: they import genanki and sqlite3, which validate does without
    from exporter.pipeline.packed_notes import scratch_failures
    from exporter.pipeline.release_writer import ReleaseWriter
    from exporter.release.ledger_index import read_ledger

    # A build makes a million objects and hardly a cycle; each collection on the way would walk all of them.
    with collector_paused():
        step = progress or _no_progress
        root = Path(cards_dir)
        deck, problems, paths = open_card_set(root)
        if deck is None:
            raise ExporterError.from_problems(check(root, strict=strict).errors)
        media, media_found = index_media(root)
        problems = problems + media_found + list(deck_problems(deck))
        context = Context.of(
            deck,
            {name: item.stored_name for name, item in media.items()},
            strict=strict,
            approved_only=approved_only,
        )
        previous = read_ledger(out_dir, cache)
        names = output_names(deck)
        with stage(names.values()) as staged, scratch_failures():
            writer = ReleaseWriter(
                {kind: staged[name] for kind, name in names.items()},
                deck,
                previous,
                build_time(),
                consent,
                None if cache is None else _ledger_keeper(cache),
            )
            try:
                streamed = _stream(card_set_chunks(paths, root, context, cache), writer, problems)
                problems = sorted(streamed.problems + media_problems(streamed.used_media, media))
                errors = [problem for problem in problems if problem.severity == "error"]
                if errors:
                    raise ExporterError.from_problems(errors)
                if approved_only and not writer.note_count and streamed.card_count:
                    raise ExporterError(
                        deck.location,
                        "no card is approved yet, so --approved-only would ship "
                        "nothing (and retire every card learners have); approve "
                        "cards first",
                    )
                step(1, BUILD_STEPS)
                changes = writer.changes(streamed.topic_locations)
                step(2, BUILD_STEPS)
                writer.finish(
                    changes, [item for name, item in sorted(media.items()) if name in streamed.shipped_media]
                )
                step(3, BUILD_STEPS)
                step(4, BUILD_STEPS)
            finally:
                writer.close()
            yield Release(
                deck,
                changes,
                staged,
                [problem for problem in problems if problem.severity == "warning"],
                writer.note_count,
                writer.card_count,
            )


def _ledger_keeper(cache: Cache) -> Callable[[Path, Path], None]:
    """What keeps a written ledger's lines in the cache, for the next build to compare with (ledger_reading)."""

    def keep(ledger: Path, lines: Path) -> None:
        try:
            key = cache.key(ledger, LEDGER_FILE)
        except OSError:  # not kept: the next build reads the ledger itself
            return
        cache.put_file(key, lines)

    return keep


@dataclass(slots=True)
class _Streamed:
    """What streaming the chunks into the writer found, besides the notes written."""

    problems: list[Problem]
    #: the media cards refer to, with where first, and those the shipped cards refer to
    used_media: dict[str, Location] = field(default_factory=dict)
    shipped_media: set[str] = field(default_factory=set)
    #: where each deck's topic file starts
    topic_locations: dict[str, Location] = field(default_factory=dict)
    card_count: int = 0


def _stream(chunks: Iterator[Chunk], writer: ReleaseWriter, problems: list[Problem]) -> _Streamed:
    """Write each chunk's notes while no error has been found, and gather every problem (after the problems
    given)."""
    streamed = _Streamed(list(problems))
    ids = CardIds()  # let go of on return: at 100,000 cards it is a sixth of the build's memory
    failed = any(problem.severity == "error" for problem in problems)
    for chunk in chunks:
        found = chunk.problems + tuple(ids.repeated(chunk.ids))
        streamed.problems.extend(found)
        failed = failed or any(problem.severity == "error" for problem in found)
        for name, where in chunk.used_media:
            streamed.used_media.setdefault(name, where)
        streamed.shipped_media.update(chunk.shipped_media)
        if chunk.deck_name is not None and chunk.location is not None:
            streamed.topic_locations.setdefault(chunk.deck_name, chunk.location)
        streamed.card_count += chunk.card_count
        if not failed:
            for packed in chunk.packs:
                writer.add(packed)
    return streamed


def build(
    cards_dir: Path,
    out_dir: Path,
    *,
    strict: bool = False,
    consent: Consent = Consent(),
    approved_only: bool = False,
    progress: Progress | None = None,
    cache: bool = True,
) -> Built:
    """Validate, then write the package, both CSV files, the ledger and the changelog; nothing if anything fails.

    With cache, each file's chunk is kept in the card folder's .flashcards-cache/ and a rebuild reads only the
    changed files again (the outputs are the same either way; build --check never uses it).
    """
    from exporter.pipeline.cache import CACHE_FOLDER, Cache
    from exporter.pipeline.output import install, locked_output, staged_files

    # Held from reading the last release's ledger to writing the next: two builds at once take turns.
    with locked_output(out_dir):
        with prepared(
            cards_dir,
            out_dir,
            lambda names: staged_files(out_dir, names),
            strict=strict,
            consent=consent,
            approved_only=approved_only,
            progress=progress,
            cache=Cache(Path(cards_dir) / CACHE_FOLDER) if cache else None,
        ) as release:
            paths = install(out_dir, release.files)
        (progress or _no_progress)(BUILD_STEPS, BUILD_STEPS)
    return Built(release.deck, release.note_count, release.card_count, paths, release.warnings)


def _no_progress(done: int, total: int) -> None:
    pass


def stale_files(cards_dir: Path, out_dir: Path) -> list[str]:
    """The output files that differ from what the sources build now (missing ones included); empty if fresh."""
    import filecmp
    import tempfile

    with tempfile.TemporaryDirectory(prefix="flashcards-check-") as scratch:

        @contextmanager
        def stage(names: Iterable[str]) -> Iterator[dict[str, Path]]:
            yield {name: Path(scratch) / name for name in names}

        with prepared(cards_dir, out_dir, stage) as release:
            return [
                name
                for name, path in release.files.items()
                if not (out_dir / name).is_file() or not filecmp.cmp(path, out_dir / name, shallow=False)
            ]
