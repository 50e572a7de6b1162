"""The release ledger's history → CHANGELOG.md for trainers: what each release added, changed and retired."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from itertools import islice
from typing import Protocol, TextIO

from exporter.kinds import NOTE_TYPES
from exporter.release.ledger import RETIRED_TAG, Changes, FieldChange, Ledger, Release
from exporter.release.on_import import Step, update_steps
from exporter.rendering.cloze_syntax import DELETION

_TAG = re.compile(r"<[^>]+>")
_SNIPPET = 90
# Characters Markdown acts on in running text; card text quoted in the changelog is escaped so that GitHub and
# editors show it as written, never as a link, a picture or raw HTML ("<" and "&" become entities).
_MARKDOWN_ACTIVE = "\\`*_[]|~#"
# both escapes in one pass of str.translate (every note's label and answer go through it): no entity holds an
# active character, and no active character is one html.escape changes
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: "\\" + c for c in _MARKDOWN_ACTIVE})
# Most card text holds none of them, and str.translate with a mapping looks every character up in Python once
# a text goes beyond ASCII, far slower than a search for them (see docs/performance.md)
_NEEDS_ESCAPING = re.compile("[" + re.escape(_MARKDOWN_ACTIVE + "&<>") + "]")
_BACKTICKS = re.compile(r"`+")
# every note is labelled and answered as it is shipped: its note type found by id, not by a search
_NOTE_TYPES_BY_ID = {note_type.id: note_type for note_type in NOTE_TYPES.values()}


class CardTexts(Protocol):
    """Each card's changelog label (see card_label) and answer (card_answer), asked for a batch of cards at a
    time: a build keeps them in a database, not in memory, so it finds a batch with one query."""

    def __call__(self, card_ids: Sequence[str]) -> Mapping[str, tuple[str, str]]: ...


def texts_of(labels: Mapping[str, str], answers: Mapping[str, str]) -> CardTexts:
    """CardTexts from labels and answers by card id (a card with no label is named by its id)."""

    def texts(card_ids: Sequence[str]) -> Mapping[str, tuple[str, str]]:
        return {card_id: (labels.get(card_id, ""), answers.get(card_id, "")) for card_id in card_ids}

    return texts


#: how many cards' texts the changelog asks for at once
TEXTS_BATCH = 10_000
#: how many of its lines it writes at once
_LINES_BATCH = 1_000


def _with_texts(card_ids: Iterable[str], texts: CardTexts) -> Iterator[tuple[str, str, str]]:
    """(card id, label, answer) of each card, in order; "" for what texts does not know."""
    remaining = iter(card_ids)
    while batch := list(islice(remaining, TEXTS_BATCH)):
        found = texts(batch)
        for card_id in batch:
            label, answer = found.get(card_id, ("", ""))
            yield card_id, label, answer


def write_changelog(stream: TextIO, ledger: Ledger, texts: CardTexts) -> None:
    """Write every release of the ledger, newest first, as Markdown, line by line (a big first release is
    megabytes of it); texts gives each card's label and answer."""
    # the lines joined, with no whitespace at the end but one newline; a batch of lines at a time, since
    # whitespace held back until more text comes does not care where the pieces were cut
    held, started = "", False
    lines = changelog_lines(ledger, texts)
    while batch := list(islice(lines, _LINES_BATCH)):
        text = ("\n" if started else "") + "\n".join(batch)
        started = True
        content = text.rstrip()
        if content:
            stream.write(held + content)
            held = text[len(content) :]
        else:
            held += text
    stream.write("\n")


def changelog_lines(ledger: Ledger, texts: CardTexts) -> Iterator[str]:
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
        yield from release_markdown(release, ledger.title, texts)


def release_markdown(release: Release, deck_title: str, texts: CardTexts) -> Iterator[str]:
    """One release's section."""
    yield from (f"## {release.version} ({release.date})", "")
    yield from changes_markdown(release.changes, deck_title, texts)


def changes_markdown(changes: Changes, deck_title: str, texts: CardTexts) -> Iterator[str]:
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
        yield from _section("Renamed", _renamed_cards(changes.renamed, texts), _RENAMED, "")
    if changes.added:
        yield from _section("Added", _added_cards(changes.added, texts))
    if changes.changed:
        yield from _section("Changed", _changed_cards(changes.changed, texts))
    if changes.retired:
        yield from _section("Retired", _cards(changes.retired, texts), _RETIRED, "")
    if changes.restored:
        yield from _section("Restored", _cards(changes.restored, texts))


_RETIRED = (
    f"Still on learners' phones, now tagged `{RETIRED_TAG}`: in Anki's browser search `tag:{RETIRED_TAG}`, "
    "select the cards and suspend or delete them. New learners get nothing to study from them."
)


_RENAMED = "The same cards on learners' phones, with their review history: only the id in the card files changed."


def _renamed_cards(renamed: Sequence[tuple[str, str]], texts: CardTexts) -> Iterator[str]:
    labelled = _with_texts((new for _, new in renamed), texts)
    return (
        f"- {_code(old)} → {card_markdown(new, label)}"
        for (old, _), (new, label, _) in zip(renamed, labelled, strict=True)
    )


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


def _cards(card_ids: Iterable[str], texts: CardTexts) -> Iterator[str]:
    return (f"- {card_markdown(card_id, label)}" for card_id, label, _ in _with_texts(card_ids, texts))


def _added_cards(card_ids: Iterable[str], texts: CardTexts) -> Iterator[str]:
    for card_id, label, answer in _with_texts(card_ids, texts):
        yield f"- {card_markdown(card_id, label)}"
        if answer:
            yield f"  - {answer}"


def card_answer(note_type: int, fields: tuple[str, ...]) -> str:
    """How the changelog shows a card's answer: a cloze's deletions, else the note's second field."""
    kind = _NOTE_TYPES_BY_ID.get(note_type)
    if kind is None or len(fields) < 2:
        return ""
    if kind.is_cloze:
        deletions = "; ".join(
            f"c{number}: {_quote(answer, None)}" for number, answer, _ in DELETION.findall(fields[0])
        )
        return f"Deletions: {deletions}" if deletions else ""
    return f"{_answer_name(note_type)}: {_quote(fields[1], None)}"


@cache
def _answer_name(note_type: int) -> str:
    return _NOTE_TYPES_BY_ID[note_type].field_names[1]


def _changed_cards(changed: Mapping[str, tuple[FieldChange, ...]], texts: CardTexts) -> Iterator[str]:
    for card_id, label, _ in _with_texts(changed, texts):
        yield f"- {card_markdown(card_id, label)}"
        fields = changed[card_id]
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


def card_markdown(card_id: str, label: str) -> str:
    """How the changelog names a card: its label, else its id."""
    return label or _code(card_id)


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
    return text.translate(_ESCAPES) if _NEEDS_ESCAPING.search(text) else text


def _code(text: str) -> str:
    """Text as a Markdown code span: a fence longer than any run of backticks in it, so nothing ends it early."""
    if "`" not in text:  # a card id never holds one
        return f"`{text}`"
    fence = "`" * (max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"
