"""A build: the card set read and checked file by file (checked_stream), each file's notes compared with the
last release and written as they come (release_writer), then the files put in place together (output)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.errors import ExporterError, Location, Problem
from exporter.model import Deck
from exporter.pipeline.checked_stream import OpenedSet, Progress, Streamed, opened_or_failed, stream_chunks
from exporter.pipeline.editions import Edition, Seen, edition_problems, open_edition
from exporter.pipeline.progress import BuildProgress, no_progress
from exporter.pipeline.release_files import CHANGELOG_FILE, output_names
from exporter.pipeline.stream import card_set_chunks
from exporter.reading.collector import collector_paused
from exporter.release.comparison import Consent
from exporter.release.ledger import LEDGER_FILE, Changes, build_time

if TYPE_CHECKING:  # imported where used: validate needs neither (start-up time)
    from exporter.pipeline.cache import Cache
    from exporter.pipeline.release_writer import ReleaseWriter


@dataclass(frozen=True, slots=True)
class Built:
    """What a build wrote and what it found worth a warning."""

    deck: Deck
    note_count: int
    card_count: int
    paths: list[Path]
    warnings: list[Problem]
    #: each language edition's deck, notes and cards
    editions: tuple[tuple[Deck, int, int], ...] = ()


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
    #: the language editions written with it
    editions: tuple[Release, ...] = ()


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
    output file where stage says, for the English edition and each language edition deck.yaml lists (into one
    staging, so that all are switched in together); ExporterError if anything is wrong."""
    # here: it imports genanki and sqlite3, which validate does without
    from exporter.pipeline.packed_notes import scratch_failures

    opened = opened_or_failed(cards_dir, cache)
    editions = [open_edition(opened, lang, strict=strict, cache=cache) for lang in opened.deck.languages]
    told = BuildProgress(progress or no_progress, opened.byte_count(), 1 + len(editions))
    options = _Options(strict, consent, approved_only, cache, download_url or opened.deck.download_url)
    names = [output_names(deck) for deck in [opened.deck] + [edition.deck for edition in editions]]
    # a build makes many objects and hardly a cycle: each collection on the way would walk all of them
    with (
        stage([name for each in names for name in each.values()]) as staged,
        scratch_failures(),
        collector_paused(),
    ):
        english = _release(opened, None, out_dir, staged, told, options)
        translated = tuple(_release(opened, edition, out_dir, staged, told, options) for edition in editions)
        if cache is not None:  # only now: each edition's chunks have their own entries, to be kept too
            cache.prune()
        warnings = english.warnings + sorted(
            {problem for release in translated for problem in release.warnings} - set(english.warnings)
        )
        yield dataclasses.replace(english, files=staged, warnings=warnings, editions=translated)
        told.finish()  # the release is in place


@dataclass(frozen=True, slots=True)
class _Options:
    strict: bool
    consent: Consent
    approved_only: bool
    cache: Cache | None
    #: the download address given at the build, else the deck file's: the English package's, so a language
    #: edition's install sheet shows none rather than a code that downloads the English deck
    download_url: str


def _release(
    opened: OpenedSet,
    edition: Edition | None,
    out_dir: Path,
    staged: dict[str, Path],
    told: BuildProgress,
    options: _Options,
) -> Release:
    """Write one edition's files (the English one when edition is None) into their staged paths."""
    from exporter.release.tryout import leftover_examples

    deck = opened.deck if edition is None else edition.deck
    files = {kind: staged[name] for kind, name in output_names(deck).items()}
    writer = _writer(deck, edition, out_dir, files, options)
    try:
        context = opened.context(
            strict=options.strict,
            approved_only=options.approved_only,
            edition=None if edition is None else (edition.deck, edition.catalog),
        )
        seen = Seen()
        chunks = seen.watching(card_set_chunks(opened.topic_paths, opened.root, context, options.cache, told.read))
        streamed = stream_chunks(opened, chunks, writer.add)
        if edition is not None:
            streamed.problems = sorted(
                streamed.problems + edition.fallbacks + edition_problems(edition, seen, opened.deck)
            )
        _refuse_failed(deck, streamed, approved_only=options.approved_only, note_count=writer.note_count)
        changes = writer.changes(streamed.topic_locations)
        told.step()
        shipped_media = [item for name, item in sorted(opened.media.items()) if name in streamed.shipped_media]
        writer.finish(changes, shipped_media)
        told.step()
    finally:
        writer.close()
    warnings = streamed.warnings
    if edition is None:
        warnings += leftover_examples(opened.deck, writer.comparison.shipped, changes.retired)
    return Release(deck, changes, files, warnings, writer.note_count, writer.card_count)


def _writer(
    deck: Deck, edition: Edition | None, out_dir: Path, files: dict[str, Path], options: _Options
) -> ReleaseWriter:
    """The writer of one edition's release into its files, over its last release (refused if its ledger is lost)."""
    from exporter.pipeline.release_writer import ReleaseWriter
    from exporter.release.ledger_index import read_ledger

    names = output_names(deck)
    previous = read_ledger(out_dir, options.cache, names["ledger"])
    if previous.is_empty and not options.consent.new_history:
        _refuse_lost_ledger(out_dir, None if edition is None else names)
    keeper = None if options.cache is None else _ledger_keeper(options.cache, names["ledger"])
    shown = {"download_url": "" if edition else options.download_url, "package_name": names["apkg"]}
    ledger_path = out_dir / names["ledger"]
    return ReleaseWriter(
        files, deck, previous, build_time(), options.consent, keeper, ledger_path=ledger_path, **shown
    )


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


def _refuse_lost_ledger(out_dir: Path, names: dict[str, str] | None) -> None:
    """ExporterError if the output folder holds a release (a package or a changelog; of this language edition,
    when names are an edition's) but no ledger: building would start the release history again, without a word."""
    try:
        left = sorted(
            path.name
            for path in out_dir.iterdir()
            if (path.name.endswith((".apkg", CHANGELOG_FILE)) if names is None else path.name in names.values())
        )
    except OSError:  # no folder yet (a first build), or none to read: the output step says what is wrong
        return
    if not left:
        return
    ledger = out_dir / (LEDGER_FILE if names is None else names["ledger"])
    raise ExporterError(
        Location(str(ledger)),
        f"the release ledger is missing, but {out_dir} holds a release ({', '.join(left)}). Without it this "
        "build would start the release history again: removed cards would not be retired on learners' phones, "
        "every card would be stamped as changed (an import would overwrite learners' own edits), the changelog "
        "would start over and no guard would compare with what learners have. Restore the ledger from version "
        f"control (git checkout -- {ledger}) or from a backup; to start a new history on purpose, build with "
        "--new-history",
    )


def _ledger_keeper(cache: Cache, name: str) -> Callable[[Path, Path], None]:
    """What keeps a written ledger's lines in the cache, for the next build to compare with (ledger_index)."""

    def keep(ledger: Path, lines: Path) -> None:
        try:
            key = cache.key(ledger, name)
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
    editions = tuple((edition.deck, edition.note_count, edition.card_count) for edition in release.editions)
    return Built(release.deck, release.note_count, release.card_count, paths, release.warnings, editions)


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
