"""The table of card kinds drives every layer: a card of each kind in it reads, checks, renders into the kind's
note type and writes both CSV lines, and the editors' schema offers exactly the kinds and keys it lists."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from exporter.kinds import KIND_BY_NAME, KINDS, NOTE_TYPES, CardKind
from exporter.model import KIND_FIELDS
from exporter.pipeline.checked_stream import check
from exporter.rendering.plain_text import card_sides
from exporter.writers.csv import anki_csv_line, spreadsheet_line
from tests.support import card_set, shipped, topic

TOPIC_SCHEMA = Path(__file__).parent.parent / "exporter" / "schema" / "topic.schema.json"


def _text(kind: CardKind, key: str) -> str:
    """Words for one key of a card of this kind; what a cloze recalls holds a deletion."""
    if kind.is_cloze and key == kind.recall:
        return f"The {key} keeps {{{{c1::hidden {kind.name} words}}}} here"
    return f"The {key} of a {kind.name} card"


def _card(kind: CardKind) -> str:
    keys = "".join(f"    {key}: {_text(kind, key)}\n" for key in kind.fields)
    return f"  - id: one-{kind.name}\n    kind: {kind.name}\n{keys}    source: {{slide: 2}}\n"


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_each_kind_reads_checks_renders_and_writes_csv(tmp_path: Path, kind: CardKind) -> None:
    checked = check(card_set(tmp_path, {"t.yaml": topic(_card(kind))}))
    assert checked.errors == []
    [note] = shipped(checked)
    assert (note.card.kind, note.note_type) == (kind.name, kind.note_type)
    for key in kind.fields:
        assert note.field(key.capitalize()) == _text(kind, key)
    [anki_row] = csv.reader([anki_csv_line(note)])
    assert anki_row[1:4] == [kind.stock_note_type, "Test Deck::Acronyms", note.field(kind.stock_front)]
    [spreadsheet_row] = csv.reader([spreadsheet_line(note)])
    assert spreadsheet_row[:3] == [f"one-{kind.name}", kind.name, "Acronyms"]
    assert spreadsheet_row[3].startswith(f"The {kind.sides[0]} ")
    front, back, _ = card_sides(kind.name, note.card.fields)
    assert front and back


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_each_kind_names_only_fields_it_has(kind: CardKind) -> None:
    """Rendering fills a note field from the YAML key of the same name (Term ← term): the note type's fields
    are the kind's keys, capitalised, then Source; what the outputs and the comparison name are among them."""
    field_names = kind.note_type.field_names
    assert field_names == (*(key.capitalize() for key in kind.fields), "Source")
    named = {
        kind.stock_front,
        kind.stock_back,
        *kind.stock_extras,
        *kind.spreadsheet_fields,
        *kind.identity_fields,
    }
    assert named - {""} <= set(field_names)
    assert {kind.recall, *kind.sides, kind.prompt} - {""} <= set(kind.fields)
    assert kind.required and set(kind.required).isdisjoint(kind.optional)


def test_the_lookups_come_from_the_table() -> None:
    assert list(KIND_BY_NAME) == list(NOTE_TYPES) == list(KIND_FIELDS) == [kind.name for kind in KINDS]
    assert len({kind.note_type.id for kind in KINDS}) == len(KINDS), "each kind has a note type of its own"


def test_topic_schema_offers_the_kinds_of_the_table() -> None:
    """Editors check files with the schema, which cannot import the table: a kind added to one and not the
    other fails here."""
    definitions = json.loads(TOPIC_SCHEMA.read_text(encoding="utf-8"))["definitions"]
    card, common = definitions["card"], {"kind", *definitions["common"]}
    assert card["properties"]["kind"]["enum"] == [kind.name for kind in KINDS]
    branches = {branch["properties"]["kind"]["const"]: branch for branch in card["oneOf"]}
    assert list(branches) == [kind.name for kind in KINDS]
    for kind in KINDS:
        branch = branches[kind.name]
        assert branch["required"] == list(kind.required), kind.name
        assert set(branch["properties"]) == common | set(kind.fields), kind.name
        assert branch["additionalProperties"] is False, kind.name
