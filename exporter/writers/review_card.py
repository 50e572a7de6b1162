"""One card definition on the review page: its badges, its details, its passage of the training text and each
Anki card it makes, light and night, in a phone frame with the deck's own CSS."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape, unescape

from exporter.checking.approval_changes import ChangedSinceApproval
from exporter.checking.grounding import Grounding
from exporter.checking.passage import ELSEWHERE, NOT_IN_TEXT, CitedBlock
from exporter.errors import Problem, shorten
from exporter.kinds import KIND_BY_NAME
from exporter.model import Card
from exporter.release.ledger import FieldChange
from exporter.rendering.cloze_syntax import with_gaps
from exporter.rendering.notes import RenderedNote
from exporter.rendering.references import with_image_sources
from exporter.rendering.templating import CardSides
from exporter.review_states import NEEDS_RE_REVIEW
from exporter.writers.approval_diff import changed_since_approval_html
from exporter.writers.review_style import PHONE, REVIEW_STATES

_TAG = re.compile(r"<[^>]*>")
_EMPHASIS = re.compile(r"\*+")
#: Details left off the printout, for the card to fit on a page: the trainer's, not the reviewer's.
_SCREEN_ONLY = {name: ' class="rv-screen-only"' for name in ("Tags", "Defined in")}
#: How the answer's words the passage lacks are marked, and what the mark says.
_ANSWER_MARKS = {
    ELSEWHERE: ("rv-elsewhere", "in the training text, but not in this passage"),
    NOT_IN_TEXT: ("rv-not-in-text", "not in the training text word for word"),
}


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """One card definition as the page shows it."""

    note: RenderedNote
    sides: tuple[CardSides, ...]
    warnings: tuple[Problem, ...] = ()
    #: the whole block of the training text the card cites, its words marked
    block: CitedBlock | None = None
    #: "new", "changed" or "restored" since the release compared with; "" if the same
    change: str = ""
    #: what changed, field by field (tags and deck count as fields)
    changed_fields: tuple[FieldChange, ...] = ()
    #: whether the card's answer is in its slide's passage; None when not checked (no text, or no slide)
    grounding: Grounding | None = None
    #: for a card that needs re-review: its text as approved beside its text now, the changed words marked
    since_approval: ChangedSinceApproval | None = None

    @property
    def card(self) -> Card:
        return self.note.card


def state_label(state: str) -> str:
    return REVIEW_STATES[state][0] if state in REVIEW_STATES else state


def state_class(state: str) -> str:
    return "rv-state-" + "-".join(state.split()) if state in REVIEW_STATES else "rv-state-other"


def card_title(card: Card) -> str:
    """What the card asks, as a reviewer looks for it: the question, the acronym, or the cloze sentence with
    its gaps ("[…]", or the hint)."""
    kind = KIND_BY_NAME[card.kind]
    if kind.is_cloze:
        text = with_gaps(card.fields.get(kind.required[0], ""))
    else:
        text = card.fields.get(kind.required[0]) or card.id
    return " ".join(_EMPHASIS.sub("", _TAG.sub(" ", text)).split())


def card_html(
    item: ReviewCard, *, outcomes: Mapping[str, str], source_name: str, images: Mapping[str, str]
) -> str:
    """One card definition: its title and badges, what it says about itself, its passage, each Anki card it
    makes and a box for the reviewer's verdict."""
    card = item.card
    rows = "".join(
        f"<dt{_SCREEN_ONLY.get(name, '')}>{name}</dt><dd{_SCREEN_ONLY.get(name, '')}>{value}</dd>"
        for name, value in _meta(item, outcomes)
    )
    # a card changed since its approval is marked (and kept by "Show only new and changed cards") as one
    # changed since the release is
    changed = item.change or card.review_state == NEEDS_RE_REVIEW
    classes = "rv-card rv-changed" if changed else "rv-card"
    parts = [
        f'<article class="{classes}" id="card-{escape(card.id)}" data-card="{escape(card.id)}">\n'
        f'<div class="rv-card-head"><h3 class="rv-title">{escape(card_title(card))}</h3>'
        f'<span class="rv-id" title="the card reference">ref. {escape(card.id)}</span>{_badges(item)}</div>\n'
        f'<dl class="rv-meta">{rows}</dl>\n'
    ]
    if item.warnings:
        parts.append(warnings_html(item.warnings))
    if item.since_approval is not None:
        parts.append(f'<div class="rv-since-approval">{changed_since_approval_html(item.since_approval)}</div>\n')
    if item.block is not None:
        parts.append(_passage(item.block, source_name, item.grounding))
    parts.append('<div class="rv-ankis">\n')
    for sides in item.sides:
        parts.append(_anki_card(item, sides, images))
    parts.append("</div>\n")
    parts.append(_verdict(card))
    parts.append("</article>\n")
    return "".join(parts)


