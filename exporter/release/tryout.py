"""Try-out releases: what `flashcards init` starts a card set with, when a release may be dropped, and the
warning when a release meant for learners still carries init's examples.

A release below 1.0.0 is a try-out (semantic versioning keeps 0.y.z for work in progress, and init starts at
0.1.0); the README tells trainers to hand out 1.0.0 and later only. So a ledger whose every release is below
1.0.0 records nothing a learner has, and dropping it loses no one's progress. The version is the mark because
it is in the ledger itself: it holds for trainers without git, and it cannot be forgotten the way a "handed
out" flag could.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from exporter.errors import Problem
from exporter.model import Deck
from exporter.release.ledger import Ledger

#: The ids of the example cards `flashcards init` writes.
INIT_EXAMPLE_IDS = ("example-acronym", "example-question", "example-cloze")


def is_tryout(version: str) -> bool:
    """Whether a version is below 1.0.0, so no learner should have it."""
    major = version.split(".", 1)[0]
    return major.isdigit() and int(major) == 0


def handed_out(ledger: Ledger) -> str | None:
    """The first release of the ledger that learners may have (1.0.0 or later); None if all are try-outs."""
    versions = [release.version for release in ledger.releases] or [ledger.version]
    return next((version for version in versions if not is_tryout(version)), None)


def leftover_examples(deck: Deck, shipped: Collection[str], retired: Iterable[str]) -> list[Problem]:
    """Warnings for a release of 1.0.0 or later that still ships init's examples, live or retired."""
    if is_tryout(deck.version):
        return []
    where = deck.key_locations.get("version", deck.location)
    live = [card_id for card_id in INIT_EXAMPLE_IDS if card_id in shipped]
    gone = [card_id for card_id in INIT_EXAMPLE_IDS if card_id in set(retired)]
    problems = []
    if live:
        problems.append(
            Problem(
                where,
                f"release {deck.version} still has the example cards 'flashcards init' wrote "
                f"({', '.join(live)}); replace them with your own cards or delete them before handing it out",
                "warning",
            )
        )
    if gone:
        problems.append(
            Problem(
                where,
                f"release {deck.version} hands out the example cards 'flashcards init' wrote ({', '.join(gone)}) "
                "as retired cards, because the try-out release was still in the output folder (learners get nothing "
                "to study from them); before a first release, drop the try-out with 'flashcards discard-tryout'",
                "warning",
            )
        )
    return problems
