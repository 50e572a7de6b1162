"""The reviewers' commands, one call each: check the cards, read the last release and the training text, then
make the review page (`flashcards review`) or the coverage report (`flashcards coverage`)."""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.checking.approval_changes import approval_changes
from exporter.checking.coverage import Coverage, check_coverage
from exporter.checking.media import IMAGE_SUFFIXES, MediaFile
from exporter.checking.passage import Passages
from exporter.checking.training_text import Material
from exporter.errors import ExporterError, Location, Problem
from exporter.kinds import NOTE_TYPES
from exporter.model import Deck
from exporter.pipeline.checked_stream import Checked, check
from exporter.pipeline.output import locked_output, reading_release, refuse_file_output, write_files
from exporter.pipeline.shipping import ship
from exporter.pipeline.whole_deck import changes_since, shipped_notes
from exporter.reading.approved_texts import read_approved_texts
from exporter.release.ledger import Changes, FieldChange, Ledger
from exporter.release.ledger_index import read_ledger
from exporter.rendering.notes import RenderedNote
from exporter.rendering.templating import render_cards
from exporter.writers.review_card import ReviewCard
from exporter.writers.review_page import ReleaseChanges, ReviewPage, review_html

_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A review page written, and what it shows."""

    path: Path
    page: ReviewPage


def read_training_text(path: Path) -> str:
    """The training text, as UTF-8 (a byte-order mark is dropped)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExporterError(
            Location(str(path)), "no such file; give the training text as a plain-text file"
        ) from None
    except UnicodeDecodeError as error:
        raise ExporterError(
            Location(str(path)),
            f"not UTF-8 text (byte {error.start}); save the training text as plain text in UTF-8",
        ) from None
    except OSError as error:
        raise ExporterError(
            Location(str(path)), f"cannot read the training text: {error.strerror or error}"
        ) from None


def coverage_report(cards_dir: Path, source: Path, *, ignore: Iterable[str] = ()) -> Coverage:
    """The acronyms of the training text no card teaches, and card sources it does not have."""
    deck, _ = checked_deck(cards_dir)
    return check_coverage(read_training_text(source), deck, source_path=str(source), ignore=ignore)


def write_review_page(
    cards_dir: Path, output: Path, *, source: Path | None = None, status: str | None = None
) -> Reviewed:
    """Write the review page; the folder it goes into holds the last release (its ledger.json) to compare with."""
    refuse_file_output(cards_dir, output, "the review page", "review.html")
    page = review_page(cards_dir, ledger_dir=output.parent, source=source, status=status)
    data = review_html(page).encode("utf-8")
    with locked_output(output.parent):
        (path,) = write_files(output.parent, {output.name: data})
    return Reviewed(path, page)


def review_page(
    cards_dir: Path, *, ledger_dir: Path, source: Path | None = None, status: str | None = None
) -> ReviewPage:
    """Everything the review page shows: each card rendered as the app renders it, beside what it came from."""
    deck, checked = checked_deck(cards_dir)
    warnings = checked.warnings
    notes, media = shipped_notes(deck, checked.media)
    with reading_release(ledger_dir):
        previous = read_ledger(ledger_dir)
    changes, changes_note = _release_changes(previous, deck, notes, ledger_dir)
    material = coverage = None
    if source is not None:
        text = read_training_text(source)
        material = Material.parse(text)
        coverage = check_coverage(text, deck, source_path=str(source))
        warnings = sorted(warnings + [item.problem() for item in coverage.dangling])
    by_card, general = _warnings_by_card(deck, warnings)
    grounding = {item.card_id: item for item in coverage.grounding} if coverage else {}
    by_change = _changes_by_card(changes)
    passages = Passages.of(material, deck) if material else None
    approvals = approval_changes(deck.cards, read_approved_texts(cards_dir))
    since_approval = {item.card.id: item for item in approvals.re_review}
    cards = [
        ReviewCard(
            note,
            tuple(render_cards(note)),
            tuple(by_card.get(note.card.id, ())),
            passages.cited_block(note.card) if passages else None,
            *by_change.get(note.card.id, ("", ())),
            grounding.get(note.card.id),
            since_approval.get(note.card.id),
        )
        for note in notes
    ]
    return ReviewPage(
        deck,
        tuple(cards),
        status=status,
        changes=changes,
        changes_note=changes_note,
        general_warnings=tuple(general),
        coverage=coverage,
        source_name=source.name if source else "",
        images=inline_images(media),
        source_edits=approvals.source_only,
    )


