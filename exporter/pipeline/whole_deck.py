"""The whole card set's notes in memory, for the commands that compare every card at once with the last release
(diff, review): rendered and compared as a build does, note by note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.checking.approval_changes import ApprovalChanges, approval_changes
from exporter.checking.media import MediaFile, used_media
from exporter.errors import ExporterError
from exporter.model import Deck
from exporter.pipeline.checked_stream import check
from exporter.pipeline.output import reading_release
from exporter.pipeline.shipped import ShippedNote, compared
from exporter.pipeline.shipping import ship
from exporter.reading.approved_texts import read_approved_texts
from exporter.release.comparison import Comparison
from exporter.release.ledger import Changes, Ledger, build_time
from exporter.release.ledger_index import read_ledger, unchanged_times
from exporter.release.options_preset import options_changed
from exporter.rendering.notes import RenderedNote, render_notes
from exporter.writers.changelog import ledger_labels


def shipped_notes(deck: Deck, media: dict[str, MediaFile]) -> tuple[list[RenderedNote], list[MediaFile]]:
    """The deck's notes as a build ships them (media under their stored names), and the media files they use."""
    used = used_media(deck)
    shipped_media = [item for name, item in sorted(media.items()) if name in used]
    return render_notes(deck, {item.name: item.stored_name for item in shipped_media}), shipped_media


def changes_since(previous: Ledger, notes: Sequence[ShippedNote], now: int, deck: Deck | None = None) -> Changes:
    """What these notes (the whole card set) change for learners since the last release, and the deck's options
    when the deck is given."""
    comparison = Comparison(previous, now)
    notes_compared = [compared(note) for note in notes]
    comparison.compare(notes_compared, unchanged_times(previous, notes_compared), notes_compared.__getitem__)
    changed_options = deck is not None and options_changed(previous.options, deck.id, deck.options)
    return comparison.changes(options_changed=changed_options)


@dataclass(frozen=True, slots=True)
class Pending:
    """What building now would change, what the changelog needs to say it, and what reviewers still owe."""

    previous: Ledger
    changes: Changes
    deck_title: str
    #: the changelog label of every card the last release or the card set has, and the answer of the set's cards
    labels: dict[str, str]
    answers: dict[str, str]
    #: the approved cards whose content changed since their approval (with what changed), and those whose
    #: source line alone changed
    approvals: ApprovalChanges


def pending_changes(cards_dir: Path, out_dir: Path) -> Pending:
    """The last release, what building now would change, the changelog labels and what changed since each
    card's approval."""
    checked = check(cards_dir, cache=True)
    if checked.errors or checked.deck is None:
        raise ExporterError.from_problems(checked.errors)
    notes = [ship(note) for note in shipped_notes(checked.deck, checked.media)[0]]
    with reading_release(out_dir):
        previous = read_ledger(out_dir)
    return Pending(
        previous,
        changes_since(previous, notes, build_time(), checked.deck),
        checked.deck.title,
        ledger_labels(previous) | {note.card_id: note.label for note in notes},
        {note.card_id: note.answer for note in notes},
        approval_changes(checked.deck.cards, read_approved_texts(cards_dir)),
    )
