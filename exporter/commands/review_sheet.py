"""The review sheet round trip: `flashcards review --sheet` writes the cards into an .xlsx for a reviewer, and
`flashcards review --apply` writes the reviewer's decisions back into the card files, all rows or none."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from exporter.checking.training_text import Material
from exporter.commands.review import checked_deck, read_training_text
from exporter.errors import ExporterError, Location, Problem, shorten
from exporter.model import Card, Deck
from exporter.pipeline.output import locked_output, refuse_file_output, write_files
from exporter.reading.approved_texts import (
    APPROVED_TEXTS_FILE,
    approved_text,
    approved_texts_text,
    read_approved_texts_file,
)
from exporter.reading.files import topic_file_bytes
from exporter.reading.loading import read_topic_file
from exporter.rendering.plain_text import card_sides
from exporter.review_states import in_states
from exporter.writers.review_decisions import Decision, decision_problems, read_decisions
from exporter.writers.review_lines import with_reviews
from exporter.writers.review_sheet import APPROVE, SheetDeck, SheetRow, sheet_xlsx

#: Excel keeps at most this many characters in a cell.
_CELL_LIMIT = 32_000


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying a sheet did: each card's new status, the card files changed and the approved texts file."""

    approved: tuple[str, ...]
    needs_change: tuple[str, ...]
    files: tuple[Path, ...]
    #: the approved texts file, when applying changed it
    texts: Path | None = None


def write_review_sheet(
    cards_dir: Path, output: Path, *, source: Path | None = None, states: Collection[str] = ()
) -> int:
    """Write the review sheet of the cards in these review states (all when empty); the number of rows."""
    refuse_file_output(cards_dir, output, "the review sheet", "review.xlsx")
    deck, _ = checked_deck(cards_dir)
    material = Material.parse(read_training_text(source)) if source is not None else None
    rows = [_sheet_row(card, material) for card in deck.cards if in_states(card.review_state, states)]
    data = sheet_xlsx(SheetDeck(deck.id, deck.title, deck.version), rows)
    with locked_output(output.parent):
        write_files(output.parent, {output.name: data})
    return len(rows)


def _sheet_row(card: Card, material: Material | None) -> SheetRow:
    front, back, extra = (side[:_CELL_LIMIT] for side in card_sides(card.kind, card.fields))
    review = card.review
    return SheetRow(
        id=card.id,
        kind=card.kind,
        subdeck=card.subdeck,
        front=front,
        back=back,
        extra=extra,
        source=card.source.describe(),
        passage=_passage(card, material),
        status=card.review_state
        + (f": {review.note}" if review.note and card.review_state == "needs-change" else ""),
        reviewed_by=review.by or "",
        reviewed_on=review.on or "",
        fingerprint=card.fingerprint,
    )


def _passage(card: Card, material: Material | None) -> str:
    """The whole slide (or section) the card cites, so the reviewer reads the passage, not a selection."""
    if material is None:
        return ""
    lines = None
    if card.source.slide is not None:
        lines = material.slide_passage(card.source.slide)
    if lines is None and card.source.section:
        lines = material.section_passage(card.source.section)
    if lines is None:
        return "(not found in the training text)"
    return "\n".join(material.lines[number - 1].strip() for number in lines).strip()[:_CELL_LIMIT]


def apply_review_sheet(cards_dir: Path, sheet: Path, *, today: datetime.date | None = None) -> Applied:
    """Write the decisions of a filled-in sheet into the card files; refuse every row, and write nothing, if one
    row is wrong or its card has changed since the sheet was made."""
    deck, _ = checked_deck(cards_dir)
    shown = str(sheet)
    data = _sheet_bytes(sheet)
    cards = {card.id: card for card in deck.cards}
    decisions = read_decisions(data, shown, deck_id=deck.id, cards=len(cards))
    problems = _row_problems(decisions, cards, shown)
    if problems:
        raise ExporterError.from_problems(problems)
    date = (today or datetime.date.today()).isoformat()
    by_file: dict[str, list[Decision]] = {}
    for decision in decisions:
        by_file.setdefault(cards[decision.card_id].location.path, []).append(decision)
    approved = tuple(d.card_id for d in decisions if d.decision == APPROVE)
    with locked_output(Path(cards_dir)):
        new_texts = {
            path: _file_with_reviews(Path(path), Path(cards_dir), rows, date) for path, rows in by_file.items()
        }
        changed = {Path(path).name: text.encode("utf-8") for path, text in new_texts.items() if text is not None}
        kept = _approved_texts(Path(cards_dir), deck, [cards[card_id] for card_id in approved])
        if changed or kept:
            write_files(Path(cards_dir), changed | kept)
    return Applied(
        approved=approved,
        needs_change=tuple(d.card_id for d in decisions if d.decision != APPROVE),
        files=tuple(Path(cards_dir) / name for name in changed),
        texts=Path(cards_dir) / APPROVED_TEXTS_FILE if kept else None,
    )


