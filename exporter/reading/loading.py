"""A card folder's deck file and topic files → the typed model, each read the quickest way that is exact.

A file is first composed by libyaml's quick composer (a big topic file in pieces, see pieces); that result is
kept only when the file has no problem at all. Otherwise the careful composer reads the file again, so every
message is the careful composer's. Bytes and text are files' work, composing composing's, nodes into the
model schema's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

import yaml

from exporter.errors import Location, Problem
from exporter.model import Deck, Topic
from exporter.reading import composing
from exporter.reading.collector import collector_paused
from exporter.reading.composing import NotQuick, compose
from exporter.reading.files import Unreadable, decode_text
from exporter.reading.nodes import NodeReader
from exporter.reading.pieces import MapPieces, card_pieces, read_in_turn, read_pieces
from exporter.reading.schema import FileAbandoned, read_cards, read_deck, read_topic_head

Read = TypeVar("Read")


@dataclass(frozen=True)
class _FileKind(Generic[Read]):
    """How a kind of card file is read from its nodes."""

    #: what the file gives, from its root node; None when it is unusable (the problem noted)
    read: Callable[[NodeReader, yaml.Node], Read | None]
    #: the message for a file with nothing in it
    empty: str
    #: what the file gives from the node of its head and its cards' pieces (see card_pieces); None for a kind
    #: never read in pieces
    read_in_pieces: Callable[[NodeReader, yaml.Node, list[tuple[str, int]]], Read | None] | None = None


_DECK_FILE_KIND: _FileKind[Deck] = _FileKind(
    read_deck, "the file is empty; a deck file needs id, title, version and outcomes"
)


def read_deck_file(data: bytes, shown: str) -> tuple[Deck | None, list[Problem]]:
    """What reading the deck file's bytes gives: a Deck with no topics yet (None if unusable), and its problems."""
    return read_file_bytes(data, shown, _DECK_FILE_KIND)


def read_topic_file(
    data: bytes, shown: str, map_pieces: MapPieces = read_in_turn
) -> tuple[Topic | None, list[Problem]]:
    """What reading one topic file's bytes gives: its Topic (None if unusable) and the problems found in it.

    A big file's cards are read in pieces, through map_pieces: the pipeline passes one that uses both cores."""

    def read_in_pieces(reader: NodeReader, node: yaml.Node, texts: list[tuple[str, int]]) -> Topic | None:
        head = read_topic_head(reader, node)
        return None if head is None else read_pieces(reader, head[0], texts, map_pieces)

    kind = _FileKind(
        _read_topic, "the file has no cards; a topic file needs 'subdeck:' and 'cards:'", read_in_pieces
    )
    return read_file_bytes(data, shown, kind)


def _read_topic(reader: NodeReader, node: yaml.Node) -> Topic | None:
    """A whole topic file's topic."""
    head = read_topic_head(reader, node)
    if head is None:
        return None
    topic, values = head
    cards = read_cards(reader, values["cards"][0], topic.subdeck, topic.tags)
    return None if cards is None else replace(topic, cards=cards)


def read_file_bytes(data: bytes, shown: str, kind: _FileKind[Read]) -> tuple[Read | None, list[Problem]]:
    """What reading one file's bytes gives, and the problems found on the way."""
    reader = NodeReader(shown)
    try:
        with collector_paused():
            text = decode_text(data, shown)
            quick = _read_quickly(text, shown, kind)
            if quick is not None:
                return quick, []
            node = compose(text, shown)
            if node is None:
                reader.problem(Location(shown, 1, 1), kind.empty)
                return None, reader.problems
            return kind.read(reader, node), reader.problems
    except Unreadable as unreadable:
        reader.problems.append(unreadable.problem)
    except FileAbandoned:
        pass
    return None, reader.problems


def _read_quickly(text: str, shown: str, kind: _FileKind[Read]) -> Read | None:
    """The file read from libyaml's composer (in pieces first, if it can be), or None unless that gave no problem
    at all (the careful composer then reads it again, for the exact message)."""
    read_in_pieces = kind.read_in_pieces
    split = card_pieces(text) if read_in_pieces is not None else None
    if read_in_pieces is not None and split is not None:
        head, texts = split
        in_pieces = _quick_result(text, shown, head, lambda reader, node: read_in_pieces(reader, node, texts))
        if in_pieces is not None:
            return in_pieces
    return _quick_result(text, shown, text, kind.read)


def _quick_result(
    text: str, shown: str, composed: str, read: Callable[[NodeReader, yaml.Node], Read | None]
) -> Read | None:
    """What read gives from the nodes of composed (all or the head of text) by libyaml's composer, or None if it
    does not compose quickly, or reads to nothing or with a problem."""
    reader = NodeReader(shown, escapes="\\" in text)
    try:
        node = composing.quick_compose(composed)
        result = None if node is None else read(reader, node)
    except (NotQuick, FileAbandoned):
        return None
    return result if result is not None and not reader.problems else None
