"""A translation file's entries against the English card set: contexts that name nothing, markup the sanitizer
would remove, cloze deletions that differ from the English (the card counts of the editions must match), and
the English's own text rules (checking/text_rules.py)."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator

from exporter.checking.text_rules import text_problems
from exporter.errors import Problem, shorten
from exporter.model import Translation
from exporter.rendering.notes import cloze_numbers
from exporter.rendering.sanitizing import removed_markup
from exporter.rendering.text_format import markup_html


def translation_problems(entries: Iterable[Translation]) -> Iterator[Problem]:
    """Every translation that could not ship as written: an error each (a translation file is hostile input);
    and, as for the English, Anki's own tags (errors) and invisible characters (warnings)."""
    for entry in entries:
        if not entry.text:
            continue
        yield from text_problems(entry.location, f"the translation of {entry.context!r}", entry.text)
        removed = removed_markup(markup_html(entry.text))
        if removed:
            yield Problem(
                entry.location,
                f"the translation of {entry.context!r} has markup that is not allowed on cards: "
                f"{', '.join(removed)}; write it as text, with the Markdown the English uses",
            )
        elif entry.context.endswith(".text") and cloze_numbers(entry.text) != cloze_numbers(entry.english):
            numbers = ", ".join(f"c{number}" for number in cloze_numbers(entry.english)) or "none"
            yield Problem(
                entry.location,
                f"the translation of {entry.context!r} must keep the English cloze deletions ({numbers}), each "
                "as {{cN::...}}, so that the editions have the same cards",
            )


def unknown_contexts(entries: Iterable[Translation], known: Container[str]) -> Iterator[Problem]:
    """An error for each entry whose context names no card field, outcome, subdeck or label of the deck."""
    for entry in entries:
        if entry.context not in known:
            yield Problem(
                entry.location,
                f"{shorten(entry.context)!r} translates nothing in this card set (no such card, field, outcome, "
                "subdeck or label); run 'flashcards translations update' to mark it obsolete, or fix the msgctxt",
            )
