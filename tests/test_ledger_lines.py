"""The ledger's card line protocol, end to end: a head written, finished, recognised, parsed and written again.

If one side of it changes alone, the fast paths of a rebuild turn off silently (the output stays right, only
slower): these tests make that a failure."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.release.ledger import CardEntry, Changes, FieldChange, Ledger, Release, entry_hash, note_type_entries
from exporter.release.ledger_index import LedgerCards, read_ledger
from exporter.release.ledger_lines import (
    CARDS_END,
    CARDS_START,
    card_line,
    card_line_head,
    card_lines,
    card_lines_span,
    entry_head,
    entry_line,
    finished_line_sql,
    head_digest,
    line_digest_and_time,
    parse_head,
    parse_line,
    write_ledger,
)
from exporter.release.notes import NoteKey

LIVE = CardEntry(
    guid="Gq!7x/é",
    kind="basic",
    note_type=1607392319,
    deck="Ops 101::Radios ✓",
    fields=('What does "QRM" mean?', "Man-made <b>interference</b>\\n"),
    tags=("radio", "q-codes"),
    ordinals=(0,),
    hash="0123456789abcdef",
    mtime=1700000000,
)
RETIRED = LIVE._replace(
    kind="cloze", tags=("radio", "retired"), ordinals=(0, 2), mtime=1700000001, retired_in="1.2"
)


def test_a_live_line_is_its_head_and_its_time_and_reads_back_as_its_entry() -> None:
    head = entry_head("radio-qrm", LIVE)
    line = card_line(head, LIVE.mtime)

    assert line == entry_line("radio-qrm", LIVE)
    assert line_digest_and_time(line) == (head_digest(head), LIVE.mtime)
    assert parse_line(line) == LIVE
    assert parse_head(head) == LIVE._replace(mtime=0)


def test_a_retired_line_reads_back_but_is_never_taken_for_a_head_and_a_time() -> None:
    head = entry_head("radio-qrm", RETIRED)
    line = card_line(head, RETIRED.mtime, RETIRED.retired_in)

    assert line == entry_line("radio-qrm", RETIRED)
    assert line_digest_and_time(line) == (None, None)
    assert parse_line(line) == RETIRED
    assert parse_head(head) == RETIRED._replace(mtime=0, retired_in=None)


def test_the_sql_finishes_a_head_as_card_line_does() -> None:
    head = entry_head("radio-qrm", LIVE)
    with sqlite3.connect(":memory:") as connection:
        (line,) = connection.execute(f"SELECT {finished_line_sql('?', '?')}", (head, LIVE.mtime)).fetchone()
    assert line == card_line(head, LIVE.mtime)


@pytest.mark.parametrize("bad", ["", "}", '  "x": {"mtime": 01}', '  "x": {"mtime": 1', '  "x": {"mtime": ٣}'])
def test_what_is_not_a_live_line_has_no_digest_and_time(bad: str) -> None:
    assert line_digest_and_time(bad) == (None, None)


def _written(entries: dict[str, CardEntry]) -> str:
    changes = Changes(added=tuple(entries), changed={"b": (FieldChange("Answer", "old", "new"),)})
    ledger = Ledger(
        deck_id="ops-101",
        title="Ops 101",
        version="1.3",
        note_types=note_type_entries(Ledger(), 1700000000),
        releases=(Release("1.3", "2023-11-14", changes),),
    )
    stream = io.StringIO()
    write_ledger(stream, ledger, [entry_line(card_id, entry) for card_id, entry in sorted(entries.items())])
    return stream.getvalue()


ENTRIES = {"radio-qrm": LIVE, "radio-qsl": RETIRED, "écho-ü": LIVE._replace(guid="other")}


def test_write_ledger_lays_out_every_line_where_the_reader_finds_it() -> None:
    text = _written(ENTRIES)

    span = card_lines_span(text, CARDS_START, CARDS_END)
    assert span is not None
    assert card_lines_span(text.encode(), CARDS_START.encode(), CARDS_END.encode()) == (
        len(text[: span[0]].encode()),
        len(text[: span[1]].encode()),
    )
    assert card_lines(text[span[0] : span[1]]) == [
        (card_id, entry_line(card_id, entry)) for card_id, entry in sorted(ENTRIES.items())
    ]


def test_write_ledger_then_read_ledger_gives_every_card_back(tmp_path: Path) -> None:
    (tmp_path / "ledger.json").write_text(_written(ENTRIES), encoding="utf-8")

    ledger = read_ledger(tmp_path)

    assert isinstance(ledger.cards, LedgerCards)
    assert dict(ledger.cards) == ENTRIES
    assert ledger.releases[0].changes.changed == {"b": (FieldChange("Answer", "old", "new"),)}
    keys = [
        NoteKey(card_id, entry.deck, entry_head(card_id, entry), (0, 0, 0, 0))
        for card_id, entry in ENTRIES.items()
    ]
    # an unchanged live note keeps its time from its line, found by its head alone; a retired one is compared
    assert ledger.cards.unchanged_times(keys) == [LIVE.mtime, None, LIVE.mtime]


def test_an_empty_ledger_round_trips(tmp_path: Path) -> None:
    (tmp_path / "ledger.json").write_text(_written({}), encoding="utf-8")

    assert dict(read_ledger(tmp_path).cards) == {}


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(), min_size=5, max_size=5),
    fields=st.lists(st.text(), max_size=4),
    tags=st.lists(st.text(), max_size=3),
    renamed=st.none() | st.text(),
    ordinals=st.lists(st.integers(0, 499), max_size=3),
)
def test_a_head_is_its_entry_as_json_whatever_the_text(
    texts: list[str], fields: list[str], tags: list[str], renamed: str | None, ordinals: list[int]
) -> None:
    card_id, guid, kind, deck, digest = texts
    head = card_line_head(
        card_id, guid, kind, 7, deck, tuple(fields), tuple(tags), tuple(ordinals), digest, renamed
    )
    entry = {} if renamed is None else {"renamed_from": renamed}
    entry |= {"guid": guid, "kind": kind, "note_type": 7, "deck": deck, "fields": fields, "tags": tags}
    entry |= {"ordinals": ordinals, "hash": digest, "mtime": 0}
    assert head + "0}" == f"  {json.dumps(card_id, ensure_ascii=False)}: {json.dumps(entry, ensure_ascii=False)}"


@settings(max_examples=200, deadline=None)
@given(
    note_type=st.integers(0, 2**63 - 1),
    deck=st.text(),
    fields=st.lists(st.text(), max_size=4),
    tags=st.lists(st.text(), max_size=3),
)
def test_a_note_hash_is_the_digest_of_its_content_as_json(
    note_type: int, deck: str, fields: list[str], tags: list[str]
) -> None:
    content = json.dumps([note_type, deck, fields, tags], ensure_ascii=False)
    expected = hashlib.sha256(content.encode()).hexdigest()[:16]
    assert entry_hash(note_type, deck, tuple(fields), tuple(tags)) == expected
