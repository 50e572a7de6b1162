"""The reviewers' command: the review page, or the review sheet made and read back."""

from __future__ import annotations

from pathlib import Path

import click

from exporter.cli.console import CARDS_ARGUMENT, FILE_PATH, count, main, output_option
from exporter.review_states import STATE_CHOICES, in_states


@main.command("review")
@CARDS_ARGUMENT
@output_option(
    "dist/review.html",
    "The page to write; the ledger.json beside it is the last release, to show what changed.",
    FILE_PATH,
)
@click.option(
    "--source",
    type=FILE_PATH,
    help="The training text (plain text): show beside each card the passage its source points to.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(tuple(STATE_CHOICES)),
    help="Show only the cards in this review state (to-review: all but approved). Repeatable with --sheet.",
)
@click.option(
    "--sheet",
    type=FILE_PATH,
    help="Write a review sheet (.xlsx) for Excel or LibreOffice instead of the page.",
)
@click.option(
    "--apply",
    "applied",
    type=FILE_PATH,
    help="Write the decisions of a filled-in review sheet (.xlsx) into the card files.",
)
@click.option(
    "--lang",
    help="Review a language edition instead: every English text beside its translation, stale and missing "
    "ones marked (written to review.LANG.html unless -o is given).",
)
def review_command(
    cards: Path,
    output: Path,
    source: Path | None,
    statuses: tuple[str, ...],
    sheet: Path | None,
    applied: Path | None,
    lang: str | None,
) -> None:
    """Write one offline HTML page showing every card of CARDS as learners will see it, for reviewers; or a
    review sheet to fill in (--sheet); or write the decisions of a sheet a reviewer filled in into the cards
    (--apply); or a language edition's translations beside the English (--lang)."""
    if lang:
        _review_translation(cards, output, lang, sheet=sheet, applied=applied)
        return
    states = tuple(STATE_CHOICES[status] for status in statuses)
    if sheet is not None or applied is not None:
        _review_sheet(cards, sheet=sheet, applied=applied, source=source, states=states)
        return
    if len(states) > 1:
        raise click.UsageError("the review page takes one --status")
    from exporter.commands.review import write_review_page

    status = states[0] if states else None
    page = write_review_page(cards, output, source=source, status=status).page
    shown = [item for item in page.cards if in_states(item.card.review_state, states)]
    drafts = sum(item.card.review_state != "approved" for item in page.cards)
    click.echo(
        f"wrote {output}: {count(len(shown), 'card definition')} "
        f"({count(sum(len(item.sides) for item in shown), 'Anki card')}), "
        f"{drafts} of {len(page.cards)} awaiting review"
    )


def _review_translation(cards: Path, output: Path, lang: str, *, sheet: Path | None, applied: Path | None) -> None:
    if sheet is not None or applied is not None:
        raise click.UsageError("--lang writes the translation review page; it takes no --sheet or --apply")
    from exporter.cli.translations import review_translation

    review_translation(cards, output, lang)


def _review_sheet(
    cards: Path, *, sheet: Path | None, applied: Path | None, source: Path | None, states: tuple[str, ...]
) -> None:
    from exporter.commands.review_sheet import apply_review_sheet, write_review_sheet

    if sheet is not None and applied is not None:
        raise click.UsageError("give --sheet (make a sheet) or --apply (read one back), not both")
    if sheet is not None:
        rows = write_review_sheet(cards, sheet, source=source, states=states)
        click.echo(f"wrote {sheet}: {count(rows, 'card definition')} to review; send it to the reviewer")
        return
    assert applied is not None
    done = apply_review_sheet(cards, applied)
    for card_id in done.approved:
        click.echo(f"approved: {card_id}")
    for card_id in done.needs_change:
        click.echo(f"needs change: {card_id}")
    click.echo(
        f"applied {applied}: {len(done.approved)} approved, {len(done.needs_change)} need change, "
        f"{count(len(done.files), 'card file')} changed"
        + ("" if not done.files else ": " + ", ".join(str(path) for path in done.files))
    )
    if done.texts is not None:
        click.echo(
            f"kept the approved text of each approved card in {done.texts} (diff and the review page show it)"
        )
    if done.files:
        click.echo(
            "next: run 'flashcards build' (it updates only the spreadsheet CSV's review columns), then commit "
            "cards/ and dist/ together"
        )
