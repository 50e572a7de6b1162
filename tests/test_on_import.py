"""What learners must do on import is decided once from a release's facts, and the changelog says it."""

from __future__ import annotations

import io

import pytest

from exporter.kinds import NOTE_TYPES
from exporter.release.ledger import Changes, FieldChange, Ledger, Release
from exporter.release.on_import import first_import_steps, plain_text, retired_search, update_steps
from exporter.writers.changelog import card_answer, texts_of, write_changelog

TITLE = "Ops 101"
LOOK = "Peacekeeping Question: templates or styling changed"
SCHEMA = "Peacekeeping Question: field 'Hint' added"
NEW_TYPE = "Peacekeeping Picture: new note type"
NOTHING = "Nothing to do but import the file; progress is kept."

STEPS = [
    pytest.param(Changes(), [NOTHING], id="nothing-changed"),
    pytest.param(
        Changes(added=("a",), changed={"b": (FieldChange("Answer", "x", "y"),)}), [NOTHING], id="cards-only"
    ),
    pytest.param(Changes(note_types=(NEW_TYPE,)), [NOTHING], id="a-new-note-type"),
    pytest.param(
        Changes(note_types=(LOOK,)),
        [
            "Nothing to do but import the file: the cards' look (templates or styling) changed, and arrives with "
            "the import; progress is kept."
        ],
        id="templates-or-styling-alone",
    ),
    pytest.param(
        Changes(note_types=(LOOK, SCHEMA)),
        [
            "Tick Merge note types and set Update notes to Always: the note types changed, and without it Anki "
            "keeps the old cards and skips the updates."
        ],
        id="schema-changed",
    ),
    pytest.param(
        Changes(retired=("a", "b")),
        [
            'Suspend the 2 retired cards: after the import, in Browse search "deck:Ops 101" tag:retired, select '
            "them all, then Suspend."
        ],
        id="retired",
    ),
    pytest.param(
        Changes(renamed_decks=(("Ops 101::Old", "Ops 101::New"),), retired=("a",), note_types=(SCHEMA,)),
        [
            "Before importing, rename the deck Ops 101::Old to Ops 101::New in Anki, so the cards you have stay "
            "together.",
            "Tick Merge note types and set Update notes to Always: the note types changed, and without it Anki "
            "keeps the old cards and skips the updates.",
            'Suspend the 1 retired card: after the import, in Browse search "deck:Ops 101" tag:retired, select '
            "it, then Suspend.",
        ],
        id="renamed-schema-and-retired-in-order",
    ),
    pytest.param(
        Changes(options_changed=True, retired=("a",)),
        [
            "Tick Import any deck presets to take the deck's new daily limits and steps; without it you keep your "
            "own.",
            'Suspend the 1 retired card: after the import, in Browse search "deck:Ops 101" tag:retired, select '
            "it, then Suspend.",
        ],
        id="new-deck-options",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), STEPS)
def test_update_steps_follow_from_the_release(changes: Changes, expected: list[str]) -> None:
    assert [plain_text(step) for step in update_steps(changes, TITLE)] == expected


def test_the_retired_search_escapes_what_anki_search_reads_as_wildcards() -> None:
    assert (
        retired_search('Unit_4 "Protection" *draft*') == '"deck:Unit\\_4 \\"Protection\\" \\*draft\\*" tag:retired'
    )


def test_deck_presets_are_asked_for_only_when_the_deck_has_options() -> None:
    assert [plain_text(step) for step in first_import_steps(True)] == [
        "Tick Import any deck presets: it sets the daily limits of new cards and reviews your trainer chose."
    ]
    assert [plain_text(step) for step in first_import_steps(False)] == [
        "Nothing to choose: keep the import window's settings."
    ]


def _type_id(name: str) -> int:
    return next(note_type.id for note_type in NOTE_TYPES.values() if note_type.name == name)


def test_the_changelog_says_what_to_do_and_shows_added_answers_escaped() -> None:
    ledger = Ledger(
        title=TITLE,
        releases=(
            Release("1.0.0", "2026-11-01", Changes(added=("tags",))),
            Release("1.1.0", "2026-12-01", Changes(added=("br", "gaps"), retired=("tags",))),
        ),
    )
    answers = {
        "br": card_answer(
            _type_id("Peacekeeping Question"), ("Which tag breaks a line?", "&lt;br&gt; <b>bold</b>")
        ),
        "gaps": card_answer(
            _type_id("Peacekeeping Cloze"), ("{{c1::Neutrality::principle}} and {{c2::impartiality}}", "")
        ),
    }
    stream = io.StringIO()
    write_changelog(stream, ledger, texts_of({"br": "`br` (Tags)", "gaps": "`gaps` (Principles)"}, answers))
    text = stream.getvalue()

    assert (
        "## 1.1.0 (2026-12-01)\n\n2 added, 1 retired.\n\n"
        "**On import:** Suspend the 1 retired card: after the import, in *Browse* search "
        '`"deck:Ops 101" tag:retired`, select it, then *Suspend*.\n\n'
        "### Added\n\n"
        "- `br` (Tags)\n  - Answer: “&lt;br&gt; bold”\n"
        "- `gaps` (Principles)\n  - Deletions: c1: “Neutrality”; c2: “impartiality”\n"
    ) in text
    assert f"## 1.0.0 (2026-11-01)\n\n1 added.\n\n**On import:** {NOTHING}\n" in text
