"""A big topic file read a piece of whole cards at a time, so its node tree is never in memory at once, and its
pieces can be read on two cores.

Pieces are composed only the quick way: should one not compose quickly, the whole file is read again (see
loading), so every message is the careful composer's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

import yaml

from exporter.errors import Problem
from exporter.model import Card, Topic
from exporter.reading import composing
from exporter.reading.composing import NotQuick
from exporter.reading.files import Unreadable, decode_text
from exporter.reading.nodes import NodeReader
from exporter.reading.schema import FileAbandoned, read_card, read_topic_head

#: Topic files larger than this are composed in pieces of about this many characters.
PIECE_CHARACTERS = 1_000_000
_CARDS_KEY = re.compile(r"^cards:[ ]*(?:#[^\n]*)?\n", re.MULTILINE)
_FIRST_ITEM = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*([ ]*)- ")


class Piece(NamedTuple):
    """One piece of a big topic file to read, with what its cards need from the rest of the file."""

    #: the path messages show
    path: str
    #: whether the file has a backslash (so an escape may have put a control character into a text)
    escapes: bool
    #: the topic's subdeck
    subdeck: str
    #: the topic file's tags
    tags: tuple[str, ...]
    #: the piece's text and the number of lines before it
    text: tuple[str, int]


#: The cards of a piece and the problems found in them.
PieceRead = tuple[tuple[Card, ...], list[Problem]]
#: How the pieces of a big file are read: read_in_turn, or the pipeline's mapper that uses both cores.
MapPieces = Callable[[Callable[[Piece], PieceRead], Sequence[Piece], Sequence[int]], Sequence[PieceRead]]


def card_pieces(text: str) -> tuple[str, list[tuple[str, int]]] | None:
    """Split a big topic file ending in its 'cards:' list into the text before the list and pieces of whole cards,
    each with the number of lines before it; None for a small file or one laid out otherwise.

    A piece boundary is a line starting a list item at the indentation of the first card. Should one fall inside a
    quoted text or a bracket that spans lines, the piece before it does not compose and the caller reads the
    whole file instead.
    """
    if len(text) <= PIECE_CHARACTERS or "\r" in text:
        return None
    key = _CARDS_KEY.search(text)
    item = _FIRST_ITEM.match(text, key.end()) if key else None
    if key is None or item is None:
        return None
    marker = "\n" + item.group(1) + "- "
    pieces = []
    start, lines = key.end(), text.count("\n", 0, key.end())
    while start < len(text):
        boundary = text.find(marker, start + PIECE_CHARACTERS)
        end = len(text) if boundary == -1 else boundary + 1
        pieces.append((text[start:end], lines))
        lines += text.count("\n", start, end)
        start = end
    return text[: key.end()], pieces


def read_in_turn(
    read: Callable[[Piece], PieceRead], pieces: Sequence[Piece], sizes: Sequence[int]
) -> list[PieceRead]:
    """Read each piece here, one after another."""
    return [read(piece) for piece in pieces]


def topic_in_pieces(data: bytes, shown: str) -> tuple[Topic, list[Piece]] | None:
    """A big topic file's head, read (a Topic with no cards yet), and the pieces to read its cards in (read_piece);
    None for a small file, one laid out otherwise or one whose head is not plain (read it whole then)."""
    try:
        text = decode_text(data, shown)
    except Unreadable:
        return None
    split = card_pieces(text)
    if split is None:
        return None
    head, texts = split
    reader = NodeReader(shown, escapes="\\" in text)
    try:
        node = composing.quick_compose(head)
        read = None if node is None else read_topic_head(reader, node)
    except (NotQuick, FileAbandoned):
        return None
    if read is None or reader.problems:
        return None
    topic = read[0]
    return topic, _pieces(reader, topic, texts)


def read_pieces(reader: NodeReader, topic: Topic, texts: list[tuple[str, int]], map_pieces: MapPieces) -> Topic:
    """The topic with the cards of its pieces (see card_pieces), their problems noted; NotQuick if one of them
    does not compose quickly."""
    found = map_pieces(_read_piece, _pieces(reader, topic, texts), [len(text) for text, _ in texts])
    for _, problems in found:
        reader.problems.extend(problems)
    return replace(topic, cards=tuple(card for piece_cards, _ in found for card in piece_cards))


def _pieces(reader: NodeReader, topic: Topic, texts: list[tuple[str, int]]) -> list[Piece]:
    return [Piece(reader.path, reader.escapes, topic.subdeck, topic.tags, text) for text in texts]


def read_piece(piece: Piece) -> PieceRead | None:
    """The cards of one piece of a big topic file and the problems found in them; None if the piece does not read
    quickly (the whole file must be read then)."""
    try:
        return _read_piece(piece)
    except NotQuick:
        return None


def _read_piece(piece: Piece) -> PieceRead:
    """The cards of one piece of a big topic file, and the problems found in them (module level: a helper
    process runs it too)."""
    text, lines_before = piece.text
    node = composing.quick_compose(text)
    if not isinstance(node, yaml.SequenceNode):
        raise NotQuick
    reader = NodeReader(piece.path, line_offset=lines_before, escapes=piece.escapes)
    read = (read_card(reader, card_node, piece.subdeck, piece.tags) for card_node in node.value)
    return tuple(card for card in read if card is not None), reader.problems
