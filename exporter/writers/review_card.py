"""One card definition on the review page: its badges, its details, its passage of the training text and each
Anki card it makes, light and night, in a phone frame with the deck's own CSS."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape, unescape

from exporter.checking.grounding import Grounding
from exporter.checking.training_text import Excerpt
from exporter.errors import Problem, shorten
from exporter.model import NEEDS_RE_REVIEW, Card
from exporter.release.ledger import FieldChange
from exporter.rendering.notes import RenderedNote
from exporter.rendering.templating import CardSides
from exporter.writers.review_style import PHONE

_IMAGE_SOURCE = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class ReviewCard:
    """One card definition as the page shows it."""

    note: RenderedNote
    sides: tuple[CardSides, ...]
    warnings: tuple[Problem, ...] = ()
    excerpt: Excerpt | None = None
    #: "new", "changed" or "restored" since the release compared with; "" if the same
    change: str = ""
    #: what changed, field by field (tags and deck count as fields)
    changed_fields: tuple[FieldChange, ...] = ()
    #: whether the card's answer is in its slide's passage; None when not checked (no text, or no slide)
    grounding: Grounding | None = None

    @property
    def card(self) -> Card:
        return self.note.card


def card_html(
    item: ReviewCard, *, outcomes: Mapping[str, str], source_name: str, images: Mapping[str, str]
) -> str:
    """One card definition: its badges, what it says about itself, its passage and each Anki card it makes."""
    card = item.card
    rows = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in _meta(item, outcomes))
    # a card changed since its approval is marked (and kept by "Show only new and changed cards") as one
    # changed since the release is
    changed = item.change or card.review_state == NEEDS_RE_REVIEW
    classes = "rv-card rv-changed" if changed else "rv-card"
    parts = [
        f'<article class="{classes}" id="card-{escape(card.id)}" data-card="{escape(card.id)}">\n'
        f'<div class="rv-card-head"><span class="rv-id">{escape(card.id)}</span>{_badges(item)}</div>\n'
        f'<dl class="rv-meta">{rows}</dl>\n'
    ]
    if item.warnings:
        parts.append(warnings_html(item.warnings))
    if item.excerpt is not None:
        parts.append(_excerpt(item.excerpt, source_name, item.grounding))
    for sides in item.sides:
        parts.append(_anki_card(item, sides, images))
    parts.append("</article>\n")
    return "".join(parts)


def _badges(item: ReviewCard) -> str:
    card = item.card
    state = card.review_state
    badges = [
        f'<span class="rv-badge rv-kind">{escape(card.kind)}</span>',
        f'<span class="rv-badge rv-{state.replace(" ", "-")}">{escape(state)}</span>',
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


def _excerpt(excerpt: Excerpt, source_name: str, grounding: Grounding | None) -> str:
    passages = "".join(
        f'<p><span class="rv-line">line {passage.line}</span>{escape(passage.text)}</p>'
        for passage in excerpt.passages
    )
    return (
        f'<figure class="rv-excerpt"><figcaption>{escape(source_name)}: {escape(excerpt.anchor)} '
        f"(line {excerpt.line})</figcaption><blockquote>{passages}</blockquote>{_grounding(grounding)}</figure>\n"
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
        f'<section class="rv-anki" data-ord="{sides.ordinal}"><h3>{number} · {escape(sides.name)}</h3>'
        f'<div class="rv-sides">{pairs}</div></section>\n'
    )


def _side(item: ReviewCard, sides: CardSides, side: str, mode: str, images: Mapping[str, str]) -> str:
    html = sides.question if side == "question" else sides.answer
    if images:
        html = _IMAGE_SOURCE.sub(
            lambda match: match.group(1) + images.get(match.group(2), match.group(2)) + match.group(3), html
        )
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
