"""The release ledger: what each card and note type looked like when last built, since when, and every release.

Anki updates a note on re-import only when the incoming modification time is newer. So a note's time must be
the time its content last changed: unchanged content keeps the time the ledger remembers (and the learner's
own edits survive), changed content gets a newer one (and the fix reaches the learner).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import NamedTuple

from exporter import kinds, notetypes
from exporter.release.options_preset import OptionsPreset

LEDGER_FILE = "ledger.json"
LEDGER_FORMAT = 1
#: The tag a retired card's note gets, so learners can find it with the search `tag:retired`.
RETIRED_TAG = "retired"


class CardEntry(NamedTuple):
    """What the ledger remembers of one card (note): enough to ship it again and to tell what changed.

    A named tuple: a rebuild reads one per card, and a frozen dataclass is slower to make (docs/performance.md)."""

    guid: str
    kind: str
    note_type: int
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    ordinals: tuple[int, ...]
    hash: str
    mtime: int
    #: the version that retired the card, for a card no longer in the sources
    retired_in: str | None = None
    #: the id whose notes (GUID) the card keeps, for a card renamed in some release
    renamed_from: str | None = None


@dataclass(frozen=True, slots=True)
class NoteTypeEntry:
    """What the ledger remembers of one note type: its schema (ids) and a hash of its look (templates, CSS)."""

    name: str
    fields: tuple[tuple[int, str], ...]
    templates: tuple[tuple[int, str], ...]
    hash: str
    mtime: int


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a card, before and after; 'tags' and 'deck' are reported as fields too."""

    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Changes:
    """What a build changes for learners compared with the last release."""

    added: tuple[str, ...] = ()
    changed: Mapping[str, tuple[FieldChange, ...]] = field(default_factory=dict)
    retired: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    renamed_decks: tuple[tuple[str, str], ...] = ()
    note_types: tuple[str, ...] = ()
    #: cards given a new id that keep their notes (renamed_from): (old id, new id)
    renamed: tuple[tuple[str, str], ...] = ()
    #: the deck's options preset changed: learners who want the new limits tick Import any deck presets
    options_changed: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.options_changed
            or self.renamed
            or self.added
            or self.changed
            or self.retired
            or self.restored
            or self.renamed_decks
            or self.note_types
        )


@dataclass(frozen=True, slots=True)
class Release:
    """One version handed out, with the changes it brought."""

    version: str
    date: str
    changes: Changes


@dataclass(frozen=True, slots=True)
class Ledger:
    """The state of the last release: deck identity, note types, cards (live and retired) and history."""

    deck_id: str = ""
    title: str = ""
    version: str = ""
    note_types: Mapping[int, NoteTypeEntry] = field(default_factory=dict)
    cards: Mapping[str, CardEntry] = field(default_factory=dict)
    releases: tuple[Release, ...] = ()
    #: the options preset last shipped, if the deck ever had options
    options: OptionsPreset | None = None

    @property
    def is_empty(self) -> bool:
        return not self.cards and not self.releases


def build_time() -> int:
    """Now, in whole seconds; SOURCE_DATE_EPOCH (the reproducible-builds convention) pins it."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH")
    if pinned and pinned.isdigit():
        return int(pinned)
    return int(time.time())


#: json.dumps with any non-default option makes a new encoder at each call; a note's hash is made for every note
_ENCODE_JSON = json.JSONEncoder(ensure_ascii=False).encode


def _digest(*parts: object) -> str:
    return _json_digest(_ENCODE_JSON(parts))


def _json_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def note_type_hash(note_type: notetypes.NoteType) -> str:
    templates = [(t.id, t.name, t.question, t.answer) for t in note_type.templates]
    return _digest(note_type.name, note_type.fields, templates, note_type.styling, note_type.is_cloze)


def entry_hash(note_type: int, deck: str, fields: Sequence[str], tags: Sequence[str]) -> str:
    """What the ledger keeps of a note's content, to tell at the next build whether it changed: _digest of
    (note_type, deck, fields, tags), its JSON written here from the pieces (every note has one)."""
    text = f"[{note_type}, {encode_basestring(deck)}, {strings_json(fields)}, {strings_json(tags)}]"
    return _json_digest(text)


def strings_json(texts: Sequence[str]) -> str:
    """The JSON of a list of strings, as the JSON encoder writes it without escaping non-ASCII: written here, as
    the encoder's set-up at each call costs more than the writing (every note has a few such lists)."""
    return "[" + ", ".join(map(encode_basestring, texts)) + "]"


def note_type_entries(
    previous: Ledger, now: int, note_types: Mapping[str, notetypes.NoteType] = kinds.NOTE_TYPES
) -> dict[int, NoteTypeEntry]:
    """The note types as this build ships them: an unchanged one keeps its time, a changed one gets a newer."""
    entries = {}
    for note_type in note_types.values():
        digest = note_type_hash(note_type)
        old = previous.note_types.get(note_type.id)
        entries[note_type.id] = NoteTypeEntry(
            name=note_type.name,
            fields=note_type.fields,
            templates=template_schema(note_type),
            hash=digest,
            mtime=keep_or_renew(old.mtime if old else None, old is not None and old.hash == digest, now),
        )
    return entries


def template_schema(note_type: notetypes.NoteType) -> tuple[tuple[int, str], ...]:
    """A note type's templates as the ledger keeps them: each one's id and name (Anki matches them by these)."""
    return tuple((template.id, template.name) for template in note_type.templates)


def keep_or_renew(previous: int | None, unchanged: bool, now: int) -> int:
    """A note's time: the remembered one while its content is unchanged, else newer than both it and now."""
    if previous is None:
        return now
    if unchanged:
        return previous
    return max(now, previous + 1)


def retired_entries(
    previous: Ledger, shipped: Container[str], version: str, now: int
) -> Iterator[tuple[str, CardEntry]]:
    """The last release's cards that this one no longer has: retired before, or retired now (tagged, and newer
    so the tag reaches learners)."""
    for card_id in previous.cards:
        if card_id in shipped:
            continue
        entry = previous.cards[card_id]
        if entry.retired_in is not None:
            yield card_id, entry
            continue
        tags = entry.tags + (RETIRED_TAG,)
        yield (
            card_id,
            CardEntry(
                guid=entry.guid,
                kind=entry.kind,
                note_type=entry.note_type,
                deck=entry.deck,
                fields=entry.fields,
                tags=tags,
                ordinals=entry.ordinals,
                hash=entry_hash(entry.note_type, entry.deck, entry.fields, tags),
                mtime=keep_or_renew(entry.mtime, False, now),
                retired_in=version,
                renamed_from=entry.renamed_from,
            ),
        )


def releases_after(previous: Ledger, version: str, changes: Changes, now: int) -> tuple[Release, ...]:
    """The release history with this build's release, if it changes anything or has a new version."""
    if changes or version != previous.version:
        return previous.releases + (Release(version, time.strftime("%Y-%m-%d", time.gmtime(now)), changes),)
    return previous.releases
