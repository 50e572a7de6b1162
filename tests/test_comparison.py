"""The comparison with the last release, on notes and a ledger made by hand: what is added, changed, kept,
retired and restored, the time each note gets, and what needs the trainer's consent."""

from __future__ import annotations

from exporter.kinds import NOTE_TYPES
from exporter.model import Deck
from exporter.release.comparison import Comparison, Consent
from exporter.release.ledger import CardEntry, FieldChange, Ledger, note_type_entries
from exporter.release.ledger_index import unchanged_times
from exporter.release.notes import ComparedNote
from tests.support import DECK_RECORD

THEN = 1_764_000_000
NOW = THEN + 86_400
DECK_NAME = "Test Deck::Acronyms"


def entry(
    term: str, expansion: str, *, digest: str, mtime: int = THEN, retired_in: str | None = None
) -> CardEntry:
    tags = ("acronym", "retired") if retired_in else ("acronym",)
    return CardEntry(
        guid=f"guid-{term}",
        kind="acronym",
        note_type=NOTE_TYPES["acronym"].id,
        deck=DECK_NAME,
        fields=(term, expansion, "", "Slide 6"),
        tags=tags,
        ordinals=(0, 1),
        hash=digest,
        mtime=mtime,
        retired_in=retired_in,
    )


def note(card_id: str, term: str, expansion: str, *, digest: str, line: int = 3) -> ComparedNote:
    return ComparedNote(
        card_id=card_id,
        kind="acronym",
        deck_name=DECK_NAME,
        fields=(term, expansion, "", "Slide 6"),
        tags=("acronym",),
        hash=digest,
        ledger_head="",
        path="cards/t.yaml",
        places=(line, 5, line + 1, 11),
    )


PREVIOUS = Ledger(
    deck_id="test-deck",
    title="Test Deck",
    version="1.0.0",
    note_types=note_type_entries(Ledger(), THEN),
    cards={
        "edited": entry("UNCT", "UN Country Team", digest="edited-old"),
        "kept": entry("OCHA", "Office for the Coordination of Humanitarian Affairs", digest="kept"),
        "gone": entry("QIP", "Quick Impact Project", digest="gone"),
        "back": entry(
            "DPO", "Department of Peace Operations", digest="back-old", mtime=THEN - 5, retired_in="1.0.0"
        ),
        "reused": entry("SRSG", "Special Representative of the Secretary-General", digest="reused-old"),
    },
)

NOTES = [
    note("added", "CIMIC", "Civil-Military Coordination", digest="added", line=3),
    note("edited", "UNCT", "United Nations Country Team", digest="edited-new", line=9),
    note("kept", "OCHA", "Office for the Coordination of Humanitarian Affairs", digest="kept", line=15),
    note("back", "DPO", "Department of Peace Operations", digest="back-new", line=21),
    note("reused", "DSRSG", "Deputy Special Representative", digest="reused-new", line=27),
]

DECK = DECK_RECORD

REUSED = (
    "cards/t.yaml:27:5: card id 'reused' now holds different content (its term changed). On learners' phones it "
    "would replace the old card and inherit its review history. If it is a new card, give it a new id (the old one "
    "is retired); if it is a correction, build with --allow-reuse reused"
)


def _compare(comparison: Comparison, notes: list[ComparedNote]) -> list[int]:
    """Compare notes in memory, as diff and review do: the ledger keeps their times, or they are compared whole."""
    return comparison.compare(notes, unchanged_times(comparison.previous, notes), notes.__getitem__)


def _compared(consent: Consent = Consent()) -> tuple[Comparison, list[int]]:
    comparison = Comparison(PREVIOUS, NOW, consent)
    return comparison, _compare(comparison, NOTES)


def test_what_changes_for_learners() -> None:
    comparison, _ = _compared()
    changes = comparison.changes()
    assert changes.added == ("added",)
    assert dict(changes.changed) == {
        "edited": (FieldChange("Expansion", "UN Country Team", "United Nations Country Team"),),
        "reused": (
            FieldChange("Term", "SRSG", "DSRSG"),
            FieldChange(
                "Expansion", "Special Representative of the Secretary-General", "Deputy Special Representative"
            ),
        ),
    }
    assert changes.retired == ("gone",), "a card not shipped is retired; one retired before is not again"
    assert changes.restored == ("back",)
    assert (changes.renamed_decks, changes.note_types) == ((), ())
    assert comparison.shipped == {"added", "edited", "kept", "back", "reused"}


