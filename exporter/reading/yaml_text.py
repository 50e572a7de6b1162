"""One card file → YAML nodes, safely, or one problem saying why not.

The bytes are checked first (size, encoding, characters), then libyaml's parser events are composed into nodes
here, in a loop: no recursion however deep the input, aliases refused where they stand (no "billion laughs"),
no tags beyond the plain ones, no merge keys, one document per file, and no deeper nesting than a card file
could need. Nothing is constructed: scalars stay the text that was written.

That careful composer walks every event in Python. A file that cannot hold an anchor, a tag or a merge key is
first composed by libyaml's own composer instead (quick_compose, several times faster); the loader keeps that
result only when the file has no problem at all, and otherwise reads the file again the careful way, so every
message is the careful composer's. A big topic file is composed a piece of whole cards at a time
(card_pieces), so its node tree is never in memory at once.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from exporter.errors import Location, Problem, shorten

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml: every file is composed the careful way
    _CParser = None  # type: ignore[assignment, misc]

#: The largest card file read: 100,000 cards in one file fit (about 35 MB); reading one this big takes about
#: 1.1 GB of memory, so anything larger is refused before it is read.
MAX_FILE_BYTES = 50_000_000
#: Collections inside collections: a topic file needs 4 (the file, 'cards', a card, its 'source').
MAX_DEPTH = 10

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
# Characters YAML refuses (C0 and C1 controls, non-characters) and the line separators it would silently
# treat as line breaks; tab, line feed and carriage return are fine.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_CHARACTER_NAMES = {
    "\x00": "a NUL byte (0x00)",
    "\x85": "the next-line character U+0085",
    "\u2028": "the line separator U+2028",
    "\u2029": "the paragraph separator U+2029",
}
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
# What libyaml's composer would accept where the careful one refuses: an anchor (so an alias would resolve), a
# tag, a merge key. Matched wherever one could start, quoted text included: a false alarm only costs speed.
_ONLY_CAREFUL = re.compile(r"(?:^|[\s\[\]{},:])[&!]|<<")
#: Topic files larger than this are composed in pieces of about this many characters.
PIECE_CHARACTERS = 1_000_000
_CARDS_KEY = re.compile(r"^cards:[ ]*(?:#[^\n]*)?\n", re.MULTILINE)
_FIRST_ITEM = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*([ ]*)- ")


class Unreadable(Exception):
    """A file that cannot be read as a card file at all, with the one problem that says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path, shown: str) -> str:
    """Read a file as UTF-8 text of characters YAML allows, explaining in a problem what else it is."""
    return decode_text(read_bytes(path, shown), shown)


def decode_text(data: bytes, shown: str) -> str:
    """A file's bytes as UTF-8 text of characters YAML allows, explaining in a problem what else they are."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise Unreadable(Problem(Location(shown, 1, 1), f"the file is {encoding}; save it as UTF-8"))
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if data[:2].count(0) == 1 and data[:4].count(0) == 2:
        raise Unreadable(
            Problem(Location(shown, 1, 1), "the file looks like UTF-16 (every other byte is 0); save it as UTF-8")
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8")
        line, column = _position(before, len(before))
        raise Unreadable(
            Problem(
                Location(shown, line, column),
                f"byte 0x{data[error.start]:02X} is not UTF-8; save the file as UTF-8",
            )
        ) from None
    forbidden = _FORBIDDEN_CHARACTER.search(text)
    if forbidden:
        character = forbidden.group()
        line, column = _position(text, forbidden.start())
        name = _CHARACTER_NAMES.get(character, f"the control character U+{ord(character):04X}")
        fix = (
            "use an ordinary line break"
            if character in "\x85\u2028\u2029"
            else "save the file as UTF-8 text"
            if character == "\x00"
            else "delete it"
        )
        raise Unreadable(Problem(Location(shown, line, column), f"{name} is not allowed in a card file; {fix}"))
    return text


def read_bytes(path: Path, shown: str) -> bytes:
    """A card file's bytes, refusing what is not an ordinary file of a card file's size."""
    # Opened without blocking so a named pipe is refused instead of waiting forever for a writer.
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise Unreadable(Problem(Location(shown), f"cannot read the file: {error.strerror or error}")) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable(
                Problem(Location(shown), "not a regular file; card files must be ordinary text files")
            )
        if status.st_size > MAX_FILE_BYTES:
            raise Unreadable(_too_big(shown, status.st_size))
        with os.fdopen(os.dup(descriptor), "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise Unreadable(Problem(Location(shown), f"cannot read the file: {error.strerror or error}")) from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise Unreadable(_too_big(shown, len(data)))
    return data


def _too_big(shown: str, size: int) -> Problem:
    return Problem(
        Location(shown),
        f"the file has {size:,} bytes, more than the {MAX_FILE_BYTES:,} a card file "
        "may have; split it into several topic files",
    )


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of a character, counting line breaks the way YAML does."""
    before = text[:index]
    lines = re.split("\r\n|\r|\n", before)
    return len(lines), len(lines[-1]) + 1


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading a file makes many objects and no cycles, and each collection
    would walk every node made so far (most of the load time on big files)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compose(text: str, shown: str) -> yaml.Node | None:
    """Parse YAML text into nodes with the C parser, the collector paused."""
    try:
        with collector_paused():
            return _compose_events(yaml.parse(text, Loader=_Loader), shown)  # noqa: S506 - events, never objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        raise Unreadable(Problem(location, _syntax_message(error))) from None
    except yaml.YAMLError as error:
        raise Unreadable(Problem(Location(shown), f"not valid YAML: {shorten(str(error))}")) from None


