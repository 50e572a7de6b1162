"""The ledger's card lines as text: how a card's line is written, where the lines are in the ledger, how an
unchanged line is recognised without parsing it, and how a line is read back. The one module that knows them.

A card's line is its head (every key, ending in `"mtime": `) and then its time and `}`, and for a retired card
`, "retired_in": …}`. A build writes an unchanged note's line from its head and the time the last release gave
it, in SQL (finished_line_sql), and recognises such a line by its head's digest (head_digest): a line this
module cannot recognise is only compared slowly, never wrongly, so each side of the protocol is here, together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any, AnyStr, TextIO

from exporter.release.ledger import LEDGER_FORMAT, CardEntry, Changes, Ledger, strings_json
from exporter.release.ledger_json import card_entry

#: what ends a line's card id and starts its entry
_ENTRY_START = '": {'
#: the last key of a head: its time comes after it
_TIME_KEY = '"mtime": '
#: what is around the card lines in a ledger laid out by write_ledger
CARDS_START = '\n "cards": {\n'
CARDS_END = '\n },\n "releases": ['
#: The columns of a table of ledger lines (with a label in a build's own table): a live card's line (card_line's)
#: is its head and its time, and for such a line, and only such, digest is head_digest(head) and time the time.
LINE_COLUMNS = "id TEXT PRIMARY KEY, line TEXT, digest BLOB, time INTEGER"


def card_line_head(
    card_id: str,
    guid: str,
    kind: str,
    note_type: int,
    deck: str,
    fields: Sequence[str],
    tags: Sequence[str],
    ordinals: Sequence[int],
    digest: str,
    renamed_from: str | None = None,
) -> str:
    """A card's ledger line up to its time (card_line finishes it): the JSON of its entry, keys in this order,
    written piece by piece (every note gets one, and a dict to encode costs twice as much)."""
    renamed = "" if renamed_from is None else f'"renamed_from": {_json(renamed_from)}, '
    return (
        f'  {_json(card_id)}: {{{renamed}"guid": {_json(guid)}, "kind": {_json(kind)}, "note_type": {note_type}, '
        f'"deck": {_json(deck)}, "fields": {strings_json(fields)}, "tags": {strings_json(tags)}, '
        f'"ordinals": [{", ".join(map(str, ordinals))}], '
        f'"hash": {_json(digest)}, "mtime": '
    )


def card_line(head: str, mtime: int, retired_in: str | None = None) -> str:
    """A card's whole ledger line, one per card so a diff of the ledger shows each."""
    if retired_in:
        return f'{head}{mtime}, "retired_in": {_json(retired_in)}}}'
    return f"{head}{mtime}}}"


def finished_line_sql(head: str, time: str) -> str:
    """SQL for card_line(head, time) of a live card, from SQL expressions for its head and its time."""
    return f"{head} || {time} || '}}'"


def entry_line(card_id: str, entry: CardEntry) -> str:
    """The ledger line of a card known only from the ledger (a retired one)."""
    return card_line(entry_head(card_id, entry), entry.mtime, entry.retired_in)


def entry_head(card_id: str, entry: CardEntry) -> str:
    """The head of a ledger entry's line (card_line_head of what the entry keeps)."""
    return card_line_head(
        card_id,
        entry.guid,
        entry.kind,
        entry.note_type,
        entry.deck,
        entry.fields,
        entry.tags,
        entry.ordinals,
        entry.hash,
        entry.renamed_from,
    )


def parse_line(line: str) -> CardEntry:
    """The entry of a card's line, checked (errors as ledger_json.card_entry, and ValueError if it is not a line)."""
    return card_entry(json.loads(_entry_text(line)))


def parse_head(head: str) -> CardEntry:
    """The entry of a card's head (card_line_head's), with time 0; unchecked, as the head is this build's own."""
    # a first build parses every note's head: this is taking keys, with nothing to check
    entry = json.loads(_entry_text(card_line(head, 0)))
    return CardEntry(
        entry["guid"],
        entry["kind"],
        entry["note_type"],
        entry["deck"],
        tuple(entry["fields"]),
        tuple(entry["tags"]),
        tuple(entry["ordinals"]),
        entry["hash"],
        0,
        renamed_from=entry.get("renamed_from"),
    )


def _entry_text(line: str) -> str:
    return line[line.index(_ENTRY_START) + len(_ENTRY_START) - 1 :]


