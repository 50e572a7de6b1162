"""The command line: thin commands over the library; the one place that prints and picks exit codes."""
from __future__ import annotations

import signal
from importlib.metadata import version
from pathlib import Path
from typing import Any, Iterable

import click

from exporter.errors import ExporterError, Problem
from exporter.model import REVIEW_STATUSES

# readable=False: an unreadable card folder is a content problem the loader reports (exit 1), not a usage error
CARDS_ARGUMENT = click.argument("cards", default="cards", type=click.Path(path_type=Path, readable=False))


class _Commands(click.Group):
    """Turns our errors into messages and exit code 1, and an interrupt into 130, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        previous_handler = _sigterm_as_interrupt()
        try:
            return super().invoke(ctx)
        except ExporterError as error:
            _report(error.problems)
            click.echo(f"failed: {_count(error.problems, 'problem')}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt as interrupt:
            # a build's interrupt says what became of its output folder; other commands change nothing
            click.echo(str(interrupt) or "interrupted; nothing was changed", err=True)
            ctx.exit(130)
        finally:
            if previous_handler is not None:
                signal.signal(signal.SIGTERM, previous_handler)


def _sigterm_as_interrupt() -> Any:
    """Make SIGTERM stop a command the way Ctrl-C does (temporary files removed); return the old handler."""
    try:
        return signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread: the embedding program owns its signals
        return None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


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
              help="Folder to write the decks into; its ledger.json is the last release.")
@click.option("--strict", is_flag=True, help="Treat markup the sanitizer would remove as an error.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if the output folder is not exactly what the sources build.")
@click.option("--allow-deck-rename", is_flag=True,
              help="Rename a deck or subdeck although learners' existing cards stay under the old name.")
@click.option("--allow-schema-change", is_flag=True,
              help="Ship a note type whose fields or templates changed (learners must tick 'Merge note types').")
@click.option("--allow-reuse", "reused_ids", multiple=True, metavar="CARD_ID",
              help="Keep this card id although its content was replaced (it keeps learners' history). Repeatable.")
@click.option("--approved-only", is_flag=True,
              help="Ship only cards whose status is approved; others stay out (and are retired if learners have them).")
def build_command(cards: Path, output: Path, strict: bool, check: bool, allow_deck_rename: bool,
                  allow_schema_change: bool, reused_ids: tuple[str, ...], approved_only: bool) -> None:
    """Validate CARDS, then write the .apkg, the CSV files, the release ledger and CHANGELOG.md."""
    from exporter.build import build, stale_files
    from exporter.changes import Consent

    if check:
        stale = stale_files(cards, output)
        if stale:
            for name in stale:
                click.echo(f"{output / name}: stale; run 'flashcards build' and commit the result", err=True)
            click.echo(f"failed: {_count(stale, 'stale file')}", err=True)
            raise SystemExit(1)
        click.echo(f"ok: {output} is exactly what {cards} builds")
        return
    consent = Consent(deck_rename=allow_deck_rename, schema_change=allow_schema_change,
                      reused_ids=frozenset(reused_ids))
    built = build(cards, output, strict=strict, consent=consent, approved_only=approved_only)
    _report(built.warnings)
    click.echo(f"built {built.deck.title} {built.deck.version}: {_count(built.notes, 'note')}, "
               f"{_count(range(built.card_count), 'card')}" + (" (approved cards only)" if approved_only else ""))
    for path in built.paths:
        click.echo(f"  {path}")


@main.command("diff")
@CARDS_ARGUMENT
@click.option("-o", "--output", "output", default="dist", show_default=True, type=click.Path(path_type=Path),
              help="Folder holding the last release (its ledger.json).")
def diff_command(cards: Path, output: Path) -> None:
    """Show what building CARDS now would change for learners, as the changelog will say it."""
    from exporter.build import pending_changes
    from exporter.writers.changelog import changes_markdown

    previous, changes, preview = pending_changes(cards, output)
    click.echo(f"Changes since {previous.version or 'nothing (first release)'}:\n")
    click.echo("\n".join(changes_markdown(changes, preview)).rstrip())


@main.command("review")
@CARDS_ARGUMENT
@click.option("-o", "--output", "output", default="dist/review.html", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The page to write; the ledger.json beside it is the last release, to show what changed.")
@click.option("--source", type=click.Path(dir_okay=False, path_type=Path),
              help="The training text (plain text): show beside each card the passage its source points to.")
@click.option("--status", type=click.Choice(REVIEW_STATUSES), help="Show only the cards with this review status.")
def review_command(cards: Path, output: Path, source: Path | None, status: str | None) -> None:
    """Write one offline HTML page showing every card of CARDS as learners will see it, for reviewers."""
    from exporter.review import write_review_page

    page = write_review_page(cards, output, source=source, status=status).page
    shown = [item for item in page.cards if status is None or item.card.review.status == status]
    drafts = sum(item.card.review.status == "draft" for item in page.cards)
    click.echo(f"wrote {output}: {_count(shown, 'card definition')} "
               f"({_count(range(sum(len(item.sides) for item in shown)), 'Anki card')}), "
               f"{drafts} of {len(page.cards)} awaiting review")


@main.command("coverage")
@CARDS_ARGUMENT
@click.option("--source", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The training text the cards are written from, as plain text.")
@click.option("--ignore", "ignored", multiple=True, metavar="WORD",
              help="A word in capitals that is not an acronym to teach. Repeatable.")
def coverage_command(cards: Path, source: Path, ignored: tuple[str, ...]) -> None:
    """List the acronyms the training text uses that no card of CARDS teaches, and card sources not in it."""
    from exporter.review import coverage_report

    coverage = coverage_report(cards, source, ignore=ignored)
    if coverage.uncovered or coverage.dangling:
        raise ExporterError.from_problems(coverage.problems())
    click.echo(f"ok: every one of the {len(coverage.used)} acronyms in {source} has a card, "
               "and every card's source is in it")
