"""The release ledger: what each card and note type looked like when last built, and since when.

Anki updates a note on re-import only when the incoming modification time is newer. So a note's time must be
the time its content last changed: unchanged content keeps the time the ledger remembers (and the learner's
own edits survive), changed content gets a newer one (and the fix reaches the learner).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from exporter.errors import ExporterError, Location
from exporter.model import Deck
from exporter.notetypes import CSS, NOTE_TYPES, NoteType
from exporter.render import RenderedNote

LEDGER_FILE = "ledger.json"
LEDGER_FORMAT = 1


@dataclass(frozen=True, slots=True)
class CardEntry:
    """What the ledger remembers of one card."""

    guid: str
    kind: str
    note_type: int
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    hash: str
    mtime: int


@dataclass(frozen=True, slots=True)
class NoteTypeEntry:
    """What the ledger remembers of one note type: its schema (ids) and its look (templates and CSS)."""

    name: str
    fields: tuple[tuple[int, str], ...]
    templates: tuple[tuple[int, str], ...]
    hash: str
    mtime: int


@dataclass(frozen=True, slots=True)
class Ledger:
    """The state of the last release: deck identity, note types and cards."""

    deck_id: str = ""
    title: str = ""
    version: str = ""
    note_types: Mapping[int, NoteTypeEntry] = field(default_factory=dict)
    cards: Mapping[str, CardEntry] = field(default_factory=dict)

    def note_mtimes(self) -> dict[str, int]:
        return {entry.guid: entry.mtime for entry in self.cards.values()}

    def note_type_mtimes(self) -> dict[int, int]:
        return {type_id: entry.mtime for type_id, entry in self.note_types.items()}


def build_time() -> int:
    """Now, in whole seconds; SOURCE_DATE_EPOCH (the reproducible-builds convention) pins it."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH")
    if pinned and pinned.isdigit():
        return int(pinned)
    return int(time.time())


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


def note_type_hash(note_type: NoteType) -> str:
    templates = [(t.id, t.name, t.question, t.answer) for t in note_type.templates]
    return _digest(note_type.name, note_type.fields, templates, CSS, note_type.is_cloze)


def note_hash(note: RenderedNote) -> str:
    return _digest(note.note_type.id, note.deck_name, note.fields, note.tags)


def next_ledger(previous: Ledger, deck: Deck, notes: Sequence[RenderedNote], now: int) -> Ledger:
    """The ledger after this build: unchanged entries keep their time, changed and new ones get a newer one."""
    note_types = {}
    for note_type in NOTE_TYPES.values():
        digest = note_type_hash(note_type)
        old = previous.note_types.get(note_type.id)
        mtime = old.mtime if old and old.hash == digest else _newer(now, old.mtime if old else None)
        note_types[note_type.id] = NoteTypeEntry(
            name=note_type.name, fields=note_type.fields,
            templates=tuple((t.id, t.name) for t in note_type.templates), hash=digest, mtime=mtime)
    cards = {}
    for note in notes:
        digest = note_hash(note)
        old_card = previous.cards.get(note.card.id)
        mtime = (old_card.mtime if old_card and old_card.hash == digest
                 else _newer(now, old_card.mtime if old_card else None))
        cards[note.card.id] = CardEntry(guid=note.guid, kind=note.card.kind, note_type=note.note_type.id,
                                        deck=note.deck_name, fields=note.fields, tags=note.tags, hash=digest,
                                        mtime=mtime)
    return Ledger(deck_id=deck.id, title=deck.title, version=deck.version, note_types=note_types, cards=cards)


def _newer(now: int, previous: int | None) -> int:
    return now if previous is None else max(now, previous + 1)


def read_ledger(out_dir: Path) -> Ledger:
    """The ledger of the last release in the output folder; an empty one before the first release."""
    path = out_dir / LEDGER_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Ledger()
    except (OSError, ValueError) as error:
        raise ExporterError(Location(str(path)), f"cannot read the release ledger ({error}); restore it from "
                                                 "version control, it records what learners already have") from None
    try:
        return _ledger_from_json(data)
    except (KeyError, TypeError, ValueError) as error:
        raise ExporterError(Location(str(path)), f"the release ledger is damaged (bad entry {error}); restore it "
                                                 "from version control") from None


def _ledger_from_json(data: Any) -> Ledger:
    if data.get("format") != LEDGER_FORMAT:
        raise ValueError(f"format {data.get('format')!r}")
    return Ledger(
        deck_id=data["deck"]["id"], title=data["deck"]["title"], version=data["deck"]["version"],
        note_types={int(type_id): NoteTypeEntry(
            name=entry["name"], fields=tuple((int(i), str(n)) for i, n in entry["fields"]),
            templates=tuple((int(i), str(n)) for i, n in entry["templates"]), hash=str(entry["hash"]),
            mtime=int(entry["mtime"])) for type_id, entry in data["note_types"].items()},
        cards={card_id: CardEntry(
            guid=str(entry["guid"]), kind=str(entry["kind"]), note_type=int(entry["note_type"]),
            deck=str(entry["deck"]), fields=tuple(map(str, entry["fields"])), tags=tuple(map(str, entry["tags"])),
            hash=str(entry["hash"]), mtime=int(entry["mtime"])) for card_id, entry in data["cards"].items()},
    )


def ledger_json(ledger: Ledger) -> bytes:
    """The ledger as stable, reviewable JSON (sorted, one card per block)."""
    data = {
        "format": LEDGER_FORMAT,
        "deck": {"id": ledger.deck_id, "title": ledger.title, "version": ledger.version},
        "note_types": {str(type_id): {"name": e.name, "fields": e.fields, "templates": e.templates, "hash": e.hash,
                                      "mtime": e.mtime} for type_id, e in sorted(ledger.note_types.items())},
        "cards": {card_id: {"guid": e.guid, "kind": e.kind, "note_type": e.note_type, "deck": e.deck,
                            "fields": e.fields, "tags": e.tags, "hash": e.hash, "mtime": e.mtime}
                  for card_id, e in sorted(ledger.cards.items())},
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
