"""The release ledger's history → CHANGELOG.md for trainers: what each release added, changed and retired."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TextIO

from exporter.release.ledger import RETIRED_TAG, Changes, FieldChange, Ledger, Release

_TAG = re.compile(r"<[^>]+>")
_SNIPPET = 90
# Characters Markdown acts on in running text; card text quoted in the changelog is escaped so that GitHub and
# editors show it as written, never as a link, a picture or raw HTML ("<" and "&" become entities).
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]|~#])")
_BACKTICKS = re.compile(r"`+")


def write_changelog(stream: TextIO, ledger: Ledger, labels: Mapping[str, str]) -> None:
    """Write every release of the ledger, newest first, as Markdown, line by line (a big first release is
    megabytes of it); labels name each card (see card_label)."""
    # the lines joined, with no whitespace at the end but one newline
    held, started = "", False
    for line in changelog_lines(ledger, labels):
        text = "\n" + line if started else line
        started = True
        content = text.rstrip()
        if content:
            stream.write(held + content)
            held = text[len(content) :]
        else:
            held += text
    stream.write("\n")


def changelog_lines(ledger: Ledger, labels: Mapping[str, str]) -> Iterator[str]:
    """The changelog's lines."""
    yield from [
        f"# Changelog: {_escaped(ledger.title)}",
        "",
        "Each release lists what learners get when they import it. Review history is never lost on import: "
        "changed cards keep their schedule, and retired cards stay on learners' phones tagged "
        f"`{RETIRED_TAG}` (search `tag:{RETIRED_TAG}` in Anki's browser to suspend or delete them).",
        "",
    ]
    for release in reversed(ledger.releases):
        yield from release_markdown(release, labels)


def release_markdown(release: Release, labels: Mapping[str, str]) -> Iterator[str]:
    """One release's section."""
    yield from (f"## {release.version} ({release.date})", "")
    yield from changes_markdown(release.changes, labels)


def changes_markdown(changes: Changes, labels: Mapping[str, str]) -> Iterator[str]:
    """The body of one release: a summary line, then a list per kind of change."""
    if not changes:
        yield from ("No card changes.", "")
        return
    yield from (_summary(changes), "")
    if changes.renamed_decks:
        yield from _section("Decks renamed", map(_renamed_deck, changes.renamed_decks))
    if changes.note_types:
        yield from _section("Note types", (f"- {description}" for description in changes.note_types))
    if changes.added:
        yield from _section("Added", _cards(changes.added, labels))
    if changes.changed:
        yield from _section("Changed", _changed_cards(changes.changed, labels))
    if changes.retired:
        yield from _section("Retired", _cards(changes.retired, labels), _RETIRED, "")
    if changes.restored:
        yield from _section("Restored", _cards(changes.restored, labels))


_RETIRED = (
    f"Still on learners' phones, now tagged `{RETIRED_TAG}`: in Anki's browser search `tag:{RETIRED_TAG}`, "
    "select the cards and suspend or delete them. New learners get nothing to study from them."
)


def _summary(changes: Changes) -> str:
    counts = [
        (len(changes.added), "added"),
        (len(changes.changed), "changed"),
        (len(changes.retired), "retired"),
        (len(changes.restored), "restored"),
    ]
    summary = ", ".join(f"{count} {label}" for count, label in counts if count)
    return summary.capitalize() + "." if summary else "No card changes; the note types changed."


def _section(title: str, items: Iterable[str], *intro: str) -> Iterator[str]:
    yield from (f"### {title}", "", *intro)
    yield from items
    yield ""


def _renamed_deck(renamed: tuple[str, str]) -> str:
    old, new = renamed
    return (
        f"- {_code(old)} → {_code(new)}: cards learners already have stay in the old deck unless they "
        "rename it in Anki before importing."
    )


def _cards(card_ids: Iterable[str], labels: Mapping[str, str]) -> Iterator[str]:
    return (f"- {_card(card_id, labels)}" for card_id in card_ids)


def _changed_cards(changed: Mapping[str, tuple[FieldChange, ...]], labels: Mapping[str, str]) -> Iterator[str]:
    for card_id, fields in changed.items():
        yield f"- {_card(card_id, labels)}"
        yield from (
            f"  - {change.field}: {_quote(change.old, None)} → {_quote(change.new, None)}" for change in fields
        )


def card_label(card_id: str, deck: str, first_field: str) -> str:
    """How the changelog names a card: its id, subdeck and the start of its first field."""
    return f"{_code(card_id)} ({_escaped(deck.rsplit('::', 1)[-1])}): {_quote(first_field)}"


def ledger_labels(ledger: Ledger) -> dict[str, str]:
    """The label of each card the ledger knows."""
    return {card_id: card_label(card_id, entry.deck, entry.fields[0]) for card_id, entry in ledger.cards.items()}


def _card(card_id: str, labels: Mapping[str, str]) -> str:
    return labels.get(card_id) or _code(card_id)


def _plain(field_html: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", field_html)).split())


def _quote(field_html: str, limit: int | None = _SNIPPET) -> str:
    text = _plain(field_html)
    if not text:
        return "(empty)"
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "“" + _escaped(text) + "”"


def _escaped(text: str) -> str:
    """Card text as Markdown that shows it as written."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", html.escape(text, quote=False))


def _code(text: str) -> str:
    """Text as a Markdown code span: a fence longer than any run of backticks in it, so nothing ends it early."""
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"
