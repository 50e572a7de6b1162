"""The top of the review page: the reviewer's task in plain words, and the contents by subdeck with the count of
cards in each review state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape

from exporter.writers.review_card import ReviewCard, state_class, state_label
from exporter.writers.review_style import REVIEW_STATES


def task_html(source_name: str) -> str:
    """What a reviewer is asked to do, in plain words, and how to give an answer."""
    source = source_name or "the training text"
    return (
        '<section class="rv-box rv-task"><h2>Your task</h2>\n'
        "<p>Each box below is one flashcard that learners will study on their phone. Its title is what the card "
        "asks; under it you see the card exactly as the phone shows it, and the part of "
        f"{escape(source)} it was written from.</p>\n"
        "<p><b>For each card, check:</b></p><ol>"
        "<li>Is the answer correct and complete, as the course teaches it?</li>"
        "<li>Is the question clear, with only one right answer?</li>"
        "<li>Does the passage shown support it? Words of the card are <mark>highlighted</mark> in the passage. "
        'Answer words <mark class="rv-not-in-text">marked like this</mark> are not in the training text word for '
        'word, and those <mark class="rv-elsewhere">marked like this</mark> are in it, but not in this passage: '
        "check those facts with particular care.</li></ol>\n"
        "<p><b>How to answer:</b> print this page (or only the cards you were given) and, in the box under each "
        "card, tick <b>Approve</b> or <b>Needs change</b>, write your name and the date, and for a change write "
        "what is wrong and what it should say. Give the pages back to the trainer, who records your verdicts. "
        "Each card's reference (small, next to its title, like “ref. card-name”) tells the trainer which card "
        "you mean if you answer by e-mail instead.</p>\n</section>\n"
    )


def subdeck_anchors(items: Iterable[ReviewCard]) -> dict[str, str]:
    names = dict.fromkeys(item.card.subdeck for item in items)
    return {name: f"subdeck-{number}" for number, name in enumerate(names, start=1)}


def contents_html(shown: list[ReviewCard], total: int) -> str:
    """The subdecks on the page, each with its number of cards and how many are in each review state."""
    seen = Counter(item.card.review_state for item in shown)
    states = [state for state in REVIEW_STATES if seen[state]] + sorted(set(seen) - set(REVIEW_STATES))
    per_subdeck: dict[str, Counter[str]] = {}
    for item in shown:
        per_subdeck.setdefault(item.card.subdeck, Counter())[item.card.review_state] += 1
    anchors = subdeck_anchors(shown)
    head = "".join(f'<th class="rv-n {state_class(state)}">{escape(state_label(state))}</th>' for state in states)
    rows = "".join(
        f'<tr><td><a href="#{anchors[name]}">{escape(name)}</a></td><td class=rv-n>{sum(counts.values())}</td>'
        + "".join(f"<td class=rv-n>{counts[state]}</td>" for state in states)
        + "</tr>"
        for name, counts in per_subdeck.items()
    )
    totals = f"<tr><th>All</th><th class=rv-n>{len(shown)}</th>" + "".join(
        f"<th class=rv-n>{seen[state]}</th>" for state in states
    )
    of_all = "" if len(shown) == total else f" (of {total} in the deck)"
    return (
        f'<section class="rv-box rv-contents"><h2>Contents: {len(shown)} cards{of_all}</h2>\n'
        f'<table class="rv-table"><thead><tr><th>Subdeck</th><th class=rv-n>Cards</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody><tfoot>{totals}</tr></tfoot></table>\n</section>\n"
    )
