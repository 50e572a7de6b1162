"""The commands: each reads its options, runs one library call (the pipeline with its sinks) and prints."""

from __future__ import annotations

from pathlib import Path

import click

from exporter.cli.console import (
    ANY_PATH,
    CARDS_ARGUMENT,
    FILE_PATH,
    PROBLEM_FORMATS,
    built_summary,
    count,
    fail,
    main,
    output_option,
    output_options,
    progress_bar,
    report,
    summary,
)
from exporter.errors import ExporterError, Location, Problem


@main.command("init")
@click.argument("folder", metavar="DIR", type=ANY_PATH)
@click.option("--title", help="The deck's name in Anki (default: made from DIR's name).")
@click.option(
    "--allow-nested",
    is_flag=True,
    help="Make the card set even inside another card set or a repository holding one (refused otherwise).",
)
def init_command(folder: Path, title: str | None, allow_nested: bool) -> None:
    """Create a new card set in DIR: a deck file, one card of each kind and a README; it builds at once."""
    from exporter.commands.init import create_card_set

    written = create_card_set(folder, title=title, allow_nested=allow_nested)
    import shlex  # here: only init needs it, and every command's start-up would pay for it

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
@output_options(*PROBLEM_FORMATS)
def validate_command(cards: Path, strict: bool, no_cache: bool, output_format: str, quiet: bool) -> None:
    """Check the card set in CARDS (default: cards) and report every problem."""
    from exporter.pipeline.checked_stream import validate

    streamed = validate(cards, strict=strict, cache=not no_cache).streamed
    if streamed.errors:
        raise ExporterError.from_problems(streamed.problems)
    report(streamed.warnings)
    summary(
        f"ok: {count(streamed.card_count, 'card definition')} in {count(streamed.topic_count, 'topic file')}"
        + (f", {count(len(streamed.warnings), 'warning')}" if streamed.warnings else "")
    )


def _check_output(cards: Path, output: Path, download_url: str) -> None:
    from exporter.pipeline.build import stale_files

    stale = stale_files(cards, output, download_url=download_url)
    if stale:
        fail(
            [
                Problem(Location(str(output / name)), "stale; run 'flashcards build' and commit the result")
                for name in stale
            ],
            "stale file",
        )
    report([])
    summary(f"ok: {output} is exactly what {cards} builds")


def _checked_download_url(context: click.Context, parameter: click.Parameter, value: str) -> str:
    from exporter.reading.addresses import download_url_fault

    fault = download_url_fault(value) if value else None
    if fault:
        raise click.BadParameter(f"'{value}' {fault}")
    return value


@main.command("build")
@CARDS_ARGUMENT
@output_option("dist", "Folder to write the decks into; its ledger.json is the last release.")
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
    "--allow-move",
    "moved_ids",
    multiple=True,
    metavar="CARD_ID",
    help="Move this card to another subdeck although learners who have it keep it in the old one. Repeatable.",
)
@click.option(
    "--new-history",
    is_flag=True,
    help="Start the release history again although the output folder holds a release whose ledger is missing.",
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
@click.option(
    "--download-url",
    metavar="URL",
    default="",
    callback=_checked_download_url,
    help="Where learners download the .apkg (https): the install sheet shows it with a QR code. "
    "Default: deck.yaml's download_url.",
)
@output_options(*PROBLEM_FORMATS)
def build_command(
    cards: Path,
    output: Path,
    strict: bool,
    check: bool,
    allow_deck_rename: bool,
    allow_schema_change: bool,
    reused_ids: tuple[str, ...],
    moved_ids: tuple[str, ...],
    new_history: bool,
    approved_only: bool,
    no_cache: bool,
    download_url: str,
    output_format: str,
    quiet: bool,
) -> None:
    """Validate CARDS, then write the .apkg, the CSV files, the release ledger, CHANGELOG.md and the learners'
    install sheet."""
    from exporter.pipeline.build import build
    from exporter.release.comparison import Consent

    if check:
        _check_output(cards, output, download_url)
        return
    consent = Consent(
        deck_rename=allow_deck_rename,
        schema_change=allow_schema_change,
        reused_ids=frozenset(reused_ids),
        moved_ids=frozenset(moved_ids),
        new_history=new_history,
    )
    with progress_bar("building") as progress:
        built = build(
            cards,
            output,
            strict=strict,
            consent=consent,
            approved_only=approved_only,
            progress=progress,
            cache=not no_cache,
            download_url=download_url,
        )
    report(built.warnings)
    summary(built_summary(built, approved_only=approved_only))


@main.command("diff")
@CARDS_ARGUMENT
@output_option("dist", "Folder holding the last release (its ledger.json).")
def diff_command(cards: Path, output: Path) -> None:
    """Show what building CARDS now would change for learners, as the changelog will say it."""
    from exporter.pipeline.whole_deck import pending_changes
    from exporter.writers.approval_diff import approval_markdown
    from exporter.writers.changelog import changes_markdown, texts_of

    pending = pending_changes(cards, output)
    click.echo(f"Changes since {pending.previous.version or 'nothing (first release)'}:\n")
    lines = [
        *changes_markdown(pending.changes, pending.deck_title, texts_of(pending.labels, pending.answers)),
        *approval_markdown(pending.approvals, pending.labels),
    ]
    click.echo("\n".join(lines).rstrip())


@main.command("handout")
@CARDS_ARGUMENT
@output_option("dist/handout.html", "The page to write (HTML; print it on A4 from any browser).", FILE_PATH)
def handout_command(cards: Path, output: Path) -> None:
    """Write a printable page of fold-over cards from CARDS: question left, answer right, as the phone shows them."""
    from exporter.commands.handout import write_handout

    handout = write_handout(cards, output)
    click.echo(f"wrote {handout.path}: {count(handout.card_count, 'card')} to print on A4, cut and fold")


@main.command("coverage")
@CARDS_ARGUMENT
@click.option(
    "--source",
    required=True,
    type=FILE_PATH,
    help="The training text the cards are written from, as plain text.",
)
@click.option(
    "--ignore",
    "ignored",
    multiple=True,
    metavar="WORD",
    help="A word in capitals that is not an acronym to teach. Repeatable.",
)
@output_options(*PROBLEM_FORMATS)
def coverage_command(cards: Path, source: Path, ignored: tuple[str, ...], output_format: str, quiet: bool) -> None:
    """List the acronyms the training text uses that no card of CARDS teaches, card sources not in it, and (as
    warnings) cards whose answer is not in the passage of the slide they cite."""
    from exporter.commands.review import coverage_report

    coverage = coverage_report(cards, source, ignore=ignored)
    if coverage.uncovered or coverage.dangling:
        raise ExporterError.from_problems(coverage.problems())
    warnings = coverage.problems()
    report(warnings)
    summary(
        f"ok: every one of the {len(coverage.used)} acronyms in {source} has a card, "
        "and every card's source is in it" + (f", {count(len(warnings), 'warning')}" if warnings else "")
    )


@main.command("stats")
@CARDS_ARGUMENT
@output_options("text", "json", quiet=False)
def stats_command(cards: Path, output_format: str) -> None:
    """Count the cards of CARDS per subdeck, kind, learning outcome, review status and tag; the longest cards."""
    from exporter.commands.stats import card_set_stats
    from exporter.writers.stats import stats_json, stats_text

    stats = card_set_stats(cards)
    click.echo(stats_json(stats) if output_format == "json" else stats_text(stats))
