"""The release ledger's history → CHANGELOG.md for trainers: what each release added, changed and retired."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import TextIO

from exporter.notetypes import NOTE_TYPES
from exporter.release.ledger import RETIRED_TAG, Changes, FieldChange, Ledger, Release
from exporter.release.on_import import Step, update_steps

_TAG = re.compile(r"<[^>]+>")
_SNIPPET = 90
# a deletion, its answer and its hint (nested deletions are shown with their markup)
_DELETION = re.compile(r"\{\{c(\d+)::(.*?)(?:::[^{}]*)?\}\}", re.DOTALL)
# Characters Markdown acts on in running text; card text quoted in the changelog is escaped so that GitHub and
# editors show it as written, never as a link, a picture or raw HTML ("<" and "&" become entities).
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]|~#])")
_BACKTICKS = re.compile(r"`+")
# every note is labelled and answered as it is shipped: its note type found by id, not by a search
_NOTE_TYPES_BY_ID = {note_type.id: note_type for note_type in NOTE_TYPES.values()}


def write_changelog(
    stream: TextIO, ledger: Ledger, labels: Mapping[str, str], answers: Mapping[str, str] | None = None
) -> None:
    """Write every release of the ledger, newest first, as Markdown, line by line (a big first release is
    megabytes of it); labels name each card (see card_label), answers give an added card's answer
    (card_answer)."""
    # the lines joined, with no whitespace at the end but one newline
    held, started = "", False
    for line in changelog_lines(ledger, labels, answers or {}):
        text = "\n" + line if started else line
        started = True
        content = text.rstrip()
        if content:
            stream.write(held + content)
            held = text[len(content) :]
        else:
            held += text
    stream.write("\n")


def changelog_lines(ledger: Ledger, labels: Mapping[str, str], answers: Mapping[str, str]) -> Iterator[str]:
    """The changelog's lines."""
    yield from [
        f"# Changelog: {markdown_escaped(ledger.title)}",
        "",
        "Each release lists what learners get when they import it. Review history is never lost on import: "
        "changed cards keep their schedule, and retired cards stay on learners' phones tagged "
        f"`{RETIRED_TAG}` (search `tag:{RETIRED_TAG}` in Anki's browser to suspend or delete them).",
        "",
    ]
    for release in reversed(ledger.releases):
        yield from release_markdown(release, ledger.title, labels, answers)


def release_markdown(
    release: Release, deck_title: str, labels: Mapping[str, str], answers: Mapping[str, str]
) -> Iterator[str]:
    """One release's section."""
    yield from (f"## {release.version} ({release.date})", "")
    yield from changes_markdown(release.changes, deck_title, labels, answers)


def changes_markdown(
    changes: Changes, deck_title: str, labels: Mapping[str, str], answers: Mapping[str, str]
) -> Iterator[str]:
    """The body of one release: a summary line, what learners must do on import, then a list per kind of
    change."""
    yield from ((_summary(changes) if changes else "No card changes."), "")
    yield from (on_import_markdown(update_steps(changes, deck_title)), "")
    if not changes:
        return
    if changes.renamed_decks:
        yield from _section("Decks renamed", map(_renamed_deck, changes.renamed_decks))
    if changes.note_types:
        yield from _section("Note types", (f"- {description}" for description in changes.note_types))
    if changes.renamed:
        yield from _section("Renamed", _renamed_cards(changes.renamed, labels), _RENAMED, "")
    if changes.added:
        yield from _section("Added", _added_cards(changes.added, labels, answers))
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


_RENAMED = "The same cards on learners' phones, with their review history: only the id in the card files changed."


def _renamed_cards(renamed: Iterable[tuple[str, str]], labels: Mapping[str, str]) -> Iterator[str]:
    return (f"- {_code(old)} → {card_markdown(new, labels)}" for old, new in renamed)


def _summary(changes: Changes) -> str:
    counts = [
        (len(changes.renamed), "renamed"),
        (len(changes.added), "added"),
        (len(changes.changed), "changed"),
        (len(changes.retired), "retired"),
        (len(changes.restored), "restored"),
    ]
    summary = ", ".join(f"{count} {label}" for count, label in counts if count)
    if summary:
        return summary.capitalize() + "." + (" New deck options." if changes.options_changed else "")
    return (
        "No card changes; the deck options changed."
        if changes.options_changed
        else ("No card changes; the note types changed.")
    )


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


