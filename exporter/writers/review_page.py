"""Cards, their sources and what changed → one self-contained HTML page for subject-matter reviewers.

Pure: returns the page as a string. Task first: what to check and how to answer, then a contents list by
subdeck, then the cards, each titled by what it asks. Everything is inline (styles, images as data: URIs),
nothing runs (no scripts; the night-mode and changed-only switches are CSS), the page is light whatever the
reader's system prefers (night mode only on request), and it prints on A4 with a verdict box under each card
and no card cut. Each Anki card is shown inside a phone frame with the HTML the learner's app renders and the
deck's own CSS.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from exporter import notetypes
from exporter.checking.approval_changes import SourceEdit
from exporter.checking.coverage import Coverage
from exporter.errors import Problem
from exporter.model import Deck
from exporter.release.ledger import FieldChange
from exporter.review_states import NEEDS_RE_REVIEW, in_states
from exporter.writers.approval_diff import source_edits_html
from exporter.writers.review_card import (
    ReviewCard,
    card_html,
    warnings_html,
)
from exporter.writers.review_style import PAGE_CSS, scoped_css
from exporter.writers.review_top import contents_html, subdeck_anchors, task_html

_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class ReleaseChanges:
    """What learners would get that differs from a release, to check first."""

    heading: str
    added: tuple[str, ...] = ()
    changed: tuple[tuple[str, tuple[FieldChange, ...]], ...] = ()
    restored: tuple[str, ...] = ()
    #: (card id, what its first field said) of cards no longer in the deck
    retired: tuple[tuple[str, str], ...] = ()
    #: decks renamed, note types changed: changes to every card of a deck or a kind
    other: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewPage:
    """Everything the page shows."""

    deck: Deck
    #: every card of the deck, in deck order
    cards: tuple[ReviewCard, ...]
    #: show only the cards with this review status (all when None)
    status: str | None = None
    changes: ReleaseChanges | None = None
    #: why there is nothing to compare with, when changes is None
    changes_note: str = ""
    general_warnings: tuple[Problem, ...] = ()
    coverage: Coverage | None = None
    source_name: str = ""
    #: the stored name of each image → a data: URI, so the page needs no other file
    images: Mapping[str, str] = field(default_factory=dict)
    #: the approved cards whose source line alone changed since approval (their approval stands)
    source_edits: tuple[SourceEdit, ...] = ()


def review_html(page: ReviewPage) -> str:
    """The whole page."""
    deck = page.deck
    states = () if page.status is None else (page.status,)
    shown = [item for item in page.cards if in_states(item.card.review_state, states)]
    title = escape(f"Review: {deck.title} {deck.version}")
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{PAGE_CSS}{scoped_css(notetypes.CSS)}</style>\n</head>\n"
        '<body class="rv">\n<div class="rv-page">\n'
    ]
    parts.append(_heading(page, shown))
    parts.append(task_html(page.source_name))
    parts.append(contents_html(shown, len(page.cards)))
    parts.append(source_edits_html(page.source_edits))
    parts.append(_summary(page))
    parts.append(_changes(page))
    parts.append(_coverage(page))
    if page.general_warnings:
        parts.append(
            f'<section class="rv-box"><h2>Warnings</h2>{warnings_html(page.general_warnings)}</section>\n'
        )
    parts.append("<main>\n")
    subdecks = subdeck_anchors(shown)
    subdeck = None
    for item in shown:
        if item.card.subdeck != subdeck:
            subdeck = item.card.subdeck
            parts.append(f'<h2 class="rv-subdeck" id="{subdecks[subdeck]}">{escape(subdeck)}</h2>\n')
        parts.append(
            card_html(item, outcomes=page.deck.outcomes, source_name=page.source_name, images=page.images)
        )
    if not shown:
        parts.append(f"<p>No card has the status {escape(page.status or '')}.</p>\n")
    parts.append("</main>\n</div>\n</body>\n</html>\n")
    return "".join(parts)


def _heading(page: ReviewPage, shown: list[ReviewCard]) -> str:
    deck = page.deck
    source = escape(deck.source_title) + (f" ({escape(deck.source_document)})" if deck.source_document else "")
    scope = (
        f"the {len(shown)} card definitions with status <b>{escape(page.status)}</b>, of {len(page.cards)}"
        if page.status
        else f"all {len(page.cards)} card definitions"
    )
    return (
        f"<header>\n<h1>{escape(deck.title)}</h1>\n"
        f'<p class="rv-lead">Version {escape(deck.version)} · Source: {source}<br>'
        f"For review: {scope}, each Anki card as learners see it (question and answer), "
        "with the passage of the training text it comes from, its learning outcomes and review status.</p>\n"
        '<div class="rv-controls">'
        '<label><input type="checkbox" id="rv-night"> Show night mode too (as on a phone set to dark)</label>'
        '<label><input type="checkbox" id="rv-only-changed"> Show only new and changed cards</label>'
        "</div>\n</header>\n"
    )


def _summary(page: ReviewPage) -> str:
    cards = page.cards
    outcome_notes: Counter[str] = Counter()
    outcome_cards: Counter[str] = Counter()
    for item in cards:
        for key in item.card.outcomes:
            outcome_notes[key] += 1
            outcome_cards[key] += len(item.sides)
    rows = "".join(
        f"<tr><td><b>{escape(key)}</b> {escape(text)}</td>"
        f'<td class="rv-n{" rv-zero" if not outcome_notes[key] else ""}">{outcome_notes[key]}</td>'
        f"<td class=rv-n>{outcome_cards[key]}</td></tr>"
        for key, text in page.deck.outcomes.items()
    )
    outcomes = (
        '<table class="rv-table"><thead><tr><th>Learning outcome</th><th class=rv-n>Defini&shy;tions</th>'
        f"<th class=rv-n>Anki cards</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    warned = sum(bool(item.warnings) for item in cards)
    anki_cards = sum(len(item.sides) for item in cards)
    return (
        '<section class="rv-box"><h2>At a glance</h2>\n'
        f"<p><b>{len(cards)}</b> card definitions make <b>{anki_cards}</b> Anki cards. "
        + _review_counts(cards)
        + (f"; <b>{warned}</b> have warnings" if warned else "")
        + ".</p>\n"
        f'<div class="rv-tables">{outcomes}</div>\n</section>\n'
    )


def _review_counts(cards: Sequence[ReviewCard]) -> str:
    statuses = Counter(item.card.review_state for item in cards)
    others = (("needs-change", "need change"), (NEEDS_RE_REVIEW, "need re-review (changed since approved)"))
    again = [item.card.id for item in cards if item.card.review_state == NEEDS_RE_REVIEW]
    links = ", ".join(f'<a href="#card-{escape(card_id)}">{escape(card_id)}</a>' for card_id in again)
    return (
        f"<b>{statuses['draft']}</b> await review (draft), <b>{statuses['approved']}</b> approved"
        + "".join(f", <b>{statuses[state]}</b> {label}" for state, label in others if statuses[state])
        + (f" ({links})" if again else "")
    )


def _changes(page: ReviewPage) -> str:
    changes = page.changes
    if changes is None:
        return f'<section class="rv-box"><h2>Changes</h2><p>{escape(page.changes_note)}</p></section>\n'
    if not (changes.added or changes.changed or changes.restored or changes.retired or changes.other):
        return (
            f'<section class="rv-box"><h2>{escape(changes.heading)}</h2>'
            "<p>No card was added, changed or retired.</p></section>\n"
        )
    parts = [f'<section class="rv-box rv-changes"><h2>{escape(changes.heading)}</h2>\n']
    if changes.added or changes.changed or changes.restored:
        parts.append("<p>Marked in orange below; tick “Show only new and changed cards” to see only them.</p>\n")
    if changes.other:
        items = "".join(f"<li>{escape(text)}</li>" for text in changes.other)
        parts.append(
            f'<p>Changes to how whole decks or kinds of card look on the phone:</p><ul class="rv-list">{items}'
            "</ul>\n"
        )
    if changes.added:
        parts.append(f"<p><b>Added ({len(changes.added)}):</b> {_links(changes.added)}</p>\n")
    if changes.changed:
        items = "".join(
            f"<li>{_link(card_id)}: {escape(', '.join(change.field for change in fields))}</li>"
            for card_id, fields in changes.changed
        )
        parts.append(f'<p><b>Changed ({len(changes.changed)}):</b></p><ul class="rv-list">{items}</ul>\n')
    if changes.restored:
        parts.append(f"<p><b>Back in the deck ({len(changes.restored)}):</b> {_links(changes.restored)}</p>\n")
    if changes.retired:
        items = "".join(
            f"<li><code>{escape(card_id)}</code>: {escape(text)}</li>" for card_id, text in changes.retired
        )
        parts.append(
            f"<p><b>Retired ({len(changes.retired)})</b>, stay on learners' phones tagged "
            f'“retired”:</p><ul class="rv-list">{items}</ul>\n'
        )
    parts.append("</section>\n")
    return "".join(parts)


def _coverage(page: ReviewPage) -> str:
    coverage = page.coverage
    if coverage is None:
        return ""
    source = escape(page.source_name)
    if not coverage.uncovered and not coverage.dangling:
        return (
            f'<section class="rv-box"><h2>Training text</h2><p>Every one of the {len(coverage.used)} acronyms '
            f"in {source} has a card, and every card's source reference is found in it.</p></section>\n"
        )
    items = "".join(
        f"<li><b>{escape(use.acronym)}</b>: {use.count}× from line {use.location.line}"
        + (f" (no card for {escape(', '.join(use.missing_parts))})" if use.missing_parts else "")
        + "</li>"
        for use in coverage.uncovered
    )
    dangling = "".join(f"<li>{_link(item.card_id)}: {escape(item.message)}</li>" for item in coverage.dangling)
    return (
        f'<section class="rv-box"><h2>Training text: {source}</h2>'
        f"<p>{len(coverage.uncovered)} of the {len(coverage.used)} acronyms it uses have no card"
        + (f':</p><ul class="rv-list">{items}</ul>' if items else ".</p>")
        + (f'<p>Source references not found in it:</p><ul class="rv-list">{dangling}</ul>' if dangling else "")
        + "</section>\n"
    )


def _link(card_id: str) -> str:
    return f'<a href="#card-{escape(card_id)}">{escape(card_id)}</a>'


def _links(card_ids: Iterable[str]) -> str:
    return ", ".join(_link(card_id) for card_id in card_ids)
