"""The command line: thin commands over the library; the one place that prints and picks exit codes."""

from __future__ import annotations

import os
import shlex
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from exporter.errors import ExporterError, Location, Problem
from exporter.model import REVIEW_STATUSES

#: A build shows its progress bar only once it has taken this long (seconds).
PROGRESS_DELAY = 0.5

# readable=False: an unreadable card folder is a content problem the loader reports (exit 1), not a usage error
CARDS_ARGUMENT = click.argument("cards", default="cards", type=click.Path(path_type=Path, readable=False))


class _Commands(click.Group):
    """Turns our errors into messages and exit code 1, and an interrupt into 130, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        previous_handler = _sigterm_as_interrupt()
        try:
            return super().invoke(ctx)
        except ExporterError as error:
            _fail(error.problems)
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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


Command = TypeVar("Command", bound=Callable[..., Any])


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    ctx.meta[f"flashcards.{param.name}"] = value  # meta is shared with the group, which reports errors
    return value


def _setting(name: str, default: object) -> Any:
    return click.get_current_context().meta.get(f"flashcards.{name}", default)


def output_options(*formats: str, quiet: bool = True) -> Callable[[Command], Command]:
    """--format (and --quiet) for a command that reports problems."""

    def decorate(command: Command) -> Command:
        if quiet:
            command = click.option(
                "-q",
                "--quiet",
                is_flag=True,
                callback=_remember,
                help="Print only problems: no summary, no progress bar.",
            )(command)
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(formats),
            default="text",
            show_default=True,
            callback=_remember,
            help="How to print problems: text for people (on stderr), json for tools (one document on stdout), "
            "github for GitHub Actions annotations (on stdout)."
            if "github" in formats
            else "How to print: tables for people (text), or one JSON document on stdout for tools, "
            "problems too (json).",
        )(command)

    return decorate


def _report(problems: Sequence[Problem]) -> None:
    """Print problems in the chosen format; with --format json, call it exactly once per command."""
    from exporter.writers.problems import problem_lines, use_colour

    output_format = _setting("output_format", "text")
    if output_format != "text":
        for line in problem_lines(problems, output_format):
            click.echo(line)
        return
    colour = use_colour(sys.stderr.isatty(), os.environ)
    for line in problem_lines(problems, "text", colour=colour):
        click.echo(line, err=True, color=colour)


def _summary(text: str) -> None:
    """Say what a command did, unless asked for only problems or for one JSON document."""
    if not _setting("quiet", False) and _setting("output_format", "text") != "json":
        click.echo(text)


def _fail(problems: Sequence[Problem], noun: str = "problem") -> None:
    _report(problems)
    if not _setting("quiet", False) and _setting("output_format", "text") != "json":
        click.echo(f"failed: {_count(len(problems), noun)}", err=True)
    click.get_current_context().exit(1)


@contextmanager
def _progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A bar on stderr for a build that takes more than a moment; none off a terminal, in CI or with --quiet."""
    stream = sys.stderr
    if _setting("quiet", False) or not stream.isatty() or os.environ.get("CI"):
        yield None
        return
    started = time.monotonic()
    bars: list[Any] = []

    def show(done: int, total: int) -> None:
        if not bars:
            if time.monotonic() - started < PROGRESS_DELAY:
                return
            bars.append(click.progressbar(length=total, label=label, file=stream, show_eta=False).__enter__())
        bars[0].update(done - bars[0].pos)

    try:
        yield show
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flashcard-exporter", prog_name="flashcards")
def main() -> None:
    """Build Anki decks and CSV from reviewed flashcard definitions in YAML."""


@main.command("init")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--title", help="The deck's name in Anki (default: made from DIR's name).")
def init_command(folder: Path, title: str | None) -> None:
    """Create a new card set in DIR: a deck file, one card of each kind and a README; it builds at once."""
    from exporter.commands.init import create_card_set

    written = create_card_set(folder, title=title)
    shown = shlex.quote(str(folder))
    click.echo(f"created a card set in {folder}:")
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"next: edit the cards, then\n  flashcards validate {shown}\n  flashcards build {shown}")


@main.command("validate")
@CARDS_ARGUMENT
@click.option("--strict", is_flag=True, help="Treat markup the sanitizer would remove as an error.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read every card file again, without using or writing CARDS/.flashcards-cache (same problems).",
)
@output_options("text", "json", "github")
def validate_command(cards: Path, strict: bool, no_cache: bool, output_format: str, quiet: bool) -> None:
    """Check the card set in CARDS (default: cards) and report every problem."""
    from exporter.pipeline.checked_stream import validate

    streamed = validate(cards, strict=strict, cache=not no_cache).streamed
    if streamed.errors:
        raise ExporterError.from_problems(streamed.problems)
    _report(streamed.warnings)
    _summary(
        f"ok: {_count(streamed.card_count, 'card definition')} in {_count(streamed.topic_count, 'topic file')}"
        + (f", {_count(len(streamed.warnings), 'warning')}" if streamed.warnings else "")
    )


