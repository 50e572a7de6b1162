"""YAML nodes → plain values (text, words, numbers, mappings of known keys), with a problem for each that does
not fit: where it is and how to fix it. What the values mean is schema.py's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from exporter.errors import KeyPlaces, Location, Problem, shorten
from exporter.reading.composing import NULLS

# Control characters a double-quoted escape (like "\x1f") can still put into text; Anki separates fields with 0x1F.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


#: A mapping's values by key, each with the node of its key (for messages about the key and for KeyPlaces).
Values = dict[str, tuple[yaml.Node, yaml.Node]]


@dataclass
class NodeReader:
    """Walks one file's nodes, turning them into Python values and noting a problem for each misfit."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    #: lines of the file before the text the nodes were composed from (a piece of a big file)
    line_offset: int = 0
    #: False when the file has no backslash, so no escape can have put a control character into a text
    escapes: bool = True
    # one tuple for each distinct set of keys, shared by the mappings that have it
    _key_tuples: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict, repr=False)

    def at(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        if mark is None:
            return Location(self.path)
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def problem(self, node: yaml.Node | Location, message: str) -> None:
        location = node if isinstance(node, Location) else self.at(node)
        self.problems.append(Problem(location, message))

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...] | None) -> Values:
        """Read a mapping of known keys (any key when allowed is None); report unknown and repeated keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of 'key: value' lines, not {describe(node)}")
            return {}
        result: Values = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, f"a key in {what} must be a plain word, not {describe(key_node)}")
                continue
            key = key_node.value
            if not key_node.style and key in NULLS:
                self.problem(key_node, f"a key in {what} is empty (null); write a word before ':'")
                continue
            if key in result:
                first = self.at(result[key][1])
                self.problem(
                    key_node,
                    f"duplicate key '{shorten(key)}' in {what} (first at line {first.line}); keep only one",
                )
                continue
            if allowed is not None and key not in allowed:
                self.problem(key_node, f"unknown key '{shorten(key)}' in {what}{suggestion(key, allowed)}")
                continue
            result[key] = (value_node, key_node)
        return result

    def places(self, values: Values) -> KeyPlaces:
        """Where each key of a mapping read by mapping() was written."""
        keys = tuple(values)
        keys = self._key_tuples.setdefault(keys, keys)
        line_offset = self.line_offset + 1
        places: list[int] = []
        for _, key_node in values.values():
            mark = key_node.start_mark
            places += (mark.line + line_offset, mark.column + 1)
        return KeyPlaces(self.path, keys, tuple(places))

    def text(self, node: yaml.Node, what: str) -> str | None:
        """Read text exactly as written; None for an empty or null value."""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be text, not {describe(node)}; quote it if it is meant as text")
            return None
        # The C parser marks plain scalars with style '' and the Python one with None; quoted '' is text.
        if not node.style and node.value in NULLS:
            return None
        value: str = node.value
        control = _CONTROL.search(value) if self.escapes else None
        if control:
            self.problem(
                node,
                f"{what} holds the control character U+{ord(control.group()):04X} (an escape like "
                f"\\x{ord(control.group()):02x}); remove it",
            )
            value = _CONTROL.sub("", value)
        return value.strip()

    def required_text(self, values: Values, key: str, what: str, where: Location) -> str:
        """Read a key that must be there and hold text; report it once if it is missing or empty."""
        if key not in values:
            self.problem(where, f"{what} has no '{key}'; add '{key}: ...'")
            return ""
        node, key_node = values[key]
        value = self.text(node, f"'{key}'")
        if not value:
            if isinstance(node, yaml.ScalarNode):
                self.problem(key_node, f"'{key}' is empty; write the {key.replace('_', ' ')} after '{key}:'")
            return ""
        return value

    def words(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """Read a list of short words (tags, outcome keys); a single word is taken as a list of one."""
        if isinstance(node, yaml.ScalarNode):
            value = self.text(node, what)
            return (value,) if value else ()
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list like [a, b], not {describe(node)}")
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
        if not (value.isascii() and value.isdigit() and len(value) < 10) or int(value) < 1:
            self.problem(node, f"{what} must be a whole number from 1 up, like 6, not '{shorten(value)}'")
            return None
        return int(value)


def is_empty(node: yaml.Node) -> bool:
    if isinstance(node, yaml.ScalarNode):
        return not node.style and node.value in NULLS
    return not node.value


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.ScalarNode) and is_empty(node):
        return "an empty value"
    return f"the text '{shorten(node.value)}'"


def suggestion(key: str, allowed: tuple[str, ...]) -> str:
    # imported here: only a misspelt key needs them, and rapidfuzz alone would cost every command's start-up
    import difflib

    from rapidfuzz.distance import Levenshtein

    # the similar keys, then the one fewest typed letters away ('expantion': 'expansion', not 'explanation')
    close = difflib.get_close_matches(key, allowed, n=3, cutoff=0.6)
    if close:
        return f"; did you mean '{min(close, key=lambda known: Levenshtein.distance(key, known))}'?"
    return f"; expected one of: {', '.join(allowed)}"
