"""YAML card files → the typed model, with the line and column of every piece.

Scalars are read as the text that was written (PyYAML's own constructors would turn ``no`` into False and
``1.10`` into 1.1), duplicate keys are refused, and nothing untyped leaves this module. Reading the bytes and
the YAML safely is yaml_reading's work, nodes into values node_reading's.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import yaml

from exporter.errors import Location, Problem, shorten
from exporter.model import KIND_FIELDS, Card, Deck, Review, Source, Topic
from exporter.reading.nodes import NodeReader, Values, describe, is_empty, suggestion
from exporter.reading.yaml_text import (
    NULLS,
    NotQuick,
    Unreadable,
    card_pieces,
    collector_paused,
    compose,
    decode_text,
    quick_compose,
    read_bytes,
)

DECK_FILE = "deck.yaml"
CARD_FILE_SUFFIXES = (".yaml", ".yml")

_CARD_COMMON_KEYS = ("id", "kind", "tags", "source", "outcomes", "status", "reviewed_by", "reviewed_on")
_DECK_KEYS = ("id", "title", "version", "description", "source", "outcomes")
_TOPIC_KEYS = ("subdeck", "tags", "cards")
# Most cards are drafts with no reviewer yet; they share one (frozen) review.
_DRAFT = Review()


#: A piece of a big topic file: its path, whether it has escapes, its subdeck and tags, and (text, first line).
Piece = tuple[str, bool, str, tuple[str, ...], tuple[str, int]]
PieceRead = tuple[tuple[Card, ...], list[Problem]]
#: How the pieces of a big file are read: read_in_turn, or the pipeline's mapper that uses both cores
MapPieces = Callable[[Callable[[Piece], PieceRead], Sequence[Piece], Sequence[int]], Sequence[PieceRead]]


class _FileAbandoned(Exception):
    """Raised inside a file's reader when the rest of the file cannot be read sensibly."""


def card_files(cards_dir: Path) -> list[Path]:
    """The topic files of a card set, in the order their subdecks appear."""
    return sorted(
        path
        for path in cards_dir.iterdir()
        if path.suffix in CARD_FILE_SUFFIXES and path.name != DECK_FILE and not path.name.startswith(".")
    )


def open_card_set(cards_dir: Path) -> tuple[Deck | None, list[Problem], list[Path]]:
    """The deck file read (a Deck with no topics yet; None if unusable), the problems so far, and the topic files
    to read."""
    root = Path(cards_dir)
    shown_root = str(cards_dir)
    if not root.is_dir():
        return (
            None,
            [Problem(Location(shown_root), "not a folder of card files; give the folder that holds deck.yaml")],
            [],
        )
    try:
        topic_paths = card_files(root)
    except OSError as error:
        return None, [Problem(Location(shown_root), f"cannot list the folder: {error.strerror or error}")], []
    deck_path = root / DECK_FILE
    if not deck_path.exists():
        return (
            None,
            [
                Problem(
                    Location(shown_root),
                    f"no {DECK_FILE} in the folder; create one with id, title, version and outcomes",
                )
            ],
            topic_paths,
        )
    found = topic_file_bytes(deck_path, root)
    if isinstance(found, Problem):
        return None, [found], topic_paths
    header, problems = _read_file(*found, _read_deck_header)
    return (None if header is None else Deck(topics=(), **header)), problems, topic_paths


def _shown(path: Path) -> str:
    return os.path.normpath(str(path))


def topic_file_bytes(path: Path, root: Path) -> tuple[bytes, str] | Problem:
    """A card file's bytes and the path messages show, or the problem that keeps it from being read."""
    shown = _shown(path)
    # realpath, not Path.resolve: it never raises, even on a symlink loop (the read below reports that)
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        return Problem(
            Location(shown),
            "the file links outside the card folder; copy it into the folder instead of linking to it",
        )
    try:
        return read_bytes(path, shown), shown
    except Unreadable as unreadable:
        return unreadable.problem


