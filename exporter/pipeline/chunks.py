"""One topic file made ready to ship: read, checked, rendered and formatted for every output, once.

Every command streams the card set chunk by chunk (see checked_stream.py), so a build never holds every card
at once, and a rebuild takes an unchanged file's chunk from the cache whole. What a chunk holds depends only on
the file and its Context, never on the last release: comparing with that is the release writer's work.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exporter.errors import Location, Problem
from exporter.model import Card, Deck, Topic
from exporter.pipeline.shipped import PackedNotes, ShippedNote

if TYPE_CHECKING:
    from exporter.checking.validation import IdPlace
    from exporter.reading.pieces import Piece
from exporter.rendering.notes import render_note


@dataclass(frozen=True, slots=True)
class Context:
    """Everything besides a topic file's bytes that decides its chunk (not the deck version: a release bump
    changes no chunk)."""

    deck_id: str
    title: str
    outcomes: tuple[tuple[str, str], ...]
    strict: bool
    approved_only: bool
    #: the media folder's files: the name cards use, and the name the package stores
    media_names: tuple[tuple[str, str], ...]
    #: what a chunk keeps besides the problems: "notes" rendered for writing (a build), "cards" read (the
    #: commands that look at the whole deck), or nothing more ("problems": validate)
    keeps: str = "notes"

    @classmethod
    def of(
        cls,
        deck: Deck,
        media_names: Mapping[str, str],
        *,
        strict: bool,
        approved_only: bool,
        keeps: str = "notes",
    ) -> Context:
        return cls(
            deck.id,
            deck.title,
            tuple(deck.outcomes.items()),
            strict,
            approved_only,
            tuple(sorted(media_names.items())),
            keeps,
        )

    def header(self) -> Deck:
        """The deck as a topic's cards see it: its id, title and outcomes."""
        return Deck(
            id=self.deck_id,
            title=self.title,
            version="",
            description="",
            source_title="",
            source_document="",
            outcomes=dict(self.outcomes),
            topics=(),
            location=Location(""),
        )

    def fingerprint(self) -> bytes:
        return json.dumps(
            [self.deck_id, self.title, self.outcomes, self.strict, self.approved_only, self.media_names]
            + ([] if self.keeps == "notes" else [self.keeps]),
            ensure_ascii=False,
        ).encode("utf-8", "surrogateescape")


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

    return Chunk(
        tuple(topic_head_problems(topic, has_cards=True)),
        (),
        (),
        (),
        context.header().subdeck_name(topic.subdeck),
        topic.location,
        0,
        (),
        topic=topic if context.keeps == "cards" else None,
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
    from exporter.checking.media import media_used_by
    from exporter.checking.validation import cards_problems, id_places

    deck = context.header()
    problems = problems + cards_problems(deck, cards, file_tags, strict=context.strict)
    shipped: tuple[Card, ...] = (
        tuple(card for card in cards if card.review_state == "approved") if context.approved_only else cards
    )
    used = media_used_by(cards)
    notes: tuple[ShippedNote, ...] = ()
    if context.keeps == "notes" and not any(problem.severity == "error" for problem in problems):
        media_names = dict(context.media_names)
        from exporter.pipeline.shipping import ship  # here: validate ships nothing (start-up time)

        notes = tuple(ship(render_note(deck, card, media_names)) for card in shipped)
    return Chunk(
        problems=tuple(problems),
        ids=id_places(cards),
        used_media=tuple(used.items()),
        shipped_media=tuple(media_used_by(shipped)) if context.approved_only else tuple(used),
        deck_name=deck.subdeck_name(topic.subdeck) if topic is not None else None,
        location=topic.location if topic is not None else None,
        card_count=len(cards),
        notes=notes,
        **_kept_cards(context, topic, cards),
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
    )