def on_import_markdown(steps: Iterable[Step]) -> str:
    """The "On import" line: what learners must do, in Markdown."""
    return "**On import:** " + " ".join(map(_step_markdown, steps))


def _step_markdown(step: Step) -> str:
    marks = {"": "{}", "control": "*{}*", "search": "`{}`", "name": "`{}`"}
    return "".join(
        marks[phrase.style].format(
            markdown_escaped(phrase.text) if phrase.style in ("", "control") else phrase.text
        )
        for phrase in step
    )


def _cards(card_ids: Iterable[str], labels: Mapping[str, str]) -> Iterator[str]:
    return (f"- {card_markdown(card_id, labels)}" for card_id in card_ids)


def _added_cards(card_ids: Iterable[str], labels: Mapping[str, str], answers: Mapping[str, str]) -> Iterator[str]:
    for card_id in card_ids:
        yield f"- {card_markdown(card_id, labels)}"
        if answers.get(card_id):
            yield f"  - {answers[card_id]}"


def card_answer(note_type: int, fields: tuple[str, ...]) -> str:
    """How the changelog shows a card's answer: a cloze's deletions, else the note's second field."""
    kind = _NOTE_TYPES_BY_ID.get(note_type)
    if kind is None or len(fields) < 2:
        return ""
    if kind.is_cloze:
        deletions = "; ".join(f"c{number}: {_quote(text, None)}" for number, text in _DELETION.findall(fields[0]))
        return f"Deletions: {deletions}" if deletions else ""
    return f"{_answer_name(note_type)}: {_quote(fields[1], None)}"


@cache
def _answer_name(note_type: int) -> str:
    return _NOTE_TYPES_BY_ID[note_type].field_names[1]


def _changed_cards(changed: Mapping[str, tuple[FieldChange, ...]], labels: Mapping[str, str]) -> Iterator[str]:
    for card_id, fields in changed.items():
        yield f"- {card_markdown(card_id, labels)}"
        yield from (
            f"  - {change.field}: {_quote(change.old, None)} → {_quote(change.new, None)}"
            + (_MOVED if change.field == "deck" else "")
            for change in fields
        )


_MOVED = " (learners who have the card keep it in the old deck unless they move it: Anki moves no card on import)"


def card_label(card_id: str, deck: str, first_field: str) -> str:
    """How the changelog names a card: its id, subdeck and the start of its first field."""
    return f"{_code(card_id)} ({_subdeck(deck)}): {_quote(first_field)}"


@lru_cache(maxsize=1024)
def _subdeck(deck: str) -> str:
    # a deck holds many cards: its part of their labels is made once
    return markdown_escaped(deck.rsplit("::", 1)[-1])


def ledger_labels(ledger: Ledger) -> dict[str, str]:
    """The label of each card the ledger knows."""
    return {card_id: card_label(card_id, entry.deck, entry.fields[0]) for card_id, entry in ledger.cards.items()}


def card_markdown(card_id: str, labels: Mapping[str, str]) -> str:
    """How the changelog names a card: its label, else its id."""
    return labels.get(card_id) or _code(card_id)


def _plain(field_html: str) -> str:
    if "<" not in field_html and "&" not in field_html:  # most fields: nothing to strip or read
        return " ".join(field_html.split())
    return " ".join(html.unescape(_TAG.sub(" ", field_html)).split())


def _quote(field_html: str, limit: int | None = _SNIPPET) -> str:
    text = _plain(field_html)
    if not text:
        return "(empty)"
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "“" + markdown_escaped(text) + "”"


def markdown_escaped(text: str) -> str:
    """Card text as Markdown that shows it as written."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", html.escape(text, quote=False))


def _code(text: str) -> str:
    """Text as a Markdown code span: a fence longer than any run of backticks in it, so nothing ends it early."""
    if "`" not in text:  # a card id never holds one
        return f"`{text}`"
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"
