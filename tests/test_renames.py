"""Renamed cards at the comparison, on notes and a ledger made by hand: a declared rename keeps the old card's
notes (not added, not retired), a rename nobody declared is found, and every misuse of renamed_from is refused."""

from __future__ import annotations

import pytest

from exporter.kinds import NOTE_TYPES
from exporter.release.comparison import Comparison
from exporter.release.ledger import CardEntry, Ledger, note_type_entries
from exporter.release.ledger_index import unchanged_times
from exporter.release.notes import ComparedNote
from tests.support import DECK_RECORD

THEN = 1_764_000_000
NOW = THEN + 86_400
DECK_NAME = "Test Deck::Acronyms"
DECK = DECK_RECORD


def entry(term: str, *, renamed_from: str | None = None, retired_in: str | None = None) -> CardEntry:
    return CardEntry(
        guid=f"guid-{renamed_from or term}",
        kind="acronym",
        note_type=NOTE_TYPES["acronym"].id,
        deck=DECK_NAME,
        fields=(term, f"{term} expanded", "", "Slide 6"),
        tags=("acronym",),
        ordinals=(0, 1),
        hash=f"hash-{term}",
        mtime=THEN,
        retired_in=retired_in,
        renamed_from=renamed_from,
    )


def note(card_id: str, term: str, *, renamed_from: str | None = None, line: int = 3) -> ComparedNote:
    return ComparedNote(
        card_id=card_id,
        kind="acronym",
        deck_name=DECK_NAME,
        fields=(term, f"{term} expanded", "", "Slide 6"),
        tags=("acronym",),
        hash=f"hash-{term}",
        ledger_head="",
        path="cards/t.yaml",
        places=(line, 5, line + 1, 11),
        renamed_from=renamed_from,
    )


def ledger(**cards: CardEntry) -> Ledger:
    return Ledger("test-deck", "Test Deck", "1.0.0", note_type_entries(Ledger(), THEN), cards)


OCHA_ONLY = ledger(ocha=entry("OCHA"), unct=entry("UNCT"))
# ocha was renamed to un-ocha in an earlier release: un-ocha keeps ocha's notes
RENAMED_BEFORE = ledger(**{"un-ocha": entry("OCHA", renamed_from="ocha"), "unct": entry("UNCT")})
UNCT = note("unct", "UNCT", line=20)

