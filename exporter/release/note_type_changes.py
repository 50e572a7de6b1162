"""How the note types this build ships differ from the last release's, each difference typed by what it means on
learners' phones: a new note type or a new look arrives with the import; a changed schema (a field or template
added, removed or renamed) makes Anki keep the old note type unless learners merge them, so it needs consent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from exporter import kinds, notetypes
from exporter.release.ledger import Ledger, note_type_hash, template_schema


@dataclass(frozen=True, slots=True)
class NoteTypeChange:
    """One note type that changed since the last release."""

    name: str
    #: "new": not in the last release; "look": only its templates' text or its styling; "schema": its fields or
    #: templates (by id and name), which learners' Anki cannot update without their consent
    kind: Literal["new", "look", "schema"]
    #: what the ledger records and the changelog shows, for example "Basic: field 'Source' added"
    description: str


#: How a description ends for the changes learners need not consent to (the ledger keeps only descriptions).
_NEW, _LOOK = ": new note type", ": templates or styling changed"


def description_kind(description: str) -> Literal["new", "look", "schema"]:
    """The kind of change a description (as the ledger keeps it, see NoteTypeChange) tells of."""
    if description.endswith(_NEW):
        return "new"
    return "look" if description.endswith(_LOOK) else "schema"


def note_type_changes(
    previous: Ledger, note_types: Mapping[str, notetypes.NoteType] = kinds.NOTE_TYPES
) -> tuple[NoteTypeChange, ...]:
    """The note types that differ from the last release's, in the exporter's order; none before a first release."""
    if previous.is_empty:
        return ()
    changes = []
    for note_type in note_types.values():
        old, name = previous.note_types.get(note_type.id), note_type.name
        templates = template_schema(note_type)
        if old is None:
            changes.append(NoteTypeChange(name, "new", name + _NEW))
        elif old.fields != note_type.fields or old.templates != templates:
            difference = _schema_difference(old.fields, note_type.fields, "field") + _schema_difference(
                old.templates, templates, "template"
            )
            changes.append(NoteTypeChange(name, "schema", f"{name}: {difference}".rstrip("; ")))
        elif old.hash != note_type_hash(note_type):
            changes.append(NoteTypeChange(name, "look", name + _LOOK))
    return tuple(changes)


def _schema_difference(old: tuple[tuple[int, str], ...], new: tuple[tuple[int, str], ...], what: str) -> str:
    old_ids, new_ids = dict(old), dict(new)
    parts = [f"{what} '{name}' added" for key, name in new if key not in old_ids]
    parts += [f"{what} '{name}' removed" for key, name in old if key not in new_ids]
    parts += [
        f"{what} '{old_ids[key]}' renamed to '{name}'"
        for key, name in new
        if key in old_ids and old_ids[key] != name
    ]
    return "".join(f"{part}; " for part in parts)