def _approved_texts(cards_dir: Path, deck: Deck, approved: list[Card]) -> dict[str, bytes]:
    """The approved texts file with these cards' content as approved now, if that changes it: written with the
    card files, all or nothing. Entries of cards no longer in the deck (nor renamed from) are dropped."""
    texts, old_data = read_approved_texts_file(cards_dir)
    known = {card.id for card in deck.cards} | {card.renamed_from for card in deck.cards if card.renamed_from}
    kept = {card_id: text for card_id, text in texts.items() if card_id in known}
    kept |= {card.id: approved_text(card) for card in approved}
    data = approved_texts_text(kept).encode("utf-8")
    if data == old_data:
        return {}
    return {APPROVED_TEXTS_FILE: data}


def _sheet_bytes(sheet: Path) -> bytes:
    try:
        return sheet.read_bytes()
    except FileNotFoundError:
        raise ExporterError(
            Location(str(sheet)), "no such file; give the review sheet the reviewer sent back"
        ) from None
    except OSError as error:
        raise ExporterError(Location(str(sheet)), f"cannot read the sheet: {error.strerror or error}") from None


def _row_problems(decisions: list[Decision], cards: dict[str, Card], shown: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for decision in decisions:
        where = Location(shown, decision.row)
        head = f"row {decision.row} ({shorten(decision.card_id)})"
        card = cards.get(decision.card_id)
        if not decision.card_id:
            problems.append(Problem(where, f"row {decision.row}: no card id; put back the id the row had"))
        elif card is None:
            problems.append(
                Problem(where, f"{head}: no card has this id in the deck; put back the id the row had")
            )
        elif decision.card_id in seen:
            problems.append(
                Problem(where, f"{head}: the card is also on row {seen[decision.card_id]}; keep one row per card")
            )
        elif decision.fingerprint != card.fingerprint:
            problems.append(
                Problem(
                    where,
                    f"{head}: the card has changed since the sheet was made; make a new sheet "
                    "(flashcards review --sheet) and review the card again",
                )
            )
        seen.setdefault(decision.card_id, decision.row)
        problems.extend(decision_problems(decision, shown))
    return problems


def _file_with_reviews(path: Path, root: Path, decisions: list[Decision], date: str) -> str | None:
    """The file's new text, checked by reading it back: the same cards, with the reviews asked for."""
    found = topic_file_bytes(path, root)
    if isinstance(found, Problem):
        raise ExporterError(found.location, found.message)
    data, shown = found
    topic, problems = read_topic_file(data, shown)
    if topic is None or any(problem.severity == "error" for problem in problems):
        raise ExporterError(Location(shown), "the file changed while the sheet was applied; apply it again")
    cards = {card.id: card for card in topic.cards}
    edits = [
        (cards[decision.card_id], _review_values(decision, cards[decision.card_id], date))
        for decision in decisions
    ]
    text = data.decode("utf-8-sig")
    new_text = with_reviews(text, edits)
    _check_rewritten(new_text, shown, cards, edits)
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    return None if new_text == text else bom + new_text


def _review_values(decision: Decision, card: Card, date: str) -> dict[str, str | None]:
    approve = decision.decision == APPROVE
    return {
        "status": "approved" if approve else "needs-change",
        "reviewed_by": decision.reviewer,
        "reviewed_on": date,
        "review_note": decision.comment or None,
        "approved_fingerprint": card.fingerprint if approve else None,
    }


def _check_rewritten(
    text: str, shown: str, cards: dict[str, Card], edits: list[tuple[Card, dict[str, str | None]]]
) -> None:
    """Read the new text back: every card as before but for the review keys asked for, or nothing is written."""
    topic, problems = read_topic_file(text.encode("utf-8"), shown)
    asked = {card.id: values for card, values in edits}
    again = {card.id: card for card in topic.cards} if topic is not None else {}
    for card_id, card in cards.items():
        new = again.get(card_id)
        same = new is not None and (new.fields, new.kind, new.source, new.tags, new.outcomes) == (
            card.fields,
            card.kind,
            card.source,
            card.tags,
            card.outcomes,
        )
        values = asked.get(card_id)
        if same and new is not None and values is not None:
            review = new.review
            same = (review.status, review.by, review.on, review.note, review.fingerprint) == tuple(values.values())
        if not same:
            raise ExporterError(
                card.location,
                f"the review of card '{card_id}' could not be written without changing other lines; nothing "
                "was written. Write its review by hand, or report this",
            )
