"""The first stages every command shares: open the card set, then read and check it file by file.

validate is these stages with no sink; check() keeps the cards for the commands that look at the whole deck
(diff, review, stats, coverage); build gives each file's notes to the release writer (see build.py). A big file
comes in pieces on both cores, and with a cache an unchanged file is not read again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from exporter.checking.deck_rules import CardIds, deck_problems
from exporter.checking.media import MediaFile, index_media, media_problems
from exporter.errors import ExporterError, Location, Problem
from exporter.model import Deck, Topic, Translation
from exporter.pipeline.chunks import Chunk
from exporter.pipeline.context import Context
from exporter.pipeline.stream import card_set_chunks
from exporter.reading.collector import collector_paused
from exporter.reading.files import card_set_files, topic_file_bytes
from exporter.reading.translations import translation_file_bytes, translation_path, translations_of

if TYPE_CHECKING:
    from exporter.pipeline.cache import Cache
    from exporter.pipeline.shipped import PackedNotes
    from exporter.rendering.translation import Catalog

#: What the deck file's and a translation file's cache entries are told apart by (a card file's is its Context's
#: fingerprint).
_DECK_FILE_ENTRY = b"deck file"
_TRANSLATION_FILE_ENTRY = b"translation file"
#: Told (work done, work in all) as a command goes; the units are bytes of card files, then writing steps.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class OpenedSet:
    """A card set whose deck file was read: what is known before its topic files are."""

    root: Path
    #: the deck file's deck, with no topics
    deck: Deck
    topic_paths: list[Path]
    #: the media folder's files by the name cards use
    media: dict[str, MediaFile]
    #: the problems of the deck file and the media folder
    problems: list[Problem]

    def context(
        self,
        *,
        strict: bool,
        approved_only: bool = False,
        keeps: str = "notes",
        edition: tuple[Deck, Catalog] | None = None,
    ) -> Context:
        """The Context of the English edition, or of the language edition given (its deck and translations)."""
        media_names = {name: item.stored_name for name, item in self.media.items()}
        deck, catalog = (self.deck, None) if edition is None else edition
        return Context.of(
            deck, media_names, strict=strict, approved_only=approved_only, keeps=keeps, catalog=catalog
        )

    def byte_count(self) -> int:
        """The topic files' size in all (what reading them is measured in)."""
        return sum(path.stat().st_size for path in self.topic_paths if path.is_file())


def open_set(cards_dir: Path, cache: Cache | None = None) -> OpenedSet | Checked:
    """The card set's deck file and media folder; if the deck file is unusable, every problem of the set
    (the topic files are read for theirs, but not checked: that needs the deck). With a cache, an unchanged deck
    file is not read again."""
    root = Path(cards_dir)
    found, paths = card_set_files(root)
    if isinstance(found, Problem):
        deck, problems = None, [found]
    else:
        deck, problems = _kept(cache, (*found, _DECK_FILE_ENTRY), lambda: _read_deck_file(*found))
    media, media_found = index_media(root)
    if deck is None:
        from exporter.reading.loading import read_topic_file

        for path in paths:
            topic = topic_file_bytes(path, root)
            problems += [topic] if isinstance(topic, Problem) else read_topic_file(*topic)[1]
        return Checked(None, sorted(problems + media_found), media)
    return OpenedSet(root, deck, paths, media, problems + media_found + list(deck_problems(deck)))


def opened_or_failed(cards_dir: Path, cache: Cache | None = None) -> OpenedSet:
    """open_set's set; ExporterError with every error if its deck file is unusable."""
    opened = open_set(cards_dir, cache)
    if isinstance(opened, Checked):
        raise ExporterError.from_problems(opened.errors)
    return opened


def _read_deck_file(data: bytes, shown: str) -> tuple[Deck | None, list[Problem]]:
    # here, not at the top: it brings the YAML reader, which a set whose every file is kept does without
    from exporter.reading.loading import read_deck_file

    return read_deck_file(data, shown)


_Kept = TypeVar("_Kept")


def _kept(cache: Cache | None, key: tuple[bytes, str, bytes], read: Callable[[], _Kept]) -> _Kept:
    """What read gives, kept in the cache under the key of a file's bytes (those read gives what of), its shown
    path and its kind."""
    if cache is None:
        return read()
    entry = cache.key(*key)
    kept = cache.get(entry)
    if kept is None:
        kept = read()
        cache.put(entry, kept)
    return cast("_Kept", kept)


@dataclass(frozen=True, slots=True)
class Checked:
    """A card set read and checked whole: the deck (None if its deck file is unusable) and every problem."""

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


def check(cards_dir: Path, *, strict: bool = False, cache: bool = False) -> Checked:
    """Read and check a card set, keeping its cards: the deck with every topic, and every problem.

    With cache, each file's cards are kept in the card folder's .flashcards-cache/cards/ (the commands use it;
    the library's callers, tests among them, get no folder written unless they ask)."""
    kept = _cache(Path(cards_dir), "cards") if cache else None
    opened = open_set(cards_dir, kept)
    if isinstance(opened, Checked):
        return opened
    topics: list[Topic] = []
    context = opened.context(strict=strict, keeps="cards")
    chunks = card_set_chunks(opened.topic_paths, opened.root, context, kept)
    streamed = stream_chunks(opened, _gathering_topics(chunks, topics))
    if kept is not None:
        kept.prune()
    return Checked(replace(opened.deck, topics=tuple(topics)), streamed.problems, opened.media)