def _verdict(card: Card) -> str:
    """A box to write the verdict in by hand on the printout (printed only)."""
    return (
        f'<div class="rv-verdict"><p class="rv-verdict-head">Verdict on <b>{escape(card.id)}</b></p>'
        '<p class="rv-verdict-fields"><span class="rv-tick"></span><span>Approve</span>'
        '<span class="rv-tick"></span><span>Needs change</span>'
        '<span>Name</span><span class="rv-blank"></span><span>Date</span><span class="rv-blank"></span></p>'
        '<p>What to change:</p><div class="rv-blank-line"></div><div class="rv-blank-line"></div></div>\n'
    )


def _badges(item: ReviewCard) -> str:
    card = item.card
    state = card.review_state
    badges = [
        f'<span class="rv-badge rv-kind">{escape(card.kind)}</span>',
        f'<span class="rv-badge {state_class(state)}">{escape(state_label(state))}</span>',
    ]
    if item.change:
        badges.append(
            f'<span class="rv-badge rv-{"changed-badge" if item.change == "changed" else item.change}">'
            f"{escape(item.change)}</span>"
        )
    return "".join(badges)


def _meta(item: ReviewCard, deck_outcomes: Mapping[str, str]) -> list[tuple[str, str]]:
    card = item.card
    review = card.review
    state = card.review_state
    if state == "approved":
        reviewed = f"approved by {escape(review.by or '?')} on {escape(review.on or '?')}"
    elif state == NEEDS_RE_REVIEW:
        reviewed = (
            f"needs re-review: changed since approved by {escape(review.by or '?')} on {escape(review.on or '?')}"
            if review.fingerprint
            else f"needs re-review: approved by {escape(review.by or '?')} without a record of what was approved"
        )
    elif state == "needs-change":
        reviewed = f"needs change (by {escape(review.by or '?')} on {escape(review.on or '?')}): {escape(review.note or '')}"
    else:
        reviewed = f"{escape(review.status)}: awaiting review" + (
            f" (last by {escape(review.by)}{' on ' + escape(review.on) if review.on else ''})" if review.by else ""
        )
    outcomes = (
        "<br>".join(
            f"<b>{escape(key)}</b> {escape(deck_outcomes.get(key, '(not in deck.yaml)'))}" for key in card.outcomes
        )
        or "none"
    )
    meta = [
        ("Subdeck", escape(card.subdeck)),
        ("Tags", escape(" ".join(card.tags)) or "none"),
        ("Source", escape(card.source.describe()) or "none"),
        ("Outcomes", outcomes),
        ("Review", reviewed),
        ("Defined in", escape(str(card.location))),
    ]
    if item.changed_fields:
        was = "<br>".join(
            f"<b>{escape(change.field)}</b>, was: {escape(plain(change.old)) or '(empty)'}"
            for change in item.changed_fields
        )
        meta.insert(0, ("Changed", was))
    return meta