def read_in_turn(
    read: Callable[[Piece], PieceRead], pieces: Sequence[Piece], sizes: Sequence[int]
) -> list[PieceRead]:
    """Read each piece here, one after another."""
    return [read(piece) for piece in pieces]


def read_topic_file(
    data: bytes, shown: str, map_pieces: MapPieces = read_in_turn
) -> tuple[Topic | None, list[Problem]]:
    """What reading one topic file's bytes gives: its Topic (None if unusable) and the problems found in it.

    A big file's cards are read in pieces, through map_pieces: the pipeline passes one that uses both cores."""
    return _read_file(data, shown, functools.partial(_read_topic, map_pieces=map_pieces))  # type: ignore[no-any-return]


def _read_file(data: bytes, shown: str, read):  # type: ignore[no-untyped-def]
    """What reading one file's bytes gives, and the problems found on the way."""
    reader = NodeReader(shown)
    try:
        with collector_paused():
            text = decode_text(data, shown)
            quick = _read_quickly(text, shown, read)
            if quick is not None:
                return quick, []
            node = compose(text, shown)
            if node is None:
                reader.problem(Location(shown, 1, 1), _empty_file_message(shown))
                return None, reader.problems
            return read(reader, node), reader.problems
    except Unreadable as unreadable:
        reader.problems.append(unreadable.problem)
    except _FileAbandoned:
        pass
    return None, reader.problems


def _read_quickly(text: str, shown: str, read):  # type: ignore[no-untyped-def]
    """The file read from libyaml's composer, or None unless that gave no problem at all (the careful composer
    then reads it again, for the exact message)."""
    pieces = card_pieces(text) if isinstance(read, functools.partial) else None
    for attempt in (pieces, None) if pieces else (None,):
        reader = NodeReader(shown, escapes="\\" in text)
        try:
            if attempt is None:
                node = quick_compose(text)
                result = None if node is None else read(reader, node)
            else:
                head, cards = attempt
                node = quick_compose(head)
                result = None if node is None else read(reader, node, cards)
        except (NotQuick, _FileAbandoned):
            continue
        if result is not None and not reader.problems:
            return result
    return None


def _empty_file_message(shown: str) -> str:
    if os.path.basename(shown) == DECK_FILE:
        return "the file is empty; a deck file needs id, title, version and outcomes"
    return "the file has no cards; a topic file needs 'subdeck:' and 'cards:'"


def _top_mapping(reader: NodeReader, node: yaml.Node, what: str, allowed: tuple[str, ...]) -> Values:
    if not isinstance(node, yaml.MappingNode):
        reader.problem(node, f"{what} must be a mapping of 'key: value' lines at the top, not {describe(node)}")
        raise _FileAbandoned
    return reader.mapping(node, what, allowed)


def _read_deck_header(reader: NodeReader, node: yaml.Node) -> dict:  # type: ignore[type-arg]
    values = _top_mapping(reader, node, "the deck file", _DECK_KEYS)
    where = reader.at(node)
    source_title = source_document = ""
    if "source" in values:
        source = reader.mapping(values["source"][0], "'source'", ("title", "document"))
        source_title = reader.required_text(source, "title", "'source'", reader.at(values["source"][1]))
        source_document = _optional_text(reader, source, "document")
    outcomes: dict[str, str] = {}
    if "outcomes" not in values:
        reader.problem(where, "the deck file has no 'outcomes'; list the learning outcomes as 'LO1: text' lines")
    elif is_empty(values["outcomes"][0]):
        reader.problem(
            values["outcomes"][1], "'outcomes' is empty; list the learning outcomes as 'LO1: text' lines"
        )
    else:
        outcome_nodes = reader.mapping(values["outcomes"][0], "'outcomes'", None)
        for key, (value_node, key_node) in outcome_nodes.items():
            text = reader.text(value_node, f"outcome '{key}'")
            if not text:
                reader.problem(key_node, f"outcome '{key}' is empty; write what the learner will be able to do")
            outcomes[key] = text or ""
    return {
        "id": reader.required_text(values, "id", "the deck file", where),
        "title": reader.required_text(values, "title", "the deck file", where),
        "version": reader.required_text(values, "version", "the deck file", where),
        "description": _optional_text(reader, values, "description"),
        "source_title": source_title,
        "source_document": source_document,
        "outcomes": outcomes,
        "location": where,
        "key_locations": reader.places(values),
    }