def _gathering_topics(chunks: Iterator[Chunk], topics: list[Topic]) -> Iterator[Chunk]:
    """The chunks, while each file's topic gets its cards (a big file's come in several chunks)."""
    for chunk in chunks:
        if chunk.topic is not None:
            topics.append(chunk.topic)
        if chunk.cards:
            topics[-1] = replace(topics[-1], cards=topics[-1].cards + chunk.cards)
        yield chunk


@dataclass(slots=True)
class Streamed:
    """What reading and checking the chunks found, besides the notes they hold."""

    problems: list[Problem]
    #: the media cards refer to, with where first, and those the shipped cards refer to
    used_media: dict[str, Location] = field(default_factory=dict)
    shipped_media: set[str] = field(default_factory=set)
    #: where each deck's topic file starts
    topic_locations: dict[str, Location] = field(default_factory=dict)
    card_count: int = 0
    topic_count: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]


def stream_chunks(
    opened: OpenedSet, chunks: Iterator[Chunk], add: Callable[[PackedNotes], None] | None = None
) -> Streamed:
    """Check every chunk, giving each chunk's notes to add while no error has been found; then the media."""
    with collector_paused():  # many objects and hardly a cycle: each collection would walk all of them
        streamed = Streamed(list(opened.problems))
        ids = CardIds()  # let go of on return, before the package is written (see docs/performance.md)
        failed = any(problem.severity == "error" for problem in opened.problems)
        for chunk in chunks:
            found = chunk.problems + tuple(ids.repeated(chunk.ids))
            streamed.problems.extend(found)
            failed = failed or any(problem.severity == "error" for problem in found)
            _note_chunk(streamed, chunk)
            if not failed and add is not None:
                for packed in chunk.packs:
                    add(packed)
    streamed.problems = sorted(streamed.problems + media_problems(streamed.used_media, opened.media))
    return streamed


def _note_chunk(streamed: Streamed, chunk: Chunk) -> None:
    for name, where in chunk.used_media:
        streamed.used_media.setdefault(name, where)
    streamed.shipped_media.update(chunk.shipped_media)
    if chunk.location is not None:
        streamed.topic_count += 1
        if chunk.deck_name is not None:
            streamed.topic_locations.setdefault(chunk.deck_name, chunk.location)
    streamed.card_count += chunk.card_count


@dataclass(frozen=True, slots=True)
class Validated:
    """A card set read and checked: its deck file's deck and every problem."""

    deck: Deck
    streamed: Streamed


def validate(cards_dir: Path, *, strict: bool = False, cache: bool = True) -> Validated:
    """Read and check a card set, file by file; ExporterError if its deck file is unusable.

    With cache, what checking each file found is kept in the card folder's .flashcards-cache/checked/, apart
    from the build's entries: validating an unchanged set reads no card file again."""
    kept = _cache(Path(cards_dir), "checked") if cache else None
    opened = opened_or_failed(cards_dir, kept)
    chunks = card_set_chunks(
        opened.topic_paths, opened.root, opened.context(strict=strict, keeps="problems"), kept
    )
    streamed = stream_chunks(opened, chunks)
    translations = [
        problem for lang in opened.deck.languages for problem in translation_file(opened, lang, kept)[1]
    ]
    streamed.problems = sorted(streamed.problems + translations)
    if kept is not None:
        kept.prune()
    return Validated(opened.deck, streamed)


def translation_file(
    opened: OpenedSet, lang: str, cache: Cache | None
) -> tuple[tuple[Translation, ...], list[Problem]]:
    """A language edition's translation file read and checked: its entries, or the problems that keep it from
    being used (entries that translate nothing are found only once the cards are read: editions.py). With a
    cache, an unchanged file is not read again."""
    path = translation_path(opened.root, lang)
    if not path.is_file():
        deck = opened.deck
        return (), [
            Problem(
                deck.key_locations.get("languages", deck.location),
                f"deck.yaml lists {lang!r}, but there is no {path}; run 'flashcards translations update "
                f"{opened.root}' to make it, then translate it (or take {lang!r} out of 'languages')",
            )
        ]
    shown = str(path)
    data = translation_file_bytes(path, shown)
    if isinstance(data, Problem):
        return (), [data]
    # keyed on the very bytes that are read: a file saved meanwhile is not kept under the old content's key
    return _kept(cache, (data, shown, _TRANSLATION_FILE_ENTRY), lambda: _checked_translations(data, shown))


def _checked_translations(data: bytes, shown: str) -> tuple[tuple[Translation, ...], list[Problem]]:
    # here, not at the top: an unchanged translation file comes from the cache, and checking renders
    from exporter.checking.translations import translation_problems

    entries, problems = translations_of(data, shown)
    return entries, problems + list(translation_problems(entries))


def _cache(root: Path, kind: str) -> Cache:
    """A cache apart from the build's for chunks of another kind, so that each prunes only its own entries."""
    from exporter.pipeline.cache import CACHE_FOLDER, Cache

    return Cache(root / CACHE_FOLDER / kind)
