"""What a build changes on learners' phones, compared with the last release, and the changes that need consent.

Anki matches decks by name, note types by their field and template ids, and notes by GUID (from the card id),
and never deletes a note. So a renamed deck, a changed note type schema or a card id given to other content
would quietly split or mislabel learners' progress: these stop the build until the trainer says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Sequence

from exporter import notetypes
from exporter.errors import Location, Problem
from exporter.model import Deck
from exporter.releases import Changes, FieldChange, Ledger, note_type_hash
from exporter.render import CLOZE_NUMBER, RenderedNote


@dataclass(frozen=True, slots=True)
class Consent:
    """Changes the trainer has agreed to make deliberately."""

    deck_rename: bool = False
    schema_change: bool = False
    reused_ids: frozenset[str] = field(default_factory=frozenset)


def compare(previous: Ledger, deck: Deck, notes: Sequence[RenderedNote]) -> Changes:
    """The changes from the last release to these notes."""
    added, restored = [], []
    changed: dict[str, tuple[FieldChange, ...]] = {}
    current_ids = set()
    for note in notes:
        card_id = note.card.id
        current_ids.add(card_id)
        old = previous.cards.get(card_id)
        if old is None:
            added.append(card_id)
            continue
        if old.retired_in is not None:
            restored.append(card_id)
        differences = tuple(
            FieldChange(name, old_value, new_value)
            for name, old_value, new_value in zip(note.note_type.field_names, old.fields, note.fields)
            if old_value != new_value)
        old_tags = tuple(tag for tag in old.tags if old.retired_in is None or tag != "retired")
        if old_tags != note.tags:
            differences += (FieldChange("tags", " ".join(old_tags), " ".join(note.tags)),)
        if old.deck != note.deck_name:
            differences += (FieldChange("deck", old.deck, note.deck_name),)
        if differences:
            changed[card_id] = differences
    retired = tuple(card_id for card_id, entry in previous.cards.items()
                    if entry.retired_in is None and card_id not in current_ids)
    return Changes(added=tuple(added), changed=changed, retired=retired, restored=tuple(restored),
                   renamed_decks=_renamed_decks(previous, notes), note_types=_note_type_changes(previous))


def _renamed_decks(previous: Ledger, notes: Sequence[RenderedNote]) -> tuple[tuple[str, str], ...]:
    current_decks = {note.deck_name for note in notes}
    renamed = []
    for old_deck in sorted(previous.live_decks() - current_decks):
        moved_to = {note.deck_name for note in notes
                    if (entry := previous.cards.get(note.card.id)) is not None and entry.deck == old_deck}
        if len(moved_to) == 1:
            renamed.append((old_deck, moved_to.pop()))
    return tuple(renamed)


def _note_type_changes(previous: Ledger) -> tuple[str, ...]:
    if previous.is_empty:
        return ()
    described = []
    for note_type in notetypes.NOTE_TYPES.values():
        old = previous.note_types.get(note_type.id)
        if old is None:
            described.append(f"{note_type.name}: new note type")
        elif old.fields != note_type.fields or old.templates != tuple((t.id, t.name) for t in note_type.templates):
            described.append(f"{note_type.name}: {_schema_difference(old.fields, note_type.fields, 'field')}"
                             f"{_schema_difference(old.templates, _templates(note_type), 'template')}".rstrip("; "))
        elif old.hash != note_type_hash(note_type):
            described.append(f"{note_type.name}: templates or styling changed")
    return tuple(described)


def _templates(note_type: notetypes.NoteType) -> tuple[tuple[int, str], ...]:
    return tuple((template.id, template.name) for template in note_type.templates)


def _schema_difference(old: tuple[tuple[int, str], ...], new: tuple[tuple[int, str], ...], what: str) -> str:
    old_ids, new_ids = dict(old), dict(new)
    parts = [f"{what} '{name}' added" for key, name in new if key not in old_ids]
    parts += [f"{what} '{name}' removed" for key, name in old if key not in new_ids]
    parts += [f"{what} '{old_ids[key]}' renamed to '{name}'" for key, name in new
              if key in old_ids and old_ids[key] != name]
    return "".join(f"{part}; " for part in parts)


def consent_problems(previous: Ledger, deck: Deck, notes: Sequence[RenderedNote], changes: Changes,
                     consent: Consent) -> list[Problem]:
    """The changes that would split or mislabel learners' progress and were not agreed to; empty if none."""
    if previous.is_empty:
        return []
    return sorted(_consent_problems(previous, deck, notes, changes, consent))


