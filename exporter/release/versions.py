"""Release versions in order: each release's version is higher than the last one's, in semantic-version order
(1.10.0 after 1.9.0), so learners and trainers can tell the releases apart and the changelog reads forwards."""

from __future__ import annotations

import dataclasses

from exporter.errors import Problem
from exporter.model import Deck
from exporter.release.ledger import Changes


def version_key(version: str) -> tuple[int, ...] | None:
    """A version as numbers to compare (missing parts are 0: 1.2 is 1.2.0); None if it is not numbers and dots."""
    parts = version.split(".")
    if not all(part.isascii() and part.isdigit() for part in parts):
        return None
    numbers = tuple(int(part) for part in parts)
    return numbers + (0,) * (3 - len(numbers))


def version_refusal(deck: Deck, previous_version: str, changes: Changes, summary: str) -> Problem | None:
    """Why this build's version cannot follow the last release's, or None if it can: a lower version never can,
    the same one only when nothing changed for learners (their cards, or the deck's options)."""
    new, old = version_key(deck.version), version_key(previous_version)
    where = deck.key_locations.get("version", deck.location)
    if new is not None and old is not None and new < old:
        return Problem(
            where,
            f"'version' {deck.version} is lower than {previous_version}, the last release in the output folder's "
            f"ledger; versions must go up in order (1.9.0, 1.10.0, 2.0.0): use {next_version(previous_version)} "
            "or higher",
        )
    if not changes or (new != old if new is not None and old is not None else deck.version != previous_version):
        return None
    what = (
        f"the cards changed since release {previous_version} ({summary})"
        if dataclasses.replace(changes, options_changed=False)
        else f"the deck options changed since release {previous_version}"
    )
    return Problem(
        where,
        f"{what} but 'version' is still {deck.version}; "
        f"raise it (for example to {next_version(previous_version)}) so learners and trainers can tell the "
        "releases apart",
    )


def next_version(version: str) -> str:
    """The version after this one, raising its last number."""
    parts = version.split(".")
    if parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return version + ".1"
