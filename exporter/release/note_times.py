"""Each note's time passed to SQLite in one parameter: the writers copy packed rows with it, in SQL."""

from __future__ import annotations

from collections.abc import Sequence


def note_time(table: str) -> str:
    """SQL for the time of the note of a row of a packed table, from the parameter :times (see times_text)."""
    return f"CAST(substr(:times, {table}.pos * 20 + 1, 20) AS INTEGER)"


def times_text(times: Sequence[int]) -> bytes:
    """Each note's time in 20 characters (SQLite's integers all fit), in the order of the notes: one parameter
    instead of a table of one row per note made one by one. Bytes, not text: SQLite finds a place in a blob at
    once, but in text by counting the characters before it."""
    return "".join([f"{time:020d}" for time in times]).encode("ascii")