def _passage(block: CitedBlock, source_name: str, grounding: Grounding | None) -> str:
    """The whole passage the card cites, the card's words highlighted; then the answer, the words the
    passage lacks marked."""
    lines = "".join(
        f'<p><span class="rv-line">line {line.line}</span>'
        + "".join(f"<mark>{escape(text)}</mark>" if marked else escape(text) for text, marked in line.pieces)
        + "</p>"
        for line in block.lines
    )
    answer = "".join(
        f'<mark class="{_ANSWER_MARKS[state][0]}" title="{_ANSWER_MARKS[state][1]}">{escape(text)}</mark>'
        if state in _ANSWER_MARKS
        else escape(text)
        for text, state in block.answer
    )
    missing = [
        f'<span class="{css}">{len(block.words_in(state))} {"word is" if len(block.words_in(state)) == 1 else "words are"} '
        f"{note}</span>"
        for state, (css, note) in _ANSWER_MARKS.items()
        if block.words_in(state)
    ]
    if block.expansion_not_in_text:
        missing.insert(
            0, '<span class="rv-not-in-text">the expansion is not written out in the training text</span>'
        )
    check = "; ".join(missing) + ": check these facts." if missing else "every word of it is in this passage."
    return (
        f'<figure class="rv-excerpt"><figcaption>{escape(source_name)}: {escape(block.anchor)} '
        f'(line {block.anchor_line})<span class="rv-screen-only">, the whole passage; the card\'s words are '
        'highlighted</span><span class="rv-print-only">, lines '
        f"{block.lines[0].line}–{block.lines[-1].line} (not printed, to keep each card on one page: read them "
        "in the training text or on the screen page)</span></figcaption>"
        f"<blockquote>{lines}</blockquote>"
        f'<p class="rv-answer-check"><b>Answer:</b> {answer}<br><span class="rv-answer-note">{check}</span></p>'
        f"{_grounding(grounding)}</figure>\n"
    )


def _grounding(grounding: Grounding | None) -> str:
    if grounding is None:
        return '<p class="rv-grounding">Grounding: not checked (the card cites no slide of the text)</p>'
    state = "rv-grounded" if grounding.grounded else "rv-ungrounded"
    return f'<p class="rv-grounding {state}">Grounding: {escape(grounding.message())}</p>'


def _anki_card(item: ReviewCard, sides: CardSides, images: Mapping[str, str]) -> str:
    number = f"Card {item.sides.index(sides) + 1} of {len(item.sides)}"
    pairs = "".join(
        f'<div class="rv-pair rv-{mode}">'
        + _side(item, sides, "question", mode, images)
        + _side(item, sides, "answer", mode, images)
        + "</div>"
        for mode in ("light", "night")
    )
    return (
        f'<section class="rv-anki" data-ord="{sides.ordinal}"><h4>{number} · {escape(sides.name)}</h4>'
        f'<div class="rv-sides">{pairs}</div></section>\n'
    )


def _side(item: ReviewCard, sides: CardSides, side: str, mode: str, images: Mapping[str, str]) -> str:
    html = with_image_sources(sides.question if side == "question" else sides.answer, images)
    night = " nightMode night_mode" if mode == "night" else ""
    caption = side.capitalize() + (" · night mode" if mode == "night" else "")
    return (
        f'<figure class="rv-side"><figcaption>{caption}</figcaption><div class="{PHONE}">'
        f'<div class="card card{sides.ordinal + 1}{night}" data-card="{escape(item.card.id)}" '
        f'data-ord="{sides.ordinal}" data-side="{side}" data-mode="{mode}">{html}</div></div></figure>'
    )


def warnings_html(problems: Iterable[Problem]) -> str:
    return (
        '<ul class="rv-warnings">'
        + "".join(f"<li>{escape(str(problem))}</li>" for problem in problems)
        + "</ul>\n"
    )


def plain(html: str, width: int = 160) -> str:
    """Field HTML as the text a learner reads (entities read), shortened."""
    return shorten(" ".join(unescape(_TAG.sub(" ", html)).split()), width)
