"""A ledger read back from its JSON, each entry checked: a ledger that is not one is never half read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from exporter.release.ledger import (
    LEDGER_FORMAT,
    CardEntry,
    Changes,
    FieldChange,
    Ledger,
    NoteTypeEntry,
    Release,
)
from exporter.release.options_preset import preset_from_json

_Entry = TypeVar("_Entry")


def ledger_from_json(data: Any) -> Ledger:
    """A ledger from its JSON (ValueError, KeyError, TypeError or AttributeError if it is not one)."""
    if data.get("format") != LEDGER_FORMAT:
        raise ValueError(f"format {data.get('format')!r}")
    return Ledger(
        deck_id=data["deck"]["id"],
        title=data["deck"]["title"],
        version=data["deck"]["version"],
        note_types={
            int(type_id): _entry(type_id, _note_type_entry, entry) for type_id, entry in data["note_types"].items()
        },
        cards={card_id: _entry(card_id, card_entry, entry) for card_id, entry in data["cards"].items()},
        releases=tuple(
            Release(str(r["version"]), str(r["date"]), _changes_from_json(r["changes"])) for r in data["releases"]
        ),
        options=preset_from_json(data["deck"].get("options")),
    )


class EntryError(ValueError):
    """An entry of the ledger (a note type's or a card's) is not one."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        #: the entry's key: a note type id or a card id
        self.key = key


def _entry(key: str, parse: Callable[[Any], _Entry], entry: Any) -> _Entry:
    try:
        return parse(entry)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise EntryError(str(key), str(error)) from None


def _note_type_entry(entry: Any) -> NoteTypeEntry:
    return NoteTypeEntry(
        name=entry["name"],
        fields=tuple((int(i), str(n)) for i, n in entry["fields"]),
        templates=tuple((int(i), str(n)) for i, n in entry["templates"]),
        hash=str(entry["hash"]),
        mtime=_time(entry["mtime"]),
    )


def card_entry(entry: Any) -> CardEntry:
    """A card's entry from its JSON (errors as ledger_from_json)."""
    return CardEntry(
        guid=str(entry["guid"]),
        kind=str(entry["kind"]),
        note_type=int(entry["note_type"]),
        deck=str(entry["deck"]),
        fields=tuple(map(str, entry["fields"])),
        tags=tuple(map(str, entry["tags"])),
        ordinals=tuple(map(int, entry["ordinals"])),
        hash=str(entry["hash"]),
        mtime=_time(entry["mtime"]),
        retired_in=entry.get("retired_in"),
        renamed_from=entry.get("renamed_from"),
    )


def _time(value: Any) -> int:
    time = int(value)
    if not 0 <= time < 2**63:  # what a package's 64-bit integers can hold
        raise ValueError(f"time {value!r} out of range")
    return time


def _changes_from_json(data: Any) -> Changes:
    return Changes(
        added=tuple(data["added"]),
        changed={
            card_id: tuple(FieldChange(*change) for change in fields)
            for card_id, fields in data["changed"].items()
        },
        retired=tuple(data["retired"]),
        restored=tuple(data["restored"]),
        renamed_decks=tuple((str(old), str(new)) for old, new in data["renamed_decks"]),
        note_types=tuple(data["note_types"]),
        renamed=tuple((str(old), str(new)) for old, new in data.get("renamed", ())),
        options_changed=data.get("options_changed") is True,
    )