def _consent_problems(previous: Ledger, deck: Deck, notes: Sequence[RenderedNote], changes: Changes,
                      consent: Consent) -> Iterator[Problem]:
    deck_location = deck.location
    if previous.deck_id and previous.deck_id != deck.id:
        # nothing else is worth comparing: the ledger is another deck's history
        yield Problem(deck.key_locations.get("id", deck_location),
                      f"deck id '{deck.id}' is not '{previous.deck_id}', the deck whose release ledger is in the "
                      "output folder. Note identities come from the deck id: building here would replace that "
                      "deck's release history, and learners who have it would get every card again, without its "
                      f"review history. Build this deck into a folder of its own (-o), or put back id "
                      f"'{previous.deck_id}'")
        return
    if not consent.deck_rename:
        for old_deck, new_deck in changes.renamed_decks:
            where = deck.key_locations.get("title", deck_location) if old_deck.split("::")[0] != new_deck.split(
                "::")[0] else _topic_location(deck, new_deck)
            yield Problem(where, f"deck '{old_deck}' is now called '{new_deck}'. Anki matches decks by name: on "
                                 f"learners' phones the cards they have stay in '{old_deck}' and new cards go to "
                                 f"'{new_deck}'. To do it deliberately, tell learners to rename the deck in Anki "
                                 "before importing, and build with --allow-deck-rename")
    if not consent.schema_change:
        for description in changes.note_types:
            if "templates or styling" in description or "new note type" in description:
                continue
            yield Problem(deck_location, f"note type {description}. Learners' Anki will keep the old note type, "
                                         "add a copy named '…+' and skip every update to these notes unless they "
                                         "tick 'Merge note types' when importing. To do it deliberately, build with "
                                         "--allow-schema-change and tell learners to import with 'Merge note types' "
                                         "ticked and 'Update notes' set to 'Always' (merging stamps their notes "
                                         "with the import time, so 'If newer' would skip the new content)")
    for note in notes:
        old = previous.cards.get(note.card.id)
        if old is None:
            continue
        if old.kind != note.card.kind:
            yield Problem(note.card.where("kind"),
                          f"card '{note.card.id}' was a {old.kind} card and is now a {note.card.kind} card. Learners' "
                          "Anki cannot change a note's type on import and would skip it. Give the new card a new id "
                          "(the old one is then retired)")
        elif note.card.id not in consent.reused_ids and _is_other_content(old.fields, note):
            yield Problem(note.card.location,
                          f"card id '{note.card.id}' now holds different content ({_what_replaced(note)} "
                          "changed). On learners' phones it would replace the old card and inherit its review "
                          "history. If it is a new card, give it a new id (the old one is retired); if it is a "
                          f"correction, build with --allow-reuse {note.card.id}")
    if changes and previous.version == deck.version:
        yield Problem(deck.key_locations.get("version", deck_location),
                      f"the cards changed since release {deck.version} ({_summary(changes)}) but 'version' is still "
                      f"{deck.version}; raise it (for example to {_next_version(deck.version)}) so learners and "
                      "trainers can tell the releases apart")


def _topic_location(deck: Deck, deck_name: str) -> Location:
    for topic in deck.topics:
        if deck.subdeck_name(topic.subdeck) == deck_name:
            return topic.location
    return deck.location


def _is_other_content(old_fields: tuple[str, ...], note: RenderedNote) -> bool:
    old = dict(zip(note.note_type.field_names, old_fields))
    if note.card.kind == "acronym":
        return old.get("Term") != note.field("Term")
    if note.card.kind == "basic":
        return old.get("Question") != note.field("Question") and old.get("Answer") != note.field("Answer")
    old_answers = _cloze_answers(old.get("Text", ""))
    return bool(old_answers) and not (old_answers & _cloze_answers(note.field("Text")))


def _cloze_answers(text: str) -> set[str]:
    answers = set()
    for match in CLOZE_NUMBER.finditer(text):
        end = text.find("}}", match.end())
        answers.add(text[match.end():end].split("::")[0].strip().lower())
    return answers


def _what_replaced(note: RenderedNote) -> str:
    return {"acronym": "its term", "basic": "its question and its answer"}.get(note.card.kind, "every deletion")


def _summary(changes: Changes) -> str:
    parts = [(len(changes.added), "added"), (len(changes.changed), "changed"), (len(changes.retired), "retired"),
             (len(changes.restored), "restored"), (len(changes.renamed_decks), "decks renamed"),
             (len(changes.note_types), "note types changed")]
    return ", ".join(f"{count} {label}" for count, label in parts if count) or "no card changes"


def _next_version(version: str) -> str:
    parts = version.split(".")
    if parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return version + ".1"