@main.command("build")
@CARDS_ARGUMENT
@click.option(
    "-o",
    "--output",
    "output",
    default="dist",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder to write the decks into; its ledger.json is the last release.",
)
@click.option("--strict", is_flag=True, help="Treat markup the sanitizer would remove as an error.")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if the output folder is not exactly what the sources build.",
)
@click.option(
    "--allow-deck-rename",
    is_flag=True,
    help="Rename a deck or subdeck although learners' existing cards stay under the old name.",
)
@click.option(
    "--allow-schema-change",
    is_flag=True,
    help="Ship a note type whose fields or templates changed (learners must tick 'Merge note types').",
)
@click.option(
    "--allow-reuse",
    "reused_ids",
    multiple=True,
    metavar="CARD_ID",
    help="Keep this card id although its content was replaced (it keeps learners' history). Repeatable.",
)
@click.option(
    "--approved-only",
    is_flag=True,
    help="Ship only cards whose status is approved; others stay out (and are retired if learners have them).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read every card file again, without using or writing CARDS/.flashcards-cache (same outputs).",
)
@output_options("text", "json", "github")
def build_command(
    cards: Path,
    output: Path,
    strict: bool,
    check: bool,
    allow_deck_rename: bool,
    allow_schema_change: bool,
    reused_ids: tuple[str, ...],
    approved_only: bool,
    no_cache: bool,
    output_format: str,
    quiet: bool,
) -> None:
    """Validate CARDS, then write the .apkg, the CSV files, the release ledger and CHANGELOG.md."""
    from exporter.pipeline.build import build, stale_files
    from exporter.release.comparison import Consent

    if check:
        stale = stale_files(cards, output)
        if stale:
            _fail(
                [
                    Problem(Location(str(output / name)), "stale; run 'flashcards build' and commit the result")
                    for name in stale
                ],
                "stale file",
            )
        _report([])
        _summary(f"ok: {output} is exactly what {cards} builds")
        return
    consent = Consent(
        deck_rename=allow_deck_rename, schema_change=allow_schema_change, reused_ids=frozenset(reused_ids)
    )
    with _progress_bar("building") as progress:
        built = build(
            cards,
            output,
            strict=strict,
            consent=consent,
            approved_only=approved_only,
            progress=progress,
            cache=not no_cache,
        )
    _report(built.warnings)
    _summary(
        f"built {built.deck.title} {built.deck.version}: {_count(built.note_count, 'note')}, "
        f"{_count(built.card_count, 'card')}"
        + (" (approved cards only)" if approved_only else "")
        + "".join(f"\n  {path}" for path in built.paths)
    )


@main.command("diff")
@CARDS_ARGUMENT
@click.option(
    "-o",
    "--output",
    "output",
    default="dist",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder holding the last release (its ledger.json).",
)
def diff_command(cards: Path, output: Path) -> None:
    """Show what building CARDS now would change for learners, as the changelog will say it."""
    from exporter.pipeline.whole_deck import pending_changes
    from exporter.writers.changelog import changes_markdown

    previous, changes, labels = pending_changes(cards, output)
    click.echo(f"Changes since {previous.version or 'nothing (first release)'}:\n")
    click.echo("\n".join(changes_markdown(changes, labels)).rstrip())


@main.command("review")
@CARDS_ARGUMENT
@click.option(
    "-o",
    "--output",
    "output",
    default="dist/review.html",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The page to write; the ledger.json beside it is the last release, to show what changed.",
)
@click.option(
    "--source",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The training text (plain text): show beside each card the passage its source points to.",
)
@click.option("--status", type=click.Choice(REVIEW_STATUSES), help="Show only the cards with this review status.")
def review_command(cards: Path, output: Path, source: Path | None, status: str | None) -> None:
    """Write one offline HTML page showing every card of CARDS as learners will see it, for reviewers."""
    from exporter.commands.review import write_review_page

    page = write_review_page(cards, output, source=source, status=status).page
    shown = [item for item in page.cards if status is None or item.card.review.status == status]
    drafts = sum(item.card.review.status == "draft" for item in page.cards)
    click.echo(
        f"wrote {output}: {_count(len(shown), 'card definition')} "
        f"({_count(sum(len(item.sides) for item in shown), 'Anki card')}), "
        f"{drafts} of {len(page.cards)} awaiting review"
    )


@main.command("coverage")
@CARDS_ARGUMENT
@click.option(
    "--source",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The training text the cards are written from, as plain text.",
)
@click.option(
    "--ignore",
    "ignored",
    multiple=True,
    metavar="WORD",
    help="A word in capitals that is not an acronym to teach. Repeatable.",
)
@output_options("text", "json", "github")
def coverage_command(cards: Path, source: Path, ignored: tuple[str, ...], output_format: str, quiet: bool) -> None:
    """List the acronyms the training text uses that no card of CARDS teaches, and card sources not in it."""
    from exporter.commands.review import coverage_report

    coverage = coverage_report(cards, source, ignore=ignored)
    if coverage.uncovered or coverage.dangling:
        raise ExporterError.from_problems(coverage.problems())
    _report([])
    _summary(
        f"ok: every one of the {len(coverage.used)} acronyms in {source} has a card, "
        "and every card's source is in it"
    )


@main.command("stats")
@CARDS_ARGUMENT
@output_options("text", "json", quiet=False)
def stats_command(cards: Path, output_format: str) -> None:
    """Count the cards of CARDS per subdeck, kind, learning outcome, review status and tag; the longest cards."""
    from exporter.commands.stats import card_set_stats, stats_json, stats_text

    stats = card_set_stats(cards)
    click.echo(stats_json(stats) if output_format == "json" else stats_text(stats))