def _optional_text(reader: NodeReader, values: Values, key: str) -> str:
    if key not in values:
        return ""
    return reader.text(values[key][0], f"'{key}'") or ""


def _read_topic(
    reader: NodeReader,
    node: yaml.Node,
    pieces: list[tuple[str, int]] | None = None,
    *,
    map_pieces: MapPieces,
) -> Topic | None:
    """Read a topic file; given pieces (see card_pieces), node is the text before the cards and they are the cards."""
    read = _topic_head(reader, node)
    if read is None:
        return None
    topic, values = read
    if pieces is not None:
        found = map_pieces(
            _read_piece,
            [(reader.path, reader.escapes, topic.subdeck, topic.tags, piece) for piece in pieces],
            [len(text) for text, _ in pieces],
        )
        for _, problems in found:
            reader.problems.extend(problems)
        return replace(topic, cards=tuple(card for piece_cards, _ in found for card in piece_cards))
    cards_node = values["cards"][0]
    if not isinstance(cards_node, yaml.SequenceNode):
        reader.problem(
            cards_node, f"'cards' must be a list of cards, each starting with '- id:', not {describe(cards_node)}"
        )
        return None
    cards = (_read_card(reader, item, topic.subdeck, topic.tags) for item in cards_node.value)
    return replace(topic, cards=tuple(card for card in cards if card is not None))


def _topic_head(reader: NodeReader, node: yaml.Node) -> tuple[Topic, Values] | None:
    """A topic file's subdeck and tags (a Topic with no cards yet) and its values by key; None, the problem
    noted, when it has no 'cards'."""
    values = _top_mapping(reader, node, "a topic file", _TOPIC_KEYS)
    where = reader.at(node)
    subdeck = reader.required_text(values, "subdeck", "the topic file", where)
    tags = reader.words(values["tags"][0], "'tags'") if "tags" in values else ()
    if "cards" not in values:
        reader.problem(where, "the topic file has no 'cards'; add 'cards:' with a list of cards")
        return None
    return Topic(path=reader.path, subdeck=subdeck, tags=tags, cards=(), location=where), values


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
    head, pieces = split
    reader = NodeReader(shown, escapes="\\" in text)
    try:
        node = quick_compose(head)
        read = None if node is None else _topic_head(reader, node)
    except (NotQuick, _FileAbandoned):
        return None
    if read is None or reader.problems:
        return None
    topic = read[0]
    return topic, [(shown, reader.escapes, topic.subdeck, topic.tags, piece) for piece in pieces]


def read_piece(piece: Piece) -> tuple[tuple[Card, ...], list[Problem]] | None:
    """The cards of one piece of a big topic file and the problems found in them; None if the piece does not read
    quickly (the whole file must be read then)."""
    try:
        return _read_piece(piece)
    except NotQuick:
        return None


#: One piece of a big topic file to read: the path shown, whether it has escapes, its subdeck and file tags, and
#: the piece (its text and the lines before it).


def _read_piece(piece: Piece) -> tuple[tuple[Card, ...], list[Problem]]:
    """The cards of one piece of a big topic file (see card_pieces), and the problems found in them."""
    path, escapes, subdeck, tags, (text, lines_before) = piece
    node = quick_compose(text)
    if not isinstance(node, yaml.SequenceNode):
        raise NotQuick
    reader = NodeReader(path, line_offset=lines_before, escapes=escapes)
    read = (_read_card(reader, card_node, subdeck, tags) for card_node in node.value)
    return tuple(card for card in read if card is not None), reader.problems


