"""`flashcards translations update`: each language's translation file brought up to date with the English card
set, read and checked by the one pipeline (check()); and how much of each edition is translated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.errors import ExporterError, Location, Problem
from exporter.model import Deck
from exporter.notetypes import text_direction
from exporter.pipeline.checked_stream import check
from exporter.pipeline.output import locked_output, refuse_file_output, write_files
from exporter.reading.translations import read_catalog, read_translations, translation_path
from exporter.rendering.translation import card_texts, deck_texts, subdeck_context
from exporter.writers.translation_file import Updated, translation_file_text, updated_catalog
from exporter.writers.translation_review import TranslationRow, translation_review_html


@dataclass(frozen=True, slots=True)
class LanguageUpdate:
    """One translation file written, and what changed in it."""

    lang: str
    path: Path
    updated: Updated


def source_texts(deck: Deck) -> list[tuple[str, str]]:
    """Every English text an edition translates, by context, in deck order."""
    texts = list(deck_texts(deck).items())
    for topic in deck.topics:
        texts.append((subdeck_context(topic.subdeck), topic.subdeck))
        for card in topic.cards:
            texts.extend(card_texts(card).items())
    return list(dict.fromkeys(texts))


def checked_deck(cards_dir: Path) -> Deck:
    """The card set read and checked whole; ExporterError with its errors if it has any."""
    checked = check(cards_dir, cache=True)
    if checked.errors or checked.deck is None:
        raise ExporterError.from_problems(checked.errors)
    return checked.deck


def update_translations(cards_dir: Path, languages: Sequence[str] = ()) -> list[LanguageUpdate]:
    """Create or update the translation file of each language given (else of each deck.yaml lists)."""
    deck = checked_deck(cards_dir)
    languages = tuple(languages) or deck.languages
    if not languages:
        raise ExporterError(
            deck.location,
            "no language to update: list the editions in deck.yaml (languages: [fr]) or name one with --lang",
        )
    texts = source_texts(deck)
    updates = []
    for lang in languages:
        path = translation_path(cards_dir, lang)
        old = read_catalog(path, str(path)) if path.exists() else None
        if isinstance(old, Problem):
            raise ExporterError(old.location, old.message)
        updates.append(LanguageUpdate(lang, path, updated_catalog(old, texts, lang=lang, project=deck.id)))
    folder = translation_path(cards_dir, "x").parent
    with locked_output(folder):
        files = {update.path.name: translation_file_text(update.updated.catalog).encode() for update in updates}
        write_files(folder, files)
    return updates


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of a language edition is translated."""

    lang: str
    texts: int
    translated: int
    fuzzy: int

    @property
    def missing(self) -> int:
        return self.texts - self.translated - self.fuzzy


def translation_coverage(cards_dir: Path, deck: Deck) -> list[Coverage]:
    """Each edition deck.yaml lists: its texts, those translated from the current English, those fuzzy."""
    texts = dict(source_texts(deck))
    coverage = []
    for lang in deck.languages:
        path = translation_path(cards_dir, lang)
        entries, problems = read_translations(path, str(path)) if path.is_file() else ((), [])
        if problems:
            raise ExporterError.from_problems(problems)
        good = fuzzy = 0
        for entry in entries:
            if entry.context in texts and entry.text:
                if entry.fuzzy or entry.english != texts[entry.context]:
                    fuzzy += 1
                else:
                    good += 1
        coverage.append(Coverage(lang, len(texts), good, fuzzy))
    return coverage


def translation_review(cards_dir: Path, lang: str) -> tuple[str, str, list[TranslationRow]]:
    """Every text of the card set beside its translation into lang, with its state; the deck's title and the
    translation file's path."""
    deck = checked_deck(cards_dir)
    path = translation_path(cards_dir, lang)
    if not path.is_file():
        raise ExporterError(
            Location(str(path)),
            f"no translation file for {lang!r}; run 'flashcards translations update {cards_dir} --lang {lang}'",
        )
    entries, problems = read_translations(path, str(path))
    if problems:
        raise ExporterError.from_problems(problems)
    by_context = {entry.context: entry for entry in entries}
    rows = []
    for context, english in source_texts(deck):
        entry = by_context.get(context)
        if entry is None or not entry.text:
            rows.append(TranslationRow(context, english, "", "missing"))
        elif entry.fuzzy or entry.english != english:
            rows.append(TranslationRow(context, english, entry.text, "fuzzy", entry.previous or entry.english))
        else:
            state = "awaiting-review" if entry.awaiting_review else "translated"
            rows.append(TranslationRow(context, english, entry.text, state))
    return deck.title, str(path), rows


def write_translation_review(cards_dir: Path, output: Path, lang: str) -> list[TranslationRow]:
    """Write the translation review page of lang to output."""
    refuse_file_output(cards_dir, output, "the review page", "review.html")
    title, source, rows = translation_review(cards_dir, lang)
    page = translation_review_html(title, lang, text_direction(lang), rows, source=source)
    with locked_output(output.parent):
        write_files(output.parent, {output.name: page.encode("utf-8")})
    return rows
