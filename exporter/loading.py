"""YAML card files → the typed model, with the line and column of every piece.

Scalars are read as the text that was written (PyYAML's own constructors would turn ``no`` into False and
``1.10`` into 1.1), duplicate keys and aliases are refused, and nothing untyped leaves this module.
"""
from __future__ import annotations

import difflib
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from exporter.errors import Location, Problem
from exporter.model import KIND_FIELDS, Card, Deck, Review, Source, Topic

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

DECK_FILE = "deck.yaml"
CARD_FILE_SUFFIXES = (".yaml", ".yml")

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN_TAGS = frozenset("tag:yaml.org,2002:" + name
                        for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp"))
_CARD_COMMON_KEYS = ("id", "kind", "tags", "source", "outcomes", "status", "reviewed_by", "reviewed_on")
_DECK_KEYS = ("id", "title", "version", "description", "source", "outcomes")
_TOPIC_KEYS = ("subdeck", "tags", "cards")


class _FileAbandoned(Exception):
    """Raised inside a file's reader when the rest of the file cannot be read sensibly."""


@dataclass
class _FileReader:
    """Walks one composed YAML document, turning nodes into Python values and noting problems."""

    path: str
    text_read: str = ""
    problems: list[Problem] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set)

    def at(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        if mark is None:
            return Location(self.path)
        return Location(self.path, mark.line + 1, mark.column + 1)

    def problem(self, node: yaml.Node | Location, message: str) -> None:
        location = node if isinstance(node, Location) else self.at(node)
        self.problems.append(Problem(location, message))

    def _check_node(self, node: yaml.Node) -> None:
        # An alias gives back the very node it names; refusing repeats makes "billion laughs" impossible.
        if id(node) in self._seen:
            self.problem(self._first_alias() or self.at(node),
                         "YAML aliases (*name) are not allowed in card files; write the text out in full")
            raise _FileAbandoned
        self._seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            self.problem(node, f"YAML tag '{node.tag}' is not allowed in card files; remove it")
            raise _FileAbandoned

    def _first_alias(self) -> Location | None:
        # Composing forgets where an alias stood; the parser's events still know. Only runs on this error path.
        for event in yaml.parse(self.text_read, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                return Location(self.path, event.start_mark.line + 1, event.start_mark.column + 1)
        return None

    def mapping(self, node: yaml.Node, what: str,
                allowed: tuple[str, ...] | None) -> dict[str, tuple[yaml.Node, Location]]:
        """Read a mapping of known keys (any key when allowed is None); report unknown and repeated keys."""
        self._check_node(node)
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of 'key: value' lines, not {_describe(node)}")
            return {}
        result: dict[str, tuple[yaml.Node, Location]] = {}
        for key_node, value_node in node.value:
            self._check_node(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"a key in {what} must be a plain word, not {_describe(key_node)}")
                continue
            key = key_node.value
            if key in result:
                first = result[key][1]
                self.problem(key_node, f"duplicate key '{key}' in {what} (first at line {first.line}); keep only one")
                continue
            if allowed is not None and key not in allowed:
                self.problem(key_node, f"unknown key '{key}' in {what}{_suggestion(key, allowed)}")
                continue
            result[key] = (value_node, self.at(key_node))
        return result

    def text(self, node: yaml.Node, what: str) -> str | None:
        """Read text exactly as written; None for an empty or null value."""
        self._check_node(node)
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be text, not {_describe(node)}; quote it if it is meant as text")
            return None
        # The C composer marks plain scalars with style '' and the Python one with None; quoted '' is text.
        if not node.style and node.value in _NULLS:
            return None
        return str(node.value).strip()

    def required_text(self, values: dict[str, tuple[yaml.Node, Location]], key: str, what: str,
                      where: Location) -> str:
        """Read a key that must be there and hold text; report it once if it is missing or empty."""
        if key not in values:
            self.problem(where, f"{what} has no '{key}'; add '{key}: ...'")
            return ""
        node, key_location = values[key]
        value = self.text(node, f"'{key}'")
        if not value:
            if isinstance(node, yaml.ScalarNode):
                self.problem(key_location, f"'{key}' is empty; write the {key.replace('_', ' ')} after '{key}:'")
            return ""
        return value

    def words(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """Read a list of short words (tags, outcome keys); a single word is taken as a list of one."""
        if isinstance(node, yaml.ScalarNode):
            value = self.text(node, what)
            return (value,) if value else ()
        self._check_node(node)
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list like [a, b], not {_describe(node)}")
            return ()
        items = []
        for item in node.value:
            value = self.text(item, f"an item of {what}")
            if value:
                items.append(value)
        return tuple(items)

    def whole_number(self, node: yaml.Node, what: str) -> int | None:
        value = self.text(node, what)
        if value is None:
            return None
        if not value.isdigit() or int(value) < 1:
            self.problem(node, f"{what} must be a whole number from 1 up, like 6, not '{value}'")
            return None
        return int(value)


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"the text '{node.value}'"


def _suggestion(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; expected one of: {', '.join(allowed)}"


def _read_text(path: Path, shown: str) -> str:
    """Read a file as UTF-8 text, explaining in a problem what else it is."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _Unreadable(Problem(Location(shown), f"cannot read the file: {error.strerror or error}")) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Unreadable(Problem(Location(shown, 1, 1), "the file is UTF-16; save it as UTF-8"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        byte = data[error.start]
        raise _Unreadable(Problem(Location(shown, line, column),
                                  f"byte 0x{byte:02X} is not UTF-8; save the file as UTF-8")) from None


class _Unreadable(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _compose(text: str, shown: str) -> yaml.Node | None:
    """Parse YAML into nodes with the C parser, the collector paused (it only churns on fresh nodes)."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return yaml.compose(text, Loader=_Loader)  # noqa: S506 - compose builds nodes, never objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        raise _Unreadable(Problem(location, _syntax_message(error))) from None
    except yaml.YAMLError as error:
        raise _Unreadable(Problem(Location(shown), f"not valid YAML: {error}")) from None
    finally:
        if gc_was_enabled:
            gc.enable()


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "not valid YAML"
    if "tab" in problem or "'\\t'" in problem:
        return "a tab character; indent with spaces, not tabs"
    if "expected a single document" in (error.context or "") or "but found another document" in problem:
        return "a second YAML document ('---'); keep one document per file"
    hint = {
        "found unexpected end of stream": "; a quote is not closed",
        "found unknown escape character": "; in double quotes write a backslash as \\\\",
        "mapping values are not allowed here": "; quote text that contains ': '",
        "could not find expected ':'": "; a line is missing ':' or a quote is not closed",
    }
    extra = next((text for start, text in hint.items() if problem.startswith(start)), "")
    context = f" {error.context}" if error.context else ""
    return f"YAML syntax error:{context} {problem}{extra}".replace("  ", " ")


def card_files(cards_dir: Path) -> list[Path]:
    """The topic files of a card set, in the order their subdecks appear."""
    return sorted(path for path in cards_dir.iterdir()
                  if path.suffix in CARD_FILE_SUFFIXES and path.name != DECK_FILE and not path.name.startswith("."))


def load_deck(cards_dir: Path) -> tuple[Deck | None, list[Problem]]:
    """Read a card set folder; return the deck (None if its deck file is unusable) and every problem found."""
    problems: list[Problem] = []
    root = Path(cards_dir)
    shown_root = str(cards_dir)
    if not root.is_dir():
        return None, [Problem(Location(shown_root), "not a folder of card files; give the folder that holds deck.yaml")]
    try:
        topic_paths = card_files(root)
    except OSError as error:
        return None, [Problem(Location(shown_root), f"cannot list the folder: {error.strerror or error}")]

    deck_path = root / DECK_FILE
    deck_header = None
    if not deck_path.exists():
        problems.append(Problem(Location(shown_root), f"no {DECK_FILE} in the folder; create one with id, title, "
                                                       "version and outcomes"))
    else:
        deck_header = _load_file(deck_path, root, problems, _read_deck_header)

    topics = []
    for path in topic_paths:
        topic = _load_file(path, root, problems, _read_topic)
        if topic is not None:
            topics.append(topic)

    if deck_header is None:
        return None, problems
    return Deck(topics=tuple(topics), **deck_header), problems


def _shown(path: Path) -> str:
    return os.path.normpath(str(path))


def _load_file(path: Path, root: Path, problems: list[Problem], read):  # type: ignore[no-untyped-def]
    shown = _shown(path)
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        problems.append(Problem(Location(shown), "the file links outside the card folder; copy it into the folder "
                                                 "instead of linking to it"))
        return None
    try:
        text = _read_text(path, shown)
        node = _compose(text, shown)
    except _Unreadable as unreadable:
        problems.append(unreadable.problem)
        return None
    reader = _FileReader(shown, text)
    try:
        if node is None:
            reader.problem(Location(shown, 1, 1), _empty_file_message(path))
            return None
        return read(reader, node)
    except _FileAbandoned:
        return None
    finally:
        problems.extend(reader.problems)


def _empty_file_message(path: Path) -> str:
    if path.name == DECK_FILE:
        return "the file is empty; a deck file needs id, title, version and outcomes"
    return "the file has no cards; a topic file needs 'subdeck:' and 'cards:'"


def _top_mapping(reader: _FileReader, node: yaml.Node, what: str,
                 allowed: tuple[str, ...]) -> dict[str, tuple[yaml.Node, Location]]:
    if not isinstance(node, yaml.MappingNode):
        reader.problem(node, f"{what} must be a mapping of 'key: value' lines at the top, not {_describe(node)}")
        raise _FileAbandoned
    return reader.mapping(node, what, allowed)


def _read_deck_header(reader: _FileReader, node: yaml.Node) -> dict:  # type: ignore[type-arg]
    values = _top_mapping(reader, node, "the deck file", _DECK_KEYS)
    where = reader.at(node)
    source_title = source_document = ""
    if "source" in values:
        source = reader.mapping(values["source"][0], "'source'", ("title", "document"))
        source_title = reader.required_text(source, "title", "'source'", values["source"][1])
        source_document = _optional_text(reader, source, "document")
    outcomes: dict[str, str] = {}
    if "outcomes" not in values:
        reader.problem(where, "the deck file has no 'outcomes'; list the learning outcomes as 'LO1: text' lines")
    else:
        outcome_nodes = reader.mapping(values["outcomes"][0], "'outcomes'", None)
        for key, (value_node, key_location) in outcome_nodes.items():
            text = reader.text(value_node, f"outcome '{key}'")
            if not text:
                reader.problem(key_location, f"outcome '{key}' is empty; write what the learner will be able to do")
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
        "key_locations": {key: location for key, (_, location) in values.items()},
    }


def _optional_text(reader: _FileReader, values: dict[str, tuple[yaml.Node, Location]], key: str) -> str:
    if key not in values:
        return ""
    return reader.text(values[key][0], f"'{key}'") or ""


def _read_topic(reader: _FileReader, node: yaml.Node) -> Topic | None:
    values = _top_mapping(reader, node, "a topic file", _TOPIC_KEYS)
    where = reader.at(node)
    subdeck = reader.required_text(values, "subdeck", "the topic file", where)
    tags = reader.words(values["tags"][0], "'tags'") if "tags" in values else ()
    if "cards" not in values:
        reader.problem(where, "the topic file has no 'cards'; add 'cards:' with a list of cards")
        return None
    cards_node = values["cards"][0]
    if not isinstance(cards_node, yaml.SequenceNode):
        reader.problem(cards_node, f"'cards' must be a list of cards, each starting with '- id:', "
                                   f"not {_describe(cards_node)}")
        return None
    cards = tuple(card for card in (_read_card(reader, item, subdeck, tags) for item in cards_node.value)
                  if card is not None)
    return Topic(path=reader.path, subdeck=subdeck, tags=tags, cards=cards, location=where)


def _read_card(reader: _FileReader, node: yaml.Node, subdeck: str, file_tags: tuple[str, ...]) -> Card | None:
    where = reader.at(node)
    if not isinstance(node, yaml.MappingNode):
        reader.problem(node, f"a card must be a mapping starting with 'id:', not {_describe(node)}")
        return None
    kind = _card_kind(reader, node)
    required, optional = KIND_FIELDS.get(kind or "", ((), ()))
    values = reader.mapping(node, f"{_article(kind)} {kind} card" if kind else "a card",
                            _CARD_COMMON_KEYS + required + optional if kind else _every_card_key())
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
    review = Review(
        status=_optional_text(reader, values, "status") or "draft",
        by=_optional_text(reader, values, "reviewed_by") or None,
        on=_optional_text(reader, values, "reviewed_on") or None,
    )
    return Card(id=card_id, kind=kind, fields=fields, subdeck=subdeck,
                tags=_merge_tags(file_tags, tags), source=source, outcomes=outcomes, review=review,
                location=where, key_locations={key: location for key, (_, location) in values.items()})


def _every_card_key() -> tuple[str, ...]:
    keys = list(_CARD_COMMON_KEYS)
    for required, optional in KIND_FIELDS.values():
        keys.extend(key for key in required + optional if key not in keys)
    return tuple(keys)


def _card_kind(reader: _FileReader, node: yaml.MappingNode) -> str | None:
    kinds = ", ".join(KIND_FIELDS)
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "kind":
            kind = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            if kind in KIND_FIELDS:
                return kind
            reader.problem(value_node, f"unknown card kind '{kind}'{_suggestion(str(kind), tuple(KIND_FIELDS))}"
                           if kind and kind not in _NULLS else f"'kind' is empty; write one of: {kinds}")
            return None
    reader.problem(node, f"the card has no 'kind'; add 'kind:' with one of: {kinds}")
    return None


def _read_source(reader: _FileReader, values: dict[str, tuple[yaml.Node, Location]], card_id: str,
                 where: Location) -> Source:
    if "source" not in values:
        reader.problem(where, f"the card '{card_id}' has no 'source'; add 'source: {{slide: N, section: ...}}' "
                              "so reviewers can find it in the training text")
        return Source()
    node, key_location = values["source"]
    parts = reader.mapping(node, "'source'", ("slide", "section"))
    slide = reader.whole_number(parts["slide"][0], "'slide'") if "slide" in parts else None
    section = reader.text(parts["section"][0], "'section'") if "section" in parts else None
    if not parts and isinstance(node, yaml.MappingNode):
        reader.problem(key_location, "'source' needs a 'slide' number or a 'section' title")
    return Source(slide=slide, section=section)


def _merge_tags(file_tags: tuple[str, ...], card_tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(file_tags + card_tags))


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
