"""One topic file made ready to ship: read, checked, rendered and formatted for every output, once.

Every command streams the card set chunk by chunk (see checked_stream.py), so a build never holds every card
at once, and a rebuild takes an unchanged file's chunk from the cache whole. What a chunk holds depends only on
the file and its Context, never on the last release: comparing with that is the release writer's work.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exporter.errors import Location, Problem
from exporter.model import Card, Topic
from exporter.pipeline.context import Context

if TYPE_CHECKING:
    from exporter.checking.deck_rules import IdPlace
    from exporter.pipeline.shipped import PackedNotes, ShippedNote
    from exporter.reading.pieces import Piece


@dataclass(frozen=True, slots=True)
class Chunk:
    """What one topic file (or piece of a big one) gives the pipeline; what it keeps depends on Context.keeps."""

    problems: tuple[Problem, ...]
    #: every card's id and where it is written, to find an id used twice across files
    ids: tuple[IdPlace, ...]
    #: the media each card refers to (all cards), and those the shipped cards refer to
    used_media: tuple[tuple[str, Location], ...]
    shipped_media: tuple[str, ...]
    #: the file's Anki deck name and where the file starts, or None when it could not be read
    deck_name: str | None
    location: Location | None
    card_count: int
    #: empty when the file has errors: nothing of it will be shipped
    notes: tuple[ShippedNote, ...]
    #: the notes packed for writing: a chunk is written, and kept, packed (see packed())
    packs: tuple[PackedNotes, ...] = ()
    #: when the context keeps cards: the file's topic (with no cards) on the chunk that starts the file, and the
    #: cards of the chunk
    topic: Topic | None = None
    cards: tuple[Card, ...] = ()
    #: the English name of the file's subdeck (on the chunk that starts the file)
    subdeck: str | None = None
    #: in a language edition: the shipped texts, and those of them shipped in English for want of a translation
    translation_counts: tuple[int, int] = (0, 0)
    #: in a language edition: the contexts of every card's texts, to find translations of nothing
    contexts: tuple[str, ...] = ()

    @property
    def note_count(self) -> int:
        """How many notes the chunk ships, packed or not."""
        return len(self.notes) + sum(len(packed.keys) for packed in self.packs)

    def packed(self) -> Chunk:
        """This chunk with its notes packed."""
        if not self.notes:
            return self
        from exporter.pipeline.packed_notes import pack  # here: it brings SQLite and the .apkg writer

        return dataclasses.replace(self, notes=(), packs=self.packs + (pack(self.notes),))


def chunk_of(topic: Topic, reading_problems: list[Problem], context: Context) -> Chunk:
    """The chunk of a topic that was read, with the problems reading it found."""
    from exporter.checking.validation import topic_head_problems

    head = topic_head_problems(topic, has_cards=bool(topic.cards))
    return _cards_chunk(topic.cards, reading_problems + head, context, topic.tags, topic)


def head_chunk(topic: Topic, context: Context) -> Chunk:
    """What the head of a big topic file read in pieces gives (its cards come in compile_piece's chunks)."""
    from exporter.checking.validation import topic_head_problems

    problems = list(topic_head_problems(topic, has_cards=True))
    deck_name = context.subdeck_name(topic.subdeck, problems)
    return Chunk(
        tuple(problems),
        (),
        (),
        (),
        deck_name,
        topic.location,
        0,
        (),
        topic=topic if context.keeps == "cards" else None,
        subdeck=topic.subdeck,
    )


def compile_piece(item: tuple[Piece, Context]) -> Chunk | None:
    """The chunk of one piece of a big topic file, or None if the piece does not read quickly (module level: a
    helper process runs it too)."""
    from exporter.reading.pieces import read_piece

    piece, context = item
    read = read_piece(piece)
    if read is None or read[1]:
        return None
    return _cards_chunk(read[0], [], context, piece.tags, None)


def _cards_chunk(
    cards: tuple[Card, ...],
    problems: list[Problem],
    context: Context,
    file_tags: tuple[str, ...],
    topic: Topic | None,
) -> Chunk:
    # here, not at the top: a command whose every topic file is in its cache checks and renders no card
    from exporter.checking.deck_rules import id_places
    from exporter.checking.media import media_used_by
    from exporter.checking.validation import cards_problems
    from exporter.rendering.translation import card_texts, edition_card

    deck = context.header()
    problems = problems + cards_problems(deck, cards, file_tags, strict=context.strict)
    shipped: tuple[Card, ...] = (
        tuple(card for card in cards if card.review_state == "approved") if context.approved_only else cards
    )
    used = media_used_by(cards)
    notes: tuple[ShippedNote, ...] = ()
    counts = (0, 0)
    deck_name = None if topic is None else context.subdeck_name(topic.subdeck, problems)
    if context.keeps == "notes" and not any(problem.severity == "error" for problem in problems):
        media_names = dict(context.media_names)
        catalog = context.catalog()
        if catalog is not None:
            before = len(problems)
            shipped = tuple(edition_card(card, catalog, problems) for card in shipped)
            counts = (sum(len(card_texts(card)) for card in shipped), len(problems) - before)
        from exporter.pipeline.shipping import ship  # here: validate ships nothing (start-up time)
        from exporter.rendering.notes import render_note

        notes = tuple(ship(render_note(deck, card, media_names)) for card in shipped)
    return Chunk(
        problems=tuple(problems),
        ids=id_places(cards),
        used_media=tuple(used.items()),
        shipped_media=tuple(media_used_by(shipped)) if context.approved_only else tuple(used),
        deck_name=deck_name,
        location=topic.location if topic is not None else None,
        card_count=len(cards),
        notes=notes,
        **_kept_cards(context, topic, cards),
        subdeck=None if topic is None else topic.subdeck,
        translation_counts=counts,
        contexts=tuple(name for card in cards for name in card_texts(card)) if context.lang else (),
    )


def _kept_cards(context: Context, topic: Topic | None, cards: tuple[Card, ...]) -> dict[str, Any]:
    if context.keeps != "cards":
        return {}
    return {"topic": None if topic is None else dataclasses.replace(topic, cards=()), "cards": cards}


def remainder(whole: Chunk, given_problems: list[Problem], given_ids: int, given_notes: int) -> Chunk:
    """What a file's whole chunk holds beyond the chunks of its pieces already given, with these problems, ids
    and notes (its first pieces read quickly, a later one did not, so the file was read whole: the pieces' cards
    are its first cards)."""
    problems = list(whole.problems)
    for problem in given_problems:
        if problem in problems:  # always, as the same cards give the same problems
            problems.remove(problem)
    # (not the file's deck name and start: the head's chunk gave them)
    return Chunk(
        tuple(problems),
        whole.ids[given_ids:],
        whole.used_media,
        whole.shipped_media,
        None,
        None,
        whole.card_count - given_ids,
        whole.notes[given_notes:],
        cards=whole.cards[given_ids:],
    )


def joined(chunks: list[Chunk]) -> Chunk:
    """One chunk of a file's head and pieces (the first chunk is the head's)."""
    used: dict[str, Location] = {}
    for chunk in chunks:
        for name, where in chunk.used_media:
            used.setdefault(name, where)
    return Chunk(
        tuple(problem for chunk in chunks for problem in chunk.problems),
        tuple(card_id for chunk in chunks for card_id in chunk.ids),
        tuple(used.items()),
        tuple(dict.fromkeys(name for chunk in chunks for name in chunk.shipped_media)),
        chunks[0].deck_name,
        chunks[0].location,
        sum(chunk.card_count for chunk in chunks),
        tuple(note for chunk in chunks for note in chunk.notes),
        tuple(packed for chunk in chunks for packed in chunk.packs),
        chunks[0].topic,
        tuple(card for chunk in chunks for card in chunk.cards),
        chunks[0].subdeck,
        (
            sum(chunk.translation_counts[0] for chunk in chunks),
            sum(chunk.translation_counts[1] for chunk in chunks),
        ),
        tuple(name for chunk in chunks for name in chunk.contexts),
    )
