"""Approvals are tied to the text: a card approved and then changed needs re-review everywhere, and
`--approved-only` leaves it out; a change to its source line alone keeps the approval."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporter.model import content_fingerprint
from exporter.pipeline.checked_stream import check
from exporter.review_states import NEEDS_RE_REVIEW
from tests.support import GOOD_CARD, GOOD_CARD_PRINT, card_set, edit, run, topic

CARD = GOOD_CARD + "    tags: [un-system]\n"
SUBDECK = "Acronyms"
APPROVED_PRINT = GOOD_CARD_PRINT


def _approved(fingerprint: str = APPROVED_PRINT) -> str:
    return (
        CARD + "    status: approved\n    reviewed_by: J. Doe\n    reviewed_on: 2026-11-20\n"
        f'    approved_fingerprint: "{fingerprint}"\n'
    )


def test_the_fingerprint_is_of_what_learners_read() -> None:
    fields = {"term": "UNCT", "expansion": "United Nations Country Team"}
    assert content_fingerprint("acronym", SUBDECK, dict(reversed(fields.items()))) == APPROVED_PRINT
    # card files keep it as written and compare it as text, so its form is fixed: 12 lowercase hex digits
    assert re.fullmatch(r"[0-9a-f]{12}", APPROVED_PRINT), APPROVED_PRINT
    others = {
        content_fingerprint("acronym", SUBDECK, {**fields, "expansion": "UN Country Team"}),
        content_fingerprint("acronym", SUBDECK, {**fields, "explanation": "All UN agencies."}),
        content_fingerprint("acronym", "Other", fields),
        content_fingerprint("basic", SUBDECK, fields),
    }
    assert APPROVED_PRINT not in others and len(others) == 4


# (id, what the card file says, the edit made afterwards (old, new) or None, the state it is then in)
STATES = [
    ("draft-by-default", CARD, None, "draft"),
    ("approved", _approved(), None, "approved"),
    ("answer-changed-after-approval", _approved(), ("Nations Country", "Nations country"), NEEDS_RE_REVIEW),
    (
        "explanation-added",
        _approved(),
        ("    source:", "    explanation: All UN agencies.\n    source:"),
        NEEDS_RE_REVIEW,
    ),
    ("subdeck-changed", _approved(), ("subdeck: Acronyms", "subdeck: Terms"), NEEDS_RE_REVIEW),
    ("source-line-changed", _approved(), ("{slide: 6}", "{slide: 7, section: UNCT}"), "approved"),
    ("tags-changed", _approved(), ("[un-system]", "[un-system, core]"), "approved"),
    ("outcomes-changed", _approved(), ("    outcomes: [LO1]\n", ""), "approved"),
    ("approved-without-fingerprint", _approved().split("    approved_fingerprint")[0], None, NEEDS_RE_REVIEW),
    ("approved-other-text", _approved("0123456789ab"), None, NEEDS_RE_REVIEW),
    ("needs-change", CARD + "    status: needs-change\n    review_note: Spell it out.\n", None, "needs-change"),
]


@pytest.mark.parametrize(
    ("card", "change", "state"), [case[1:] for case in STATES], ids=[case[0] for case in STATES]
)
def test_review_state(tmp_path: Path, card: str, change: tuple[str, str] | None, state: str) -> None:
    cards = card_set(tmp_path, {"a.yaml": topic(card)})
    if change:
        edit(cards / "a.yaml", *change)

    checked = check(cards)

    assert checked.errors == [] and checked.deck is not None
    assert [card.review_state for card in checked.deck.cards] == [state]


def test_a_changed_approval_is_shown_everywhere_and_not_shipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = (
        CARD.replace("id: unct", "id: ocha")
        .replace("UNCT", "OCHA")
        .replace("United Nations Country Team", "Office for the Coordination of Humanitarian Affairs")
    )
    second_print = content_fingerprint(
        "acronym", SUBDECK, {"term": "OCHA", "expansion": "Office for the Coordination of Humanitarian Affairs"}
    )
    second_approved = second + (
        "    status: approved\n    reviewed_by: J. Doe\n    reviewed_on: 2026-11-20\n"
        f'    approved_fingerprint: "{second_print}"\n'
    )
    cards = card_set(tmp_path, {"a.yaml": topic(_approved() + second_approved)})
    monkeypatch.chdir(tmp_path)
    edit(cards / "a.yaml", "expansion: United Nations Country Team", "expansion: United Nations Crisis Team")

    code, out, err = run("build", "cards", "-o", "dist", "--approved-only")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "built Test Deck 1.0.0: 1 note, 2 cards (approved cards only)"
    spreadsheet = (tmp_path / "dist" / "test-deck.spreadsheet.csv").read_text(encoding="utf-8-sig")
    assert [line.split(",")[0] for line in spreadsheet.splitlines()[1:]] == ["ocha"]

    code, out, err = run("stats", "cards")
    assert "  needs re-review                                     1\n" in out
    code, out, err = run("diff", "cards", "-o", "dist")
    assert out.endswith(
        "### Needs re-review\n\n"
        "Approved cards whose text has changed since; `--approved-only` leaves them out until approved again. "
        "~~Struck~~ words were removed, **bold** ones added since the approval.\n\n"
        "- `unct` (Acronyms): “UNCT”\n"
        "  - approved by J. Doe on 2026-11-20\n"
        "  - the approved text was not kept (approved before `approved-texts.jsonl` was written, or by hand in the "
        "card file): compare with the card files' history in git\n"
    )
    code, out, err = run("build", "cards", "-o", "all")
    spreadsheet = (tmp_path / "all" / "test-deck.spreadsheet.csv").read_text(encoding="utf-8-sig")
    assert [line.split(",")[10] for line in spreadsheet.splitlines()[1:]] == [NEEDS_RE_REVIEW, "approved"]
    code, out, err = run("review", "cards", "-o", "page/review.html", "--status", "needs-re-review")
    page = (tmp_path / "page" / "review.html").read_text(encoding="utf-8")
    assert "needs re-review: changed since approved by J. Doe on 2026-11-20" in page
    assert '<b>1</b> need re-review (changed since approved) (<a href="#card-unct">unct</a>)' in page
    assert '<article class="rv-card rv-changed" id="card-unct"' in page
    assert out.startswith("wrote page/review.html: 1 card definition ")
    # to-review stands for every state but approved: the count says what the page shows
    code, out, err = run("review", "cards", "-o", "page/review.html", "--status", "to-review")
    assert out.startswith("wrote page/review.html: 1 card definition ")
