"""Writing a review into a card file changes only its review lines: comments, blank lines, key order, quoting,
the schema line, line endings and a byte-order mark stay as they were."""

from __future__ import annotations

import pytest

from exporter.errors import ExporterError
from exporter.model import Card
from exporter.reading.loading import read_topic_file
from exporter.writers.review_lines import with_reviews, yaml_text

HEAD = "# yaml-language-server: $schema=.schema/topic.schema.json\nsubdeck: A   # the first subdeck\ncards:\n"
CARD = """\
  # the team, spelt out
  - id: unct
    kind: acronym
    term: 'UNCT'
    expansion: "United Nations Country Team"   # as on slide 6
    source: {slide: 6}

"""
NEXT = "  - id: ocha\n    kind: acronym\n    term: OCHA\n    expansion: Office\n    source: {slide: 7}\n"
APPROVE = {
    "status": "approved",
    "reviewed_by": "Ana O'Neil",
    "reviewed_on": "2026-12-02",
    "review_note": None,
    "approved_fingerprint": "0123456789ab",
}
CHANGE = {
    "status": "needs-change",
    "reviewed_by": "Bo",
    "reviewed_on": "2026-12-03",
    "review_note": "yes: spell it: #1",
    "approved_fingerprint": None,
}
APPROVED_LINES = (
    "    status: approved\n"
    "    reviewed_by: Ana O'Neil\n"
    '    reviewed_on: "2026-12-02"\n'
    '    approved_fingerprint: "0123456789ab"\n'
)

# (id, file text, the review written into the card unct, the text expected)
CASES = [
    (
        "added-after-the-last-key",
        HEAD + CARD + NEXT,
        APPROVE,
        HEAD + CARD.replace("\n\n", "\n" + APPROVED_LINES + "\n") + NEXT,
    ),
    (
        "replaced-in-place-keeping-a-comment",
        HEAD + CARD.replace("    source:", "    status: draft  # not yet\n    source:") + NEXT,
        APPROVE,
        HEAD
        + CARD.replace(
            "    source:",
            '    status: approved  # not yet\n    reviewed_by: Ana O\'Neil\n    reviewed_on: "2026-12-02"\n'
            '    approved_fingerprint: "0123456789ab"\n    source:',
        )
        + NEXT,
    ),
    (
        "approval-turned-into-a-change",
        HEAD + CARD.replace("\n\n", "\n" + APPROVED_LINES + "\n") + NEXT,
        CHANGE,
        HEAD
        + CARD.replace(
            "\n\n",
            '\n    status: needs-change\n    reviewed_by: Bo\n    reviewed_on: "2026-12-03"\n'
            '    review_note: "yes: spell it: #1"\n\n',
        )
        + NEXT,
    ),
    (
        "multi-line-note-replaced",
        HEAD
        + CARD.replace("\n\n", "\n    status: needs-change\n    review_note: |\n      Two\n\n      lines\n\n")
        + NEXT,
        APPROVE,
        HEAD + CARD.replace("\n\n", "\n    status: approved\n" + APPROVED_LINES.split("\n", 1)[1] + "\n") + NEXT,
    ),
    (
        "windows-line-endings",
        (HEAD + CARD + NEXT).replace("\n", "\r\n"),
        APPROVE,
        (HEAD + CARD.replace("\n\n", "\n" + APPROVED_LINES + "\n") + NEXT).replace("\n", "\r\n"),
    ),
    (
        "last-card-without-a-final-line-ending",
        HEAD + NEXT + CARD.rstrip("\n"),
        APPROVE,
        HEAD + NEXT + CARD.rstrip("\n") + "\n" + APPROVED_LINES.rstrip("\n"),
    ),
]


def _card(text: str) -> Card:
    topic, problems = read_topic_file(text.encode("utf-8"), "cards/a.yaml")
    assert topic is not None and not problems, problems
    (card,) = [card for card in topic.cards if card.id == "unct"]
    return card


@pytest.mark.parametrize(
    ("text", "review", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_only_review_lines_change(text: str, review: dict[str, str | None], expected: str) -> None:
    written = with_reviews(text, [(_card(text), review)])

    assert written == expected
    again = _card(written)
    assert (
        again.review.status,
        again.review.by,
        again.review.on,
        again.review.note,
        again.review.fingerprint,
    ) == tuple(review.values())


def test_a_card_written_on_one_line_is_refused() -> None:
    text = HEAD + "  - {id: unct, kind: acronym, term: UNCT, expansion: Team, source: {slide: 6}}\n"

    with pytest.raises(ExporterError) as raised:
        with_reviews(text, [(_card(text), APPROVE)])

    assert str(raised.value) == (
        "cards/a.yaml:4:5: the card 'unct' is not written as one 'key: value' line per key, so its review cannot "
        "be recorded; write it that way (as the other cards are) and apply the sheet again"
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Ana O'Neil", "Ana O'Neil"),
        ("J. Doe", "J. Doe"),
        ("no", '"no"'),
        ("2026-12-02", '"2026-12-02"'),
        ("a: b", '"a: b"'),
        ("#1", '"#1"'),
        ("Zoë", '"Zoë"'),
        ('say "x"\nthen y', '"say \\"x\\"\\nthen y"'),
    ],
)
def test_values_read_back_as_written(value: str, written: str) -> None:
    assert yaml_text(value) == written