def head_digest(head: str) -> bytes:
    """What tells a ledger line's head (card_line_head's) from any other: a note is unchanged and live when its
    head's digest is that of its line's head."""
    return hashlib.blake2b(head.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def line_digest_and_time(line: str) -> tuple[bytes | None, int | None]:
    """A ledger line's LINE_COLUMNS digest and time."""
    end = line.rfind(_TIME_KEY) + len(_TIME_KEY)
    time = line[end:-1]
    if (
        end < len(_TIME_KEY)
        or line[-1] != "}"
        or not (time.isascii() and time.isdigit())
        or str(int(time)) != time
        or int(time) >= 2**63  # more than SQLite keeps: left for parse_line to refuse
    ):
        return None, None
    return head_digest(line[:end]), int(time)


def unchanged_times_sql(notes: str, lines: str) -> str:
    """SQL for the time the ledger keeps for each note of the table notes (pos, id, digest of its head), in pos
    order: the time in the note's line in the table lines (LINE_COLUMNS) if that line is the note's head and a
    time; else NULL."""
    return (
        f"SELECT p.time FROM {notes} l LEFT JOIN {lines} p ON p.id = l.id AND p.digest = l.digest ORDER BY l.pos"
    )


def card_lines_span(data: AnyStr, start: AnyStr, end: AnyStr) -> tuple[int, int] | None:
    """Where the card lines are, from the newline after '"cards": {' to the one before its '}' (the ledger
    without them is whole JSON), if the ledger is laid out as write_ledger lays it out; else None. start and end
    are CARDS_START and CARDS_END, as str or encoded."""
    found = data.find(start)
    last = data.find(end, found)
    if found < 0 or last < 0:
        return None
    return found + len(start) - 1, last


def card_line_number(ledger: str, card_id: str) -> int:
    """The number of the card's line in a ledger laid out by write_ledger (0 if it has none)."""
    found = ledger.find(f"\n  {_json(card_id)}: ")
    return ledger.count("\n", 0, found) + 2 if found >= 0 else 0


def card_lines(block: str) -> list[tuple[str, str]] | None:
    """Each card's id and line in the block card_lines_span found, one card a line; None if a line is not one
    (the ledger is read whole then)."""
    lines = []
    for line in block[1:].split("\n"):
        line = line[:-1] if line.endswith(",") else line
        key_end = line.find(_ENTRY_START)
        # an id with an escape (never one of ours) is read by the whole-document parse
        if not line.startswith('  "') or key_end < 0 or "\\" in line[:key_end]:
            return None
        lines.append((line[3:key_end], line))
    return lines


def write_ledger(stream: TextIO, ledger: Ledger, card_lines: Iterable[str]) -> None:
    """Write the ledger as stable, reviewable JSON: one line per note type, card (card_lines, in card id order)
    and release, so a diff shows each. ledger gives all but the cards."""
    # json.dumps with indent= takes the pure-Python encoder, slow and memory-hungry on a big deck (see
    # docs/performance.md). Each entry through the C encoder, one per line, gives the same document.
    note_types = ",\n".join(
        f"  {_json(str(type_id))}: "
        f"{_json({'name': e.name, 'fields': e.fields, 'templates': e.templates, 'hash': e.hash, 'mtime': e.mtime})}"
        for type_id, e in sorted(ledger.note_types.items())
    )
    deck: dict[str, Any] = {"id": ledger.deck_id, "title": ledger.title, "version": ledger.version}
    if ledger.options is not None:
        deck["options"] = ledger.options.to_json()
    stream.write(
        f'{{\n "format": {_json(LEDGER_FORMAT)},\n "deck": {_json(deck)},\n "note_types": {{\n{note_types}\n }},'
    )
    stream.write(CARDS_START)
    separator = ""
    for line in card_lines:
        stream.write(separator)
        stream.write(line)
        separator = ",\n"
    releases = ",\n".join(
        f"  {_json({'version': r.version, 'date': r.date, 'changes': _changes_json(r.changes)})}"
        for r in ledger.releases
    )
    stream.write(f"{CARDS_END}\n{releases}\n ]\n}}\n")


def _changes_json(changes: Changes) -> dict[str, Any]:
    renamed = {"renamed": changes.renamed} if changes.renamed else {}  # older ledgers' bytes stay as they were
    return (
        renamed
        | {
            "added": changes.added,
            "changed": {
                card_id: [(c.field, c.old, c.new) for c in fields] for card_id, fields in changes.changed.items()
            },
            "retired": changes.retired,
            "restored": changes.restored,
            "renamed_decks": changes.renamed_decks,
            "note_types": changes.note_types,
        }
        | ({"options_changed": True} if changes.options_changed else {})
    )


#: json.dumps with any non-default option makes a new encoder at each call, and every note's line is made here
_json = json.JSONEncoder(ensure_ascii=False).encode
