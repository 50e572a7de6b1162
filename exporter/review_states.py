"""The review states a card can be in, by name only: the command line lists them in its help, which must not
load the model (and with it dataclasses and hashlib) just to print itself."""

from collections.abc import Collection

#: The statuses a card file may give a card.
REVIEW_STATUSES = ("draft", "approved", "needs-change")
#: What an approval comes to once the card's content has changed since it was approved.
NEEDS_RE_REVIEW = "needs re-review"
#: Every state a card's review can be in, as the review page, stats, diff and the spreadsheets count them.
REVIEW_STATES = (*REVIEW_STATUSES, NEEDS_RE_REVIEW)
#: Every state but approved: what reviewers still owe.
TO_REVIEW = "to review"
#: What to type after --status for each state (no spaces), and for every state still to review.
STATE_CHOICES = {state.replace(" ", "-"): state for state in (*REVIEW_STATES, TO_REVIEW)}


def in_states(state: str, states: Collection[str] = ()) -> bool:
    """Whether a card in this review state is among these (every state when none is given; TO_REVIEW stands for
    every state but approved)."""
    return not states or state in states or (TO_REVIEW in states and state != "approved")