class NotQuick(Exception):
    """The quick composer cannot vouch for this text; compose it the careful way."""


if _CParser is not None:

    class _QuickComposer(_CParser):
        """libyaml's composer with every tag left empty (the careful composer's checks decide about tags)."""

        # Called for every node: "".format takes any arguments and returns "" without a Python frame, and the
        # composer calls these about seven million times for 100,000 cards.
        resolve = descend_resolver = ascend_resolver = "".format


def quick_compose(text: str) -> yaml.Node | None:
    """Compose YAML text with libyaml's composer; raise NotQuick where only compose() can say what is wrong."""
    if _CParser is None or _ONLY_CAREFUL.search(text):
        raise NotQuick
    composer = _QuickComposer(text)
    try:
        with collector_paused():
            root: yaml.Node | None = composer.get_single_node()
    except yaml.YAMLError:
        raise NotQuick from None
    finally:
        composer.dispose()
    if isinstance(root, yaml.ScalarNode) and not root.style and root.value in NULLS:
        return None
    return root


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


def _compose_events(events: Iterable[yaml.Event], shown: str) -> yaml.Node | None:
    """Build the node tree of the only document, refusing what card files must not hold."""
    root: yaml.Node | None = None
    # the collections being filled, innermost last, each with its key waiting for a value
    open_nodes: list[tuple[yaml.CollectionNode, list[yaml.Node]]] = []
    documents = 0
    for event in events:
        # libyaml's marks are its own Mark type; nodes accept any object with line and column. End marks are
        # never read, and leaving them out saves a fifth of the memory.
        start: Any = event.start_mark
        node: yaml.Node
        if isinstance(event, yaml.ScalarEvent):
            _check_tag(shown, event, event.tag)
            node = yaml.ScalarNode(event.tag or "", event.value, start, None, event.style)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            _check_tag(shown, event, event.tag)
            if len(open_nodes) >= MAX_DEPTH:
                raise _refused(
                    shown,
                    event,
                    f"the YAML is nested more than {MAX_DEPTH} levels deep; a card file "
                    "needs only a few (cards, a card, its source)",
                )
            node_type = yaml.MappingNode if isinstance(event, yaml.MappingStartEvent) else yaml.SequenceNode
            open_nodes.append((node_type(event.tag or "", [], start, None, event.flow_style), []))
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            node = open_nodes.pop()[0]
        elif isinstance(event, yaml.AliasEvent):
            raise _refused(
                shown, event, "YAML aliases (*name) are not allowed in card files; write the text out in full"
            )
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _refused(shown, event, "a second YAML document ('---'); keep one document per file")
            continue
        else:
            continue
        if not open_nodes:
            root = node
            continue
        parent, waiting_key = open_nodes[-1]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
        elif waiting_key:
            parent.value.append((waiting_key.pop(), node))
        else:
            if isinstance(node, yaml.ScalarNode) and node.value == "<<" and not node.style:
                raise _refused(
                    shown, event, "YAML merge keys (<<) are not allowed in card files; write the keys out in full"
                )
            waiting_key.append(node)
    if isinstance(root, yaml.ScalarNode) and not root.style and root.value in NULLS:
        return None  # a document of nothing but '---'
    return root


def _check_tag(shown: str, event: yaml.Event, tag: str | None) -> None:
    if tag is not None and tag not in _PLAIN_TAGS:
        raise _refused(shown, event, f"YAML tag '{shorten(tag)}' is not allowed in card files; remove it")


def _refused(shown: str, event: yaml.Event, message: str) -> Unreadable:
    mark = event.start_mark
    location = Location(shown, mark.line + 1, mark.column + 1) if mark is not None else Location(shown)
    return Unreadable(Problem(location, message))


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "not valid YAML"
    if "tab" in problem or "'\\t'" in problem:
        return "a tab character; indent with spaces, not tabs"
    if "exceeded maximum nesting depth" in problem:
        return (
            f"the YAML is nested more than {MAX_DEPTH} levels deep; a card file needs only a few (cards, a card, "
            "its source)"
        )
    hint = {
        "found unexpected end of stream": "; a quote is not closed",
        "found unknown escape character": "; in double quotes write a backslash as \\\\",
        "mapping values are not allowed here": "; quote text that contains ': '",
        "mapping values are not allowed in this context": "; check the indentation, or quote text that contains ': '",
        "could not find expected ':'": "; a line is missing ':' or a quote is not closed",
        "did not find expected '-' indicator": "; check the indentation: the items of a list line up under '-'",
        "did not find expected key": "; check the indentation: the keys of a mapping line up",
        "did not find expected node content": "; a value is missing, or a '[' or '{' is not closed",
        "did not find expected ',' or ']'": "; a '[' is not closed with ']'",
        "did not find expected ',' or '}'": "; a '{' is not closed with '}'",
        "did not find expected <document start>": "; keep one document per file, with nothing after '...'",
    }
    extra = next((text for start, text in hint.items() if problem.startswith(start)), "")
    context = f" {error.context}" if error.context else ""
    return f"YAML syntax error:{context} {problem}{extra}".replace("  ", " ")
