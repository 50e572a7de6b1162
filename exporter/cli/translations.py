"""The commands for translators: language editions' translation files."""

from __future__ import annotations

from pathlib import Path

import click

from exporter.cli.console import CARDS_ARGUMENT, count, main


@main.group("translations")
def translations_group() -> None:
    """Keep each language edition's translation file (CARDS/translations/LANG.po) up to date."""


@translations_group.command("update")
@CARDS_ARGUMENT
@click.option(
    "--lang",
    "languages",
    multiple=True,
    help="A language to create or update (repeatable); default: the 'languages' deck.yaml lists.",
)
def update_command(cards: Path, languages: tuple[str, ...]) -> None:
    """Create or update the translation files of CARDS: new English text gets an empty entry, changed English
    turns its entry fuzzy (the old English kept for the translator), removed text becomes obsolete."""
    from exporter.commands.translations import update_translations

    for update in update_translations(cards, languages):
        changed = update.updated
        click.echo(
            f"updated {update.path}: {changed.added} new, {changed.fuzzy} now fuzzy, {changed.obsolete} obsolete"
        )


def review_translation(cards: Path, output: Path, lang: str) -> None:
    """`review --lang`: the translation review page of one language edition."""
    from exporter.commands.translations import write_translation_review

    if click.get_current_context().get_parameter_source("output") == click.core.ParameterSource.DEFAULT:
        output = output.with_name(f"review.{lang}.html")
    rows = write_translation_review(cards, output, lang)
    states = {state: sum(row.state == state for row in rows) for state in ("fuzzy", "missing", "awaiting-review")}
    click.echo(
        f"wrote {output}: {count(len(rows), 'text')}, {states['fuzzy']} stale, {states['missing']} missing, "
        f"{states['awaiting-review']} awaiting review"
    )