def _changes_by_card(changes: ReleaseChanges | None) -> dict[str, tuple[str, tuple[FieldChange, ...]]]:
    """What became of each card since the release compared with ("new", "restored" or "changed"), and how its
    fields changed."""
    if changes is None:
        return {}
    found = {card_id: ("changed", fields) for card_id, fields in changes.changed}
    found.update((card_id, ("restored", ())) for card_id in changes.restored)
    found.update((card_id, ("new", ())) for card_id in changes.added)
    return found


def checked_deck(cards_dir: Path) -> tuple[Deck, Checked]:
    """The usable deck and what checking it found; our error if the cards have errors."""
    checked = check(cards_dir, cache=True)
    if checked.errors or checked.deck is None:
        raise ExporterError.from_problems(checked.errors)
    return checked.deck, checked


def _release_changes(
    previous: Ledger, deck: Deck, notes: Sequence[RenderedNote], ledger_dir: Path
) -> tuple[ReleaseChanges | None, str]:
    """What differs from the last release; when nothing does (just built), what that release changed."""
    if previous.is_empty:
        return None, f"No release ledger in {ledger_dir}: nothing to compare with, so every card is new."
    changes = changes_since(previous, [ship(note) for note in notes], 0)
    heading = f"Changes since release {previous.version} (not built yet)"
    if not changes and previous.releases:
        last = previous.releases[-1]
        if len(previous.releases) == 1:
            return None, (
                f"Release {last.version} in {ledger_dir} is the first one: every card was new in it, and "
                "nothing has changed since."
            )
        changes = last.changes
        heading = f"Changes in release {last.version} ({last.date}), the last one built"
    retired = tuple((card_id, _first_field(previous, card_id)) for card_id in changes.retired)
    return ReleaseChanges(
        heading, changes.added, tuple(changes.changed.items()), changes.restored, retired, _other_changes(changes)
    ), ""


def _other_changes(changes: Changes) -> tuple[str, ...]:
    renamed = tuple(f"Deck '{old}' renamed to '{new}'" for old, new in changes.renamed_decks)
    renamed += tuple(
        f"Card '{old}' renamed to '{new}' (the same card on learners' phones)" for old, new in changes.renamed
    )
    return renamed + tuple(changes.note_types)


def _first_field(ledger: Ledger, card_id: str) -> str:
    entry = ledger.cards.get(card_id)
    if entry is None or not entry.fields:
        return ""
    names = {note_type.id: note_type.field_names for note_type in NOTE_TYPES.values()}.get(entry.note_type, ())
    label = f"{names[0]}: " if names else ""
    return label + " ".join(_TAG.sub(" ", entry.fields[0]).split())


def _warnings_by_card(deck: Deck, problems: Sequence[Problem]) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """Each problem under the card written where it points (the last card starting at or before its line)."""
    starts: dict[str, list[tuple[int, str]]] = {}
    for card in deck.cards:
        starts.setdefault(card.location.path, []).append((card.location.line, card.id))
    by_card: dict[str, list[Problem]] = {}
    general = []
    for problem in problems:
        where = problem.location
        owners = [card_id for line, card_id in starts.get(where.path, []) if where.line and line <= where.line]
        if owners:
            by_card.setdefault(owners[-1], []).append(problem)
        else:
            general.append(problem)
    return by_card, general


def inline_images(media: Sequence[MediaFile]) -> dict[str, str]:
    """Each image by its stored name, as a data: address (the pages fetch nothing)."""
    images = {}
    for item in media:
        if item.path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        try:
            data = item.path.read_bytes()
        except OSError as error:
            raise ExporterError(
                Location(str(item.path)), f"cannot read the image: {error.strerror or error}"
            ) from None
        kind = mimetypes.guess_type(item.path.name)[0] or "application/octet-stream"
        images[item.stored_name] = f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    return images
