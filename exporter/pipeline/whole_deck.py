"""The whole card set read into memory, for the commands that look at every card at once (validate, diff,
review, stats, coverage): the same reading, checking and rendering as a build, on both cores for a big set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from exporter.checking.media import MediaFile, index_media, media_problems, used_media
from exporter.checking.validation import validate
from exporter.errors import ExporterError, Problem
from exporter.model import Deck, Topic
from exporter.pipeline.chunks import ship
from exporter.pipeline.packed_notes import ShippedNote, compared
from exporter.pipeline.parallel import read_all
from exporter.reading.composing import collector_paused
from exporter.reading.files import topic_file_bytes
from exporter.reading.loading import open_card_set, read_topic_file
from exporter.release.comparison import Comparison
from exporter.release.ledger import Changes, Ledger, build_time
from exporter.release.ledger_index import read_ledger
from exporter.rendering.notes import RenderedNote, render_notes
from exporter.writers.changelog import ledger_labels


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


def check(cards_dir: Path, *, strict: bool = False) -> Checked:
    """Load and validate a card set, gathering every problem."""
    deck, problems = load_deck(cards_dir)
    media, media_found = index_media(Path(cards_dir))
    problems = problems + media_found
    if deck is not None:
        problems = problems + validate(deck, strict=strict) + media_problems(used_media(deck), media)
    return Checked(deck, sorted(problems), media)


def load_deck(cards_dir: Path) -> tuple[Deck | None, list[Problem]]:
    """Read a card set folder; return the deck (None if its deck file is unusable) and every problem found."""
    header, problems, topic_paths = open_card_set(cards_dir)
    root = Path(cards_dir)
    # Paused for the whole folder, not file by file: each collection in between would walk every card read so far.
    with collector_paused():
        topics = _load_topics(topic_paths, root, problems)
    if header is None:
        return None, problems
    return replace(header, topics=tuple(topics)), problems


def _load_topics(paths: list[Path], root: Path, problems: list[Problem]) -> list[Topic]:
    """Every topic file's Topic, in order (a big set on two cores)."""
    files: list[tuple[bytes, str]] = []
    for path in paths:
        found = topic_file_bytes(path, root)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            files.append(found)
    topics = []
    for topic, found_problems in read_all(read_topic_file_of, files, [len(data) for data, _ in files]):
        problems.extend(found_problems)
        if topic is not None:
            topics.append(topic)
    return topics


def read_topic_file_of(file: tuple[bytes, str]) -> tuple[Topic | None, list[Problem]]:
    """read_topic_file of a (bytes, path shown) pair: module level, so a helper process can run it."""
    return read_topic_file(*file, map_pieces=read_all)


def shipped_notes(deck: Deck, media: dict[str, MediaFile]) -> tuple[list[RenderedNote], list[MediaFile]]:
    """The deck's notes as a build ships them (media under their stored names), and the media files they use."""
    used = used_media(deck)
    shipped_media = [item for name, item in sorted(media.items()) if name in used]
    return render_notes(deck, {item.name: item.stored_name for item in shipped_media}), shipped_media


def changes_since(previous: Ledger, notes: Sequence[ShippedNote], now: int) -> Changes:
    """What these notes (the whole card set) change for learners since the last release."""
    comparison = Comparison(previous, now)
    comparison.compare([compared(note) for note in notes])
    return comparison.changes()


def pending_changes(cards_dir: Path, out_dir: Path) -> tuple[Ledger, Changes, dict[str, str]]:
    """The last release, what building now would change, and the changelog label of every card either has."""
    checked = check(cards_dir)
    if checked.errors or checked.deck is None:
        raise ExporterError.from_problems(checked.errors)
    notes = [ship(note) for note in shipped_notes(checked.deck, checked.media)[0]]
    previous = read_ledger(out_dir)
    labels = ledger_labels(previous) | {note.card_id: note.label for note in notes}
    return previous, changes_since(previous, notes, build_time()), labels