def _read_card(reader: NodeReader, node: yaml.Node, subdeck: str, file_tags: tuple[str, ...]) -> Card | None:
    where = reader.at(node)
    if not isinstance(node, yaml.MappingNode):
        reader.problem(node, f"a card must be a mapping starting with 'id:', not {describe(node)}")
        return None
    kind = _card_kind(reader, node)
    required, optional = KIND_FIELDS.get(kind or "", ((), ()))
    what, allowed = _CARD_KEYS[kind] if kind else ("a card", _every_card_key())
    values = reader.mapping(node, what, allowed)
    card_id = reader.required_text(values, "id", "the card", where)
    if kind is None:
        return None
    fields = {}
    for key in required:
        fields[key] = reader.required_text(values, key, f"the {kind} card '{card_id}'", where)
    for key in optional:
        if key in values:
            value = reader.text(values[key][0], f"'{key}'")
            if value:
                fields[key] = value
    source = _read_source(reader, values, card_id, where)
    tags = reader.words(values["tags"][0], "'tags'") if "tags" in values else ()
    outcomes = reader.words(values["outcomes"][0], "'outcomes'") if "outcomes" in values else ()
    review = _DRAFT
    if "status" in values or "reviewed_by" in values or "reviewed_on" in values:
        review = Review(
            status=_optional_text(reader, values, "status") or "draft",
            by=_optional_text(reader, values, "reviewed_by") or None,
            on=_optional_text(reader, values, "reviewed_on") or None,
        )
    return Card(
        id=card_id,
        kind=kind,
        fields=fields,
        subdeck=subdeck,
        tags=_merge_tags(file_tags, tags),
        source=source,
        outcomes=outcomes,
        review=review,
        location=where,
        key_locations=reader.places(values),
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


#: What to call a card of each kind in messages, and the keys it may have (worked out once, not once a card).
_CARD_KEYS = {
    kind: (f"{_article(kind)} {kind} card", _CARD_COMMON_KEYS + required + optional)
    for kind, (required, optional) in KIND_FIELDS.items()
}


def _every_card_key() -> tuple[str, ...]:
    keys = list(_CARD_COMMON_KEYS)
    for required, optional in KIND_FIELDS.values():
        keys.extend(key for key in required + optional if key not in keys)
    return tuple(keys)


def _card_kind(reader: NodeReader, node: yaml.MappingNode) -> str | None:
    kinds = ", ".join(KIND_FIELDS)
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "kind":
            if not isinstance(value_node, yaml.ScalarNode):
                reader.problem(value_node, f"'kind' must be one of: {kinds}, not {describe(value_node)}")
                return None
            kind: str = value_node.value
            if kind in KIND_FIELDS:
                return kind
            reader.problem(
                value_node,
                f"unknown card kind '{shorten(str(kind))}'{suggestion(str(kind), tuple(KIND_FIELDS))}"
                if kind and kind not in NULLS
                else f"'kind' is empty; write one of: {kinds}",
            )
            return None
    reader.problem(node, f"the card has no 'kind'; add 'kind:' with one of: {kinds}")
    return None


def _read_source(reader: NodeReader, values: Values, card_id: str, where: Location) -> Source:
    if "source" not in values:
        reader.problem(
            where,
            f"the card '{card_id}' has no 'source'; add 'source: {{slide: N, section: ...}}' "
            "so reviewers can find it in the training text",
        )
        return Source()
    node, key_node = values["source"]
    parts = reader.mapping(node, "'source'", ("slide", "section"))
    slide = reader.whole_number(parts["slide"][0], "'slide'") if "slide" in parts else None
    section = reader.text(parts["section"][0], "'section'") if "section" in parts else None
    if not parts and isinstance(node, yaml.MappingNode):
        reader.problem(key_node, "'source' needs a 'slide' number or a 'section' title")
    return _shared_source(slide, section)


@lru_cache(maxsize=4096)
def _shared_source(slide: int | None, section: str | None) -> Source:
    """Many cards cite the same place; they share one (frozen) Source."""
    return Source(slide=slide, section=section)


def _merge_tags(file_tags: tuple[str, ...], card_tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(file_tags + card_tags))
