"""`flashcards handout`: check the cards, render every Anki card as the phone shows it, and write the printable
page of fold-over cards."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exporter.commands.review import checked_deck, inline_images
from exporter.pipeline.output import locked_output, refuse_file_output, write_files
from exporter.pipeline.whole_deck import shipped_notes
from exporter.rendering.templating import render_cards
from exporter.writers.handout import HandoutCard, handout_html


@dataclass(frozen=True, slots=True)
class Handout:
    """A handout written, and how many cards it holds."""

    path: Path
    card_count: int


def write_handout(cards_dir: Path, output: Path) -> Handout:
    """Write the handout of every card of the set (in deck order) to output."""
    refuse_file_output(cards_dir, output, "the handout", "handout.html")
    deck, checked = checked_deck(cards_dir)
    notes, media = shipped_notes(deck, checked.media)
    cards = [
        HandoutCard(note.card.id, note.deck_name.rsplit("::", 1)[-1], sides)
        for note in notes
        for sides in render_cards(note)
    ]
    data = handout_html(deck, cards, inline_images(media)).encode("utf-8")
    with locked_output(output.parent):
        (path,) = write_files(output.parent, {output.name: data})
    return Handout(path, len(cards))
