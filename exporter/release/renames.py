"""Card ids given up for new ones. Anki matches notes by GUID, made from the card id: a card that only changed its
id would reach learners as a new card with no history, beside the old one (retired, still due). A card that
says `renamed_from: old-id` keeps that id's GUID, and so the learners' notes, cards and history.

This module finds the old card a declared rename keeps, checks the declaration against the last release, and
finds the renames nobody declared: a new card whose first field (term, question, cloze text) is that of a card
retired in the same build.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from exporter.errors import Location, Problem
from exporter.kinds import KIND_BY_NAME
from exporter.release.ledger import CardEntry, Ledger
from exporter.release.ledger_index import renamed_holders
from exporter.release.notes import ComparedNote
from exporter.release.tryout import handed_out


@dataclass(frozen=True, slots=True)
class Rename:
    """A card given a new id that keeps the notes of a card of the last release."""

    old_id: str
    new_id: str
    #: the id whose notes both keep: old_id, or the one old_id itself was renamed from
    kept: str
    location: Location


class Renames:
    """The renames of a build, found note by note as they are compared."""

    def __init__(self, previous: Ledger) -> None:
        self.previous = previous
        self.found: dict[str, Rename] = {}
        self.refused: list[Problem] = []
        self._holders: dict[str, str] | None = None
        # the new cards by their kind and first field, for the renames nobody declared
        self._added: dict[tuple[str, str], tuple[str, Location]] = {}

    def holder(self, kept: str) -> str | None:
        """The card of the last release that keeps the notes of this id: the card itself, or one renamed from it."""
        old = self.previous.cards.get(kept)
        if old is not None and old.renamed_from is None:
            return kept
        if self._holders is None:  # read once, and only when a build adds or renames a card
            self._holders = renamed_holders(self.previous)
        return self._holders.get(kept)

    def old_entry(self, note: ComparedNote) -> tuple[str, CardEntry] | None:
        """The old card a new card (an id not in the last release) keeps the notes of, noting the rename or what
        is wrong with it; None for a card added with new notes."""
        kept = note.renamed_from
        if kept is None:
            self._note_added(note)
            return None
        holder = self.holder(kept)
        if holder is None:
            self.refused.append(self._unknown(note, kept))
            return None
        claimed = next((rename for rename in self.found.values() if rename.kept == kept), None)
        if claimed is not None:
            self.refused.append(
                Problem(
                    note.location,
                    f"cards '{claimed.new_id}' and '{note.card_id}' both say renamed_from: {kept}; only one card "
                    "can keep its notes: remove renamed_from from the other (it is then a new card)",
                )
            )
            return None
        self.found[note.card_id] = Rename(holder, note.card_id, kept, note.location)
        return holder, self.previous.cards[holder]

    def _unknown(self, note: ComparedNote, kept: str) -> Problem:
        old = self.previous.cards.get(kept)
        if old is not None and old.renamed_from is not None:  # a chain: that card kept another id's notes
            return Problem(
                note.location,
                f"card '{note.card_id}' says renamed_from: {kept}, but '{kept}' was itself renamed from "
                f"'{old.renamed_from}' and keeps its notes: write renamed_from: {old.renamed_from}",
            )
        release = f"release {self.previous.version}" if self.previous.version else "the output folder"
        return Problem(
            note.location,
            f"card '{note.card_id}' says renamed_from: {kept}, but {release} has no card '{kept}'. Write the id "
            "the card had in the last release (the cards are listed in the ledger), or remove renamed_from if it "
            "is a new card",
        )

    def _note_added(self, note: ComparedNote) -> None:
        if not self.previous.is_empty:
            self._added.setdefault((note.kind, note.fields[0]), (note.card_id, note.location))
        holder = self.holder(note.card_id)
        if holder is not None:  # its GUID would be the renamed card's: two notes in one
            self.refused.append(
                Problem(
                    note.location,
                    f"card id '{note.card_id}' was renamed to '{holder}', which keeps its notes on learners' "
                    "phones; give this card another id",
                )
            )

    def refusals(self, shipped: set[str], retired: tuple[str, ...]) -> Iterator[Problem]:
        """What is wrong with the renames of the whole build (shipped: every card id it has; retired: the cards
        it retires), and the renames nobody declared."""
        yield from self.refused
        for rename in self.found.values():
            if rename.old_id in shipped:
                yield Problem(
                    rename.location,
                    f"card '{rename.new_id}' says renamed_from: {rename.kept}, but card '{rename.old_id}' is "
                    f"still in the card set. Remove card '{rename.old_id}' if '{rename.new_id}' replaces it, or "
                    f"remove renamed_from if '{rename.new_id}' is another card",
                )
        if handed_out(self.previous) is None:
            # only try-outs so far: no learner has history to lose, and the examples a trainer replaces with
            # cards of the same term are pointed out by the try-out warning (drop it with discard-tryout)
            return
        for old_id in retired:
            old = self.previous.cards[old_id]
            new = self._added.get((old.kind, old.fields[0]))
            if new is not None:
                yield _undeclared(old_id, old.kind, *new)


def identity_changed(note: ComparedNote, old: CardEntry) -> Problem:
    """Why a card of the last release cannot change the id whose notes it keeps."""
    if old.renamed_from is not None:
        fix = f"keep renamed_from: {old.renamed_from} on it for as long as it lives"
    else:
        fix = "remove renamed_from: it is for a card whose id is new"
    return Problem(
        note.location,
        f"card '{note.card_id}' keeps the notes of '{old.renamed_from or note.card_id}' on learners' phones; "
        f"with renamed_from: {note.renamed_from or '(none)'} it would arrive as another card, without its "
        f"review history: {fix}",
    )


def _undeclared(old_id: str, kind: str, new_id: str, where: Location) -> Problem:
    return Problem(
        where,
        f"card '{new_id}' is new, but its {_first_key(kind)} is that of card '{old_id}', "
        f"which this build retires. On learners' phones '{old_id}' would stay (tagged retired, still due) and "
        f"'{new_id}' would arrive as a new card with no review history. If it is the same card, keep its id "
        f"'{old_id}', or declare the rename on the card (renamed_from: {old_id}) so learners keep their history",
    )


def _first_key(kind: str) -> str:
    """The key that names a card of this kind to a person (a ledger may hold a kind this version lacks)."""
    known = KIND_BY_NAME.get(kind)
    return known.required[0] if known is not None else "first field"
