"""What a build changes on learners' phones, compared with the last release, and the changes that need consent.

Anki matches decks by name, note types by their field and template ids, and notes by GUID (from the card id),
and never deletes a note. So a renamed deck, a changed note type schema or a card id given to other content
would quietly split or mislabel learners' progress: these stop the build until the trainer says so.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from exporter.errors import Location, Problem
from exporter.kinds import KIND_BY_NAME, NOTE_TYPES
from exporter.model import Deck
from exporter.notetypes import NoteType
from exporter.release.ledger import RETIRED_TAG, CardEntry, Changes, FieldChange, Ledger, keep_or_renew
from exporter.release.note_type_changes import note_type_changes
from exporter.release.notes import ComparedNote, NoteKey
from exporter.release.refusals import card_moved, deck_renamed, other_deck, schema_changed
from exporter.release.renames import Renames, identity_changed
from exporter.release.versions import version_refusal
from exporter.rendering.cloze_syntax import OPENING

_CARD_ID = operator.attrgetter("card_id")
_DECK_NAME = operator.attrgetter("deck_name")


@dataclass(frozen=True, slots=True)
class Consent:
    """Changes the trainer has agreed to make deliberately."""

    deck_rename: bool = False
    schema_change: bool = False
    reused_ids: frozenset[str] = field(default_factory=frozenset)
    #: cards moved to another subdeck, knowing that learners who have them keep them in the old one
    moved_ids: frozenset[str] = field(default_factory=frozenset)
    #: start the release history again although the output folder holds a release but no ledger
    new_history: bool = False


class Comparison:
    """A build's notes compared with the last release one by one, as they come: what changes for learners, the
    time each note gets, and the changes that need the trainer's consent."""

    def __init__(
        self,
        previous: Ledger,
        now: int,
        consent: Consent = Consent(),
        note_types: Mapping[str, NoteType] = NOTE_TYPES,
    ) -> None:
        self.previous = previous
        self.now = now
        self.consent = consent
        #: the ids of the notes added so far
        self.shipped: set[str] = set()
        self._added: list[str] = []
        self._restored: list[str] = []
        self._changed: dict[str, tuple[FieldChange, ...]] = {}
        self._decks: dict[str, None] = {}
        # the decks that cards of each deck of the last release are in now, and the live ones of those decks
        self._moved: dict[str, set[str]] = {}
        self._live_decks: set[str] = set()
        self._refused: list[Problem] = []
        # the cards moved to another deck without consent: (card id, old deck, new deck, where)
        self._moved_cards: list[tuple[str, str, str, Location]] = []
        self._renames = Renames(previous)
        #: how the note types differ from the last release's
        self.note_type_changes = note_type_changes(previous, note_types)

    def compare(
        self,
        notes: Sequence[NoteKey | ComparedNote],
        kept_times: Sequence[int | None],
        whole: Callable[[int], ComparedNote],
    ) -> list[int]:
        """The time each note gets. kept_times holds the ledger's time of each note whose line stays as it is
        (most notes of a rebuild; see ledger_index.unchanged_times, or its SQL), None for the others, which are
        compared whole: whole(place) gives the note at that place."""
        self._count_kept(notes, kept_times)
        if None not in kept_times:
            return cast("list[int]", list(kept_times))
        if not self.previous.cards:
            return [
                self._first_added(notes[place])
                if notes[place].renamed_from is None
                else self.compare_whole(whole(place))
                for place in range(len(notes))
            ]
        return [
            self.compare_whole(whole(place)) if time is None else time for place, time in enumerate(kept_times)
        ]

    def _first_added(self, note: NoteKey | ComparedNote) -> int:
        # With no card in the last release, a card that keeps no other's notes is added, whatever its content:
        # compare_whole would tell the same without reading the content back (a first build's every note).
        self._ship(note.card_id, note.deck_name)
        return self._add(note.card_id)

    def _ship(self, card_id: str, deck: str) -> None:
        self.shipped.add(card_id)
        self._decks[deck] = None

    def _add(self, card_id: str) -> int:
        self._added.append(card_id)
        return self.now

    def _count_kept(self, notes: Sequence[NoteKey | ComparedNote], times: Sequence[int | None]) -> None:
        # most often all are kept: then in C, with no loop here
        kept = (
            notes
            if None not in times
            else [note for note, time in zip(notes, times, strict=True) if time is not None]
        )
        self.shipped.update(map(_CARD_ID, kept))
        for deck in set(map(_DECK_NAME, kept)):  # a kept line's deck is the note's own
            self._decks[deck] = None
            self._moved.setdefault(deck, set()).add(deck)
            self._live_decks.add(deck)

    def compare_whole(self, note: ComparedNote) -> int:
        """The time a note gets, compared whole with the last release (the costly way: tests count how often)."""
        card_id, deck = note.card_id, note.deck_name
        self._ship(card_id, deck)
        old = self.previous.cards.get(card_id)
        if old is None:
            renamed = self._renames.old_entry(note)
            if renamed is None:
                return self._add(card_id)
            old = renamed[1]
        elif (old.renamed_from or card_id) != (note.renamed_from or card_id):
            self._refused.append(identity_changed(note, old))
        self._moved.setdefault(old.deck, set()).add(deck)
        if old.retired_in is not None:
            self._restored.append(card_id)
        else:
            self._live_decks.add(old.deck)
        if old.deck != deck and card_id not in self.consent.moved_ids:
            self._moved_cards.append((card_id, old.deck, deck, note.location))
        if old.hash != note.hash:
            differences = _differences(old, note)
            if differences:
                self._changed[card_id] = differences
            self._refused.extend(self._note_refusals(old, note))
        return keep_or_renew(old.mtime, old.hash == note.hash, self.now)

    def _note_refusals(self, old: CardEntry, note: ComparedNote) -> Iterator[Problem]:
        if old.kind != note.kind:
            yield Problem(
                note.kind_location,
                f"card '{note.card_id}' was a {old.kind} card and is now a {note.kind} card. Learners' "
                "Anki cannot change a note's type on import and would skip it. Give the new card a new id "
                "(the old one is then retired)",
            )
        elif note.card_id not in self.consent.reused_ids and _is_other_content(old.fields, note):
            yield Problem(
                note.location,
                f"card id '{note.card_id}' now holds different content ({_what_replaced(note)} "
                "changed). On learners' phones it would replace the old card and inherit its review "
                "history. If it is a new card, give it a new id (the old one is retired); if it is a "
                f"correction, build with --allow-reuse {note.card_id}",
            )

    def changes(self, *, options_changed: bool = False) -> Changes:
        """What the notes added so far change, compared with the last release (and whether the deck's options
        changed: the comparison sees notes only)."""
        previous = self.previous
        # only the cards not shipped are read from the ledger here: at a rebuild, very few
        carried = self.carried_ids()
        gone = [(card_id, previous.cards[card_id]) for card_id in previous.cards if card_id not in carried]
        retired = tuple(card_id for card_id, entry in gone if entry.retired_in is None)
        live_decks = self._live_decks | {entry.deck for _, entry in gone if entry.retired_in is None}
        renamed = []
        for old_deck in sorted(live_decks - self._decks.keys()):
            moved_to = self._moved.get(old_deck, set())
            if len(moved_to) == 1:
                renamed.append((old_deck, next(iter(moved_to))))
        return Changes(
            added=tuple(self._added),
            changed=dict(self._changed),
            retired=retired,
            restored=tuple(self._restored),
            renamed_decks=tuple(renamed),
            note_types=tuple(change.description for change in self.note_type_changes),
            renamed=tuple((rename.old_id, rename.new_id) for rename in self._renames.found.values()),
            options_changed=options_changed,
        )

    def carried_ids(self) -> Container[str]:
        """The ids of the last release's cards that this build carries on: shipped, or renamed (so not retired)."""
        if not self._renames.found:
            return self.shipped
        return self.shipped | {rename.old_id for rename in self._renames.found.values()}

    def refusals(self, deck: Deck, changes: Changes, topic_locations: Mapping[str, Location]) -> list[Problem]:
        """The changes that would split or mislabel learners' progress and were not agreed to; empty if none.

        topic_locations: where each deck's topic file starts, to point at a renamed subdeck."""
        if self.previous.is_empty:  # only a rename can be wrong: from a card no release has
            return sorted(self._renames.refused)
        return sorted(self._refusals(deck, changes, topic_locations))

    def _refusals(
        self, deck: Deck, changes: Changes, topic_locations: Mapping[str, Location]
    ) -> Iterator[Problem]:
        previous, consent = self.previous, self.consent
        if previous.deck_id and previous.deck_id != deck.id:
            # nothing else is worth comparing: the ledger is another deck's history
            yield other_deck(deck, previous.deck_id)
            return
        if not consent.deck_rename:
            yield from (deck_renamed(deck, old, new, topic_locations) for old, new in changes.renamed_decks)
        if not consent.schema_change:
            yield from (
                schema_changed(deck, change) for change in self.note_type_changes if change.kind == "schema"
            )
        renamed_decks = set(changes.renamed_decks)  # their cards are the deck rename's (and its consent's)
        yield from (card_moved(*move) for move in self._moved_cards if move[1:3] not in renamed_decks)
        yield from self._refused
        yield from self._renames.refusals(self.shipped, changes.retired)
        refused_version = version_refusal(deck, previous.version, changes, _summary(changes))
        if refused_version is not None:
            yield refused_version


