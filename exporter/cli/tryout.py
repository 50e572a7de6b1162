"""The command that drops a try-out release before the first release for learners."""

from __future__ import annotations

from pathlib import Path

import click

from exporter.cli.console import CARDS_ARGUMENT, FOLDER_PATH, main, output_option


@main.command("discard-tryout")
@CARDS_ARGUMENT
@output_option("dist", "Folder holding the try-out release (its ledger.json).", FOLDER_PATH)
def discard_tryout_command(cards: Path, output: Path) -> None:
    """Remove the try-out release of CARDS from the output folder, so the next build is a first release.

    Only a try-out of this deck: refused if any release in the ledger is 1.0.0 or later (learners may have it)
    or the ledger is another deck's."""
    from exporter.commands.tryout import discard_tryout

    version, removed = discard_tryout(cards, output)
    click.echo(f"discarded the try-out release {version} from {output}:")
    for path in removed:
        click.echo(f"  {path}")