def test_the_time_each_note_gets() -> None:
    _, times = _compared()
    assert times == [
        NOW,  # added: now
        NOW,  # changed: newer than the last release's time and now
        THEN,  # unchanged: keeps its time, so the learner's own edits survive
        NOW,  # restored, with content changed
        NOW,
    ]


def test_a_changed_note_is_newer_than_its_remembered_time_even_from_the_future() -> None:
    future = Ledger(cards={"edited": entry("UNCT", "UN Country Team", digest="edited-old", mtime=NOW + 100)})
    assert _compare(Comparison(future, NOW), [NOTES[1]]) == [NOW + 101]


def test_an_id_given_to_other_content_needs_consent() -> None:
    comparison, _ = _compared()
    assert [str(problem) for problem in comparison.refusals(DECK, comparison.changes(), {})] == [REUSED]
    consented, _ = _compared(Consent(reused_ids=frozenset({"reused"})))
    assert consented.refusals(DECK, consented.changes(), {}) == []
    other, _ = _compared(Consent(reused_ids=frozenset({"edited"})))
    assert [str(problem) for problem in other.refusals(DECK, other.changes(), {})] == [REUSED]


def test_a_correction_of_one_field_needs_no_consent() -> None:
    comparison = Comparison(PREVIOUS, NOW)
    _compare(comparison, [NOTES[1]])
    assert comparison.refusals(DECK, comparison.changes(), {}) == []


def test_an_unraised_version_is_refused_once_anything_changed() -> None:
    comparison, _ = _compared(Consent(reused_ids=frozenset({"reused"})))
    same_version = Deck(**{**{f: getattr(DECK, f) for f in DECK.__dataclass_fields__}, "version": "1.0.0"})
    assert [str(problem) for problem in comparison.refusals(same_version, comparison.changes(), {})] == [
        "cards/deck.yaml:1:1: the cards changed since release 1.0.0 (1 added, 2 changed, 1 retired, 1 restored) "
        "but 'version' is still 1.0.0; raise it (for example to 1.0.1) so learners and trainers can tell the "
        "releases apart"
    ]


def test_nothing_to_compare_with_before_the_first_release() -> None:
    comparison = Comparison(Ledger(), NOW)
    assert _compare(comparison, NOTES) == [NOW] * len(NOTES)
    changes = comparison.changes()
    assert changes.added == tuple(n.card_id for n in NOTES)
    assert (dict(changes.changed), changes.retired, changes.restored) == ({}, (), ())
    assert comparison.refusals(DECK, changes, {}) == []


def _cloze_comparison(old_text: str, new_text: str) -> list[str]:
    """The refusals for one cloze card whose text went from old_text to new_text."""
    note_type = NOTE_TYPES["cloze"]
    previous = Ledger(
        version="1.0.0",
        note_types=note_type_entries(Ledger(), THEN),
        cards={
            "cloze": CardEntry(
                guid="guid-cloze",
                kind="cloze",
                note_type=note_type.id,
                deck=DECK_NAME,
                fields=(old_text, "", "Slide 6"),
                tags=("cloze",),
                ordinals=(0, 1),
                hash="cloze-old",
                mtime=THEN,
            )
        },
    )
    changed = ComparedNote(
        card_id="cloze",
        kind="cloze",
        deck_name=DECK_NAME,
        fields=(new_text, "", "Slide 6"),
        tags=("cloze",),
        hash="cloze-new",
        ledger_head="",
        path="cards/t.yaml",
        places=(3, 5, 4, 11),
    )
    comparison = Comparison(previous, NOW)
    _compare(comparison, [changed])
    return [str(problem) for problem in comparison.refusals(DECK, comparison.changes(), {})]


def test_a_cloze_holds_other_content_only_when_every_deletion_changed() -> None:
    old = "{{c1::OCHA}} coordinates {{c2::humanitarian}} aid"
    assert _cloze_comparison(old, "{{c1::OCHA}} leads {{c2::emergency}} aid") == []
    assert _cloze_comparison(old, "{{c1::UNDP}} funds {{c2::development}} work") == [
        "cards/t.yaml:3:5: card id 'cloze' now holds different content (every deletion changed). On learners' "
        "phones it would replace the old card and inherit its review history. If it is a new card, give it a new "
        "id (the old one is retired); if it is a correction, build with --allow-reuse cloze"
    ]