def _differences(old: CardEntry, note: ComparedNote) -> tuple[FieldChange, ...]:
    differences = tuple(
        FieldChange(name, old_value, new_value)
        for name, old_value, new_value in zip(
            NOTE_TYPES[note.kind].field_names, old.fields, note.fields, strict=False
        )
        if old_value != new_value
    )
    old_tags = tuple(tag for tag in old.tags if old.retired_in is None or tag != RETIRED_TAG)
    if old_tags != note.tags:
        differences += (FieldChange("tags", " ".join(old_tags), " ".join(note.tags)),)
    if old.deck != note.deck_name:
        differences += (FieldChange("deck", old.deck, note.deck_name),)
    return differences


def _is_other_content(old_fields: tuple[str, ...], note: ComparedNote) -> bool:
    names = NOTE_TYPES[note.kind].field_names
    old, new = dict(zip(names, old_fields, strict=False)), dict(zip(names, note.fields, strict=True))
    kind = KIND_BY_NAME[note.kind]
    if kind.identity_fields:
        return all(old.get(name) != new[name] for name in kind.identity_fields)
    # a cloze: its deletions say what it is (a note field is its YAML key capitalised: notetypes.py)
    recalled = kind.recall.capitalize()
    old_answers = _cloze_answers(old.get(recalled, ""))
    return bool(old_answers) and not (old_answers & _cloze_answers(new[recalled]))


def _cloze_answers(text: str) -> set[str]:
    # From each opening rather than with cloze_syntax.DELETION: a text from an older release may nest deletions
    # (the checks refuse them today), and each answer of its nested ones counts as an answer of the note.
    answers = set()
    for match in OPENING.finditer(text):
        end = text.find("}}", match.end())
        answers.add(text[match.end() : end].split("::")[0].strip().lower())
    return answers


def _what_replaced(note: ComparedNote) -> str:
    return KIND_BY_NAME[note.kind].identity_described


def _summary(changes: Changes) -> str:
    parts = [
        (len(changes.renamed), "renamed"),
        (len(changes.added), "added"),
        (len(changes.changed), "changed"),
        (len(changes.retired), "retired"),
        (len(changes.restored), "restored"),
        (len(changes.renamed_decks), "decks renamed"),
        (len(changes.note_types), "note types changed"),
    ]
    return ", ".join(f"{count} {label}" for count, label in parts if count) or "no card changes"
