"""Consent is decided on what kind of note type change a build makes, never on how the change is worded."""

from __future__ import annotations

import dataclasses

import pytest

from exporter.errors import Location
from exporter.kinds import NOTE_TYPES
from exporter.model import Deck
from exporter.release.comparison import Comparison, Consent
from exporter.release.ledger import Changes, Ledger, Release, note_type_entries, template_schema
from exporter.release.note_type_changes import NoteTypeChange, note_type_changes

NOW = 1700000000
DECK = Deck(
    id="ops-101",
    title="Ops 101",
    version="1.1",
    description="",
    source_title="",
    source_document="",
    outcomes={},
    topics=(),
    location=Location("cards/deck.yaml"),
)
QUESTION = next(note_type for note_type in NOTE_TYPES.values() if note_type.name == "Peacekeeping Question")


def _last_release(**question_was: object) -> Ledger:
    """A last release whose note types are this build's, but the question note type's entry changed so."""
    note_types = note_type_entries(Ledger(), NOW)
    note_types[QUESTION.id] = dataclasses.replace(note_types[QUESTION.id], **question_was)  # type: ignore[arg-type]
    return Ledger(deck_id=DECK.id, version="1.0", note_types=note_types, releases=(Release("1.0", "", Changes()),))


def _refusals(previous: Ledger, consent: Consent = Consent()) -> list[str]:
    comparison = Comparison(previous, NOW, consent)
    return [problem.message for problem in comparison.refusals(DECK, comparison.changes(), {})]


def test_a_templates_only_change_reaches_learners_without_consent() -> None:
    previous = _last_release(hash="0000000000000000")

    assert note_type_changes(previous) == (
        NoteTypeChange("Peacekeeping Question", "look", "Peacekeeping Question: templates or styling changed"),
    )
    assert _refusals(previous) == []


def test_a_field_added_needs_consent() -> None:
    previous = _last_release(fields=QUESTION.fields[:-1])

    (change,) = note_type_changes(previous)
    assert change == NoteTypeChange(
        "Peacekeeping Question", "schema", "Peacekeeping Question: field 'Source' added"
    )
    (refusal,) = _refusals(previous)
    assert refusal.startswith("note type Peacekeeping Question: field 'Source' added. Learners' Anki will keep")
    assert _refusals(previous, Consent(schema_change=True)) == []


def test_a_template_renamed_needs_consent() -> None:
    (template_id, _), *rest = template_schema(QUESTION)
    previous = _last_release(templates=((template_id, "Old name"), *rest))

    assert [change.kind for change in note_type_changes(previous)] == ["schema"]
    assert len(_refusals(previous)) == 1


def test_a_new_note_type_needs_no_consent() -> None:
    previous = _last_release()
    previous = dataclasses.replace(
        previous, note_types={key: entry for key, entry in previous.note_types.items() if key != QUESTION.id}
    )

    assert note_type_changes(previous) == (
        NoteTypeChange("Peacekeeping Question", "new", "Peacekeeping Question: new note type"),
    )
    assert _refusals(previous) == []


@pytest.mark.parametrize(
    ("kind", "description", "refused"),
    [
        ("schema", "Q: field 'templates or styling changed' added", True),
        ("schema", "Q: template 'new note type' removed", True),
        ("look", "Q: the look changed", False),
        ("new", "Q: field added", False),
    ],
)
def test_consent_follows_the_kind_not_the_words(kind: str, description: str, refused: bool) -> None:
    comparison = Comparison(_last_release(), NOW)
    comparison.note_type_changes = (NoteTypeChange("Q", kind, description),)  # type: ignore[arg-type]
    assert len(list(comparison.refusals(DECK, Changes(), {}))) == int(refused)
