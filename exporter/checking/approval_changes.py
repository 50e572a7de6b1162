"""What changed since each card was approved: the approved text beside the current one, word by word, for the
cards that need re-review; and, apart, the approved cards whose source line alone changed (their approval stands).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from exporter.model import Card
from exporter.reading.approved_texts import ApprovedText
from exporter.rendering.plain_text import card_sides
from exporter.review_states import NEEDS_RE_REVIEW

SIDES = ("Front", "Back", "Extra")
#: A word with the punctuation that clings to it, or a run of whitespace: marks then always stand between
#: spaces, where Markdown reads them (in "UN**,**" or "**\***UN" it would not).
_TOKEN = re.compile(r"\S+|\s+")


@dataclass(frozen=True, slots=True)
class Words:
    """A run of text that is in both texts ('same'), only in the approved one ('removed') or only in the new one
    ('added')."""

    change: str
    text: str


@dataclass(frozen=True, slots=True)
class SideChange:
    """One side of a card as approved and as it is now, with the words that changed."""

    side: str
    #: both texts in one: the approved one is the runs not added, the one now the runs not removed
    words: tuple[Words, ...]

    def old_lines(self) -> list[list[Words]]:
        """The approved text, line by line, as runs of same and removed words."""
        return _lines(words for words in self.words if words.change != "added")

    def new_lines(self) -> list[list[Words]]:
        """The text now, line by line, as runs of same and added words."""
        return _lines(words for words in self.words if words.change != "removed")


@dataclass(frozen=True, slots=True)
class ChangedSinceApproval:
    """A card that needs re-review, and what changed since it was approved."""

    card: Card
    #: the approved content; None when it was not kept (approved before the approved texts were kept, or by hand)
    approved: ApprovedText | None
    #: the sides that changed (none when the approved text was not kept)
    sides: tuple[SideChange, ...]
    #: the card's kind or subdeck where it changed: (what, as approved, now)
    moves: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class SourceEdit:
    """An approved card whose source line alone changed since its approval: the approval stands."""

    card: Card
    old_source: str
    new_source: str


@dataclass(frozen=True, slots=True)
class ApprovalChanges:
    """The cards to review again with their changes, and the source-only edits, in deck order."""

    re_review: tuple[ChangedSinceApproval, ...]
    source_only: tuple[SourceEdit, ...]


def approval_changes(cards: Iterable[Card], approved: Mapping[str, ApprovedText]) -> ApprovalChanges:
    """What changed since each card's approval, from the approved texts kept beside the card files."""
    re_review, source_only = [], []
    for card in cards:
        state = card.review_state
        text = _approved_text(card, approved)
        if state == NEEDS_RE_REVIEW:
            re_review.append(_changed(card, text))
        elif state == "approved" and text is not None and text.source != card.source:
            source_only.append(SourceEdit(card, text.source.describe(), card.source.describe()))
    return ApprovalChanges(tuple(re_review), tuple(source_only))


def _changed(card: Card, text: ApprovedText | None) -> ChangedSinceApproval:
    if text is None:
        return ChangedSinceApproval(card, None, ())
    moves = tuple(
        (what, old, new)
        for what, old, new in (("Kind", text.kind, card.kind), ("Subdeck", text.subdeck, card.subdeck))
        if old != new
    )
    return ChangedSinceApproval(card, text, side_changes(text, card), moves)


def _approved_text(card: Card, approved: Mapping[str, ApprovedText]) -> ApprovedText | None:
    """The text kept for the card's approval (under its id, or the id it was renamed from), if it is the one the
    card file's approved_fingerprint names."""
    for card_id in (card.id, card.renamed_from):
        text = approved.get(card_id) if card_id else None
        if text is not None and text.fingerprint == card.review.fingerprint:
            return text
    return None


def side_changes(approved: ApprovedText, card: Card) -> tuple[SideChange, ...]:
    """Each side whose text changed, as approved and now, word by word; if learners read the same words and only
    the markup changed (emphasis, a list), each field that changed, as written."""
    old_sides = card_sides(approved.kind, approved.fields)
    new_sides = card_sides(card.kind, card.fields)
    changed = [
        SideChange(side, word_changes(old, new))
        for side, old, new in zip(SIDES, old_sides, new_sides, strict=True)
        if old != new
    ]
    if not changed:
        names = dict.fromkeys([*approved.fields, *card.fields])
        written = ((name, approved.fields.get(name, ""), card.fields.get(name, "")) for name in names)
        changed = [
            SideChange(f"{name.capitalize()} (as written)", word_changes(old, new))
            for name, old, new in written
            if old != new
        ]
    return tuple(changed)


def word_changes(old: str, new: str) -> tuple[Words, ...]:
    """The two texts as runs of same, removed and added words (removed before added where both)."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    runs: list[Words] = []
    opcodes = matcher.get_opcodes()
    tags = [opcode[0] for opcode in opcodes]
    for index, (tag, old_start, old_end, new_start, new_end) in enumerate(opcodes):
        removed, added = "".join(before[old_start:old_end]), "".join(after[new_start:new_end])
        if tag == "equal" and _only_space_between_changes(removed, tags, index):
            tag = "replace"  # a space between two changed words belongs to the change: one mark, not two
        if tag == "equal":
            runs.append(Words("same", removed))
            continue
        runs += [Words("removed", removed)] if removed else []
        runs += [Words("added", added)] if added else []
    return _merged(runs)


def _only_space_between_changes(text: str, tags: Sequence[str], index: int) -> bool:
    inside = 0 < index < len(tags) - 1
    return inside and text.isspace() and tags[index - 1] != "equal" and tags[index + 1] != "equal"


def _merged(runs: list[Words]) -> tuple[Words, ...]:
    """Runs in order, removed before added, neighbours of one kind joined."""
    ordered: list[Words] = []
    pending: dict[str, str] = {"removed": "", "added": ""}
    for run in [*runs, Words("same", "")]:
        if run.change != "same":
            pending[run.change] += run.text
            continue
        ordered += [Words(change, pending[change]) for change in ("removed", "added") if pending[change]]
        pending = {"removed": "", "added": ""}
        if run.text:
            ordered.append(run)
    joined: list[Words] = []
    for run in ordered:
        if joined and joined[-1].change == run.change:
            joined[-1] = Words(run.change, joined[-1].text + run.text)
        else:
            joined.append(run)
    return tuple(joined)


def _lines(runs: Iterable[Words]) -> list[list[Words]]:
    """Runs split at line breaks: the runs of each line."""
    lines: list[list[Words]] = [[]]
    for run in runs:
        for number, part in enumerate(run.text.split("\n")):
            if number:
                lines.append([])
            if part:
                lines[-1].append(Words(run.change, part))
    return lines