# (id, last release, notes, expected renamed, added, retired, exact problems)
CASES = [
    (
        "declared",
        OCHA_ONLY,
        [note("un-ocha", "OCHA", renamed_from="ocha"), UNCT],
        (("ocha", "un-ocha"),),
        (),
        (),
        [],
    ),
    (
        "undeclared",
        OCHA_ONLY,
        [note("un-ocha", "OCHA"), UNCT],
        (),
        ("un-ocha",),
        ("ocha",),
        [
            "cards/t.yaml:3:5: card 'un-ocha' is new, but its term is that of card 'ocha', which this build retires. "
            "On learners' phones 'ocha' would stay (tagged retired, still due) and 'un-ocha' would arrive as a new "
            "card with no review history. If it is the same card, keep its id 'ocha', or declare the rename on the "
            "card (renamed_from: ocha) so learners keep their history"
        ],
    ),
    ("new-card-and-a-retired-one", OCHA_ONLY, [note("ohchr", "OHCHR"), UNCT], (), ("ohchr",), ("ocha",), []),
    (
        "same-term-as-a-card-retired-before",
        ledger(ocha=entry("OCHA", retired_in="1.0.0"), unct=entry("UNCT")),
        [note("un-ocha", "OCHA"), UNCT],
        (),
        ("un-ocha",),
        (),
        [],
    ),
    (
        "unknown-old-id",
        OCHA_ONLY,
        [note("un-ocha", "OCHA", renamed_from="ohca"), note("ocha", "OCHA", line=9), UNCT],
        (),
        ("un-ocha",),
        (),
        [
            "cards/t.yaml:3:5: card 'un-ocha' says renamed_from: ohca, but release 1.0.0 has no card 'ohca'. Write "
            "the id the card had in the last release (the cards are listed in the ledger), or remove renamed_from "
            "if it is a new card"
        ],
    ),
    (
        "old-id-still-live",
        OCHA_ONLY,
        [note("un-ocha", "OCHA", renamed_from="ocha"), note("ocha", "OCHA", line=9), UNCT],
        (("ocha", "un-ocha"),),
        (),
        (),
        [
            "cards/t.yaml:3:5: card 'un-ocha' says renamed_from: ocha, but card 'ocha' is still in the card set. "
            "Remove card 'ocha' if 'un-ocha' replaces it, or remove renamed_from if 'un-ocha' is another card"
        ],
    ),
    (
        "claimed-twice",
        OCHA_ONLY,
        [
            note("un-ocha", "OCHA", renamed_from="ocha"),
            note("ocha-office", "OCHA", renamed_from="ocha", line=9),
            UNCT,
        ],
        (("ocha", "un-ocha"),),
        ("ocha-office",),
        (),
        [
            "cards/t.yaml:9:5: cards 'un-ocha' and 'ocha-office' both say renamed_from: ocha; only one card can keep "
            "its notes: remove renamed_from from the other (it is then a new card)"
        ],
    ),
    (
        "chain",
        RENAMED_BEFORE,
        [note("ocha-2", "OCHA", renamed_from="un-ocha"), UNCT],
        (),
        ("ocha-2",),
        ("un-ocha",),
        [
            "cards/t.yaml:3:5: card 'ocha-2' says renamed_from: un-ocha, but 'un-ocha' was itself renamed from "
            "'ocha' and keeps its notes: write renamed_from: ocha"
        ],
    ),
    (
        "renamed-again-from-the-first-id",
        RENAMED_BEFORE,
        [note("ocha-2", "OCHA", renamed_from="ocha"), UNCT],
        (("un-ocha", "ocha-2"),),
        (),
        (),
        [],
    ),
    ("kept-renamed", RENAMED_BEFORE, [note("un-ocha", "OCHA", renamed_from="ocha"), UNCT], (), (), (), []),
    (
        "renamed-from-removed",
        RENAMED_BEFORE,
        [note("un-ocha", "OCHA"), UNCT],
        (),
        (),
        (),
        [
            "cards/t.yaml:3:5: card 'un-ocha' keeps the notes of 'ocha' on learners' phones; with renamed_from: "
            "(none) it would arrive as another card, without its review history: keep renamed_from: ocha on it for "
            "as long as it lives"
        ],
    ),
    (
        "old-id-given-to-a-new-card",
        RENAMED_BEFORE,
        [note("un-ocha", "OCHA", renamed_from="ocha"), note("ocha", "OHCHR", line=9), UNCT],
        (),
        ("ocha",),
        (),
        [
            "cards/t.yaml:9:5: card id 'ocha' was renamed to 'un-ocha', which keeps its notes on learners' phones; "
            "give this card another id"
        ],
    ),
    (
        "first-release",
        Ledger(),
        [note("un-ocha", "OCHA", renamed_from="ocha"), UNCT],
        (),
        ("un-ocha", "unct"),
        (),
        [
            "cards/t.yaml:3:5: card 'un-ocha' says renamed_from: ocha, but the output folder has no card 'ocha'. "
            "Write the id the card had in the last release (the cards are listed in the ledger), or remove "
            "renamed_from if it is a new card"
        ],
    ),
]


@pytest.mark.parametrize(
    ("previous", "notes", "renamed", "added", "retired", "problems"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_renames_at_the_comparison(
    previous: Ledger,
    notes: list[ComparedNote],
    renamed: tuple[tuple[str, str], ...],
    added: tuple[str, ...],
    retired: tuple[str, ...],
    problems: list[str],
) -> None:
    comparison = Comparison(previous, NOW)
    comparison.compare(notes, unchanged_times(previous, notes), notes.__getitem__)
    changes = comparison.changes()
    assert (changes.renamed, changes.added, changes.retired) == (renamed, added, retired)
    assert [str(problem) for problem in comparison.refusals(DECK, changes, {})] == problems


def test_a_declared_rename_keeps_the_old_notes_time_and_is_not_retired() -> None:
    notes = [note("un-ocha", "OCHA", renamed_from="ocha"), UNCT]
    comparison = Comparison(OCHA_ONLY, NOW)
    assert comparison.compare(notes, [None, None], notes.__getitem__) == [THEN, THEN]
    assert "ocha" in comparison.carried_ids()
    assert dict(comparison.changes().changed) == {}
