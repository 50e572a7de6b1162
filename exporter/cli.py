"""The command line: thin commands over the library; the one place that prints and picks exit codes."""
from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any, Iterable

import click

from exporter.errors import ExporterError, Problem

CARDS_ARGUMENT = click.argument("cards", default="cards", type=click.Path(path_type=Path))


class _Commands(click.Group):
    """Turns our errors into messages and exit code 1, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExporterError as error:
            _report(error.problems)
            click.echo(f"failed: {_count(error.problems, 'problem')}", err=True)
            ctx.exit(1)


def _count(items: Iterable[object], noun: str) -> str:
    number = len(list(items))
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version("flashcard-exporter"), prog_name="flashcards")
def main() -> None:
    """Build Anki decks and CSV from reviewed flashcard definitions in YAML."""


@main.command("validate")
@CARDS_ARGUMENT
@click.option("--strict", is_flag=True, help="Treat markup the sanitizer would remove as an error.")
def validate_command(cards: Path, strict: bool) -> None:
    """Check the card set in CARDS (default: cards) and report every problem."""
    from exporter.build import check

    checked = check(cards, strict=strict)
    if checked.errors:
        raise ExporterError.from_problems(checked.problems)
    _report(checked.warnings)
    deck = checked.deck
    assert deck is not None
    click.echo(f"ok: {_count(deck.cards, 'card definition')} in {_count(deck.topics, 'topic file')}"
               + (f", {_count(checked.warnings, 'warning')}" if checked.warnings else ""))


@main.command("build")
@CARDS_ARGUMENT
@click.option("-o", "--output", "output", default="dist", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write the decks into.")
@click.option("--strict", is_flag=True, help="Treat markup the sanitizer would remove as an error.")
def build_command(cards: Path, output: Path, strict: bool) -> None:
    """Validate CARDS, then write the .apkg, the CSV files and the release ledger into the output folder."""
    from exporter.build import build

    built = build(cards, output, strict=strict)
    _report(built.warnings)
    click.echo(f"built {built.deck.title} {built.deck.version}: {_count(built.notes, 'note')}, "
               f"{_count(range(built.card_count), 'card')}")
    for path in built.paths:
        click.echo(f"  {path}")
