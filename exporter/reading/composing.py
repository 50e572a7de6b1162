"""YAML text → nodes, two ways: libyaml's quick composer, and a careful one that refuses what card files must not
hold and says where.

The careful composer composes libyaml's parser events into nodes here, in a loop: no recursion however deep the
input, aliases refused where they stand (no "billion laughs"), no tags beyond the plain ones, no merge keys, one
document per file, and no deeper nesting than a card file could need. Nothing is constructed: scalars stay the
text that was written.

That careful composer walks every event in Python. A text that cannot hold an anchor, a tag or a merge key is
first composed by libyaml's own composer instead (quick_compose, in C; see docs/performance.md); loading keeps
that result only when the file has no problem at all, and otherwise reads the file again the careful way, so every
message is the careful composer's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from exporter.errors import Location, Problem, shorten
from exporter.reading.collector import collector_paused
from exporter.reading.files import Unreadable
from exporter.reading.yaml_mistakes import curly_hint, explained

# libyaml's parser, unless PyYAML was built without libyaml (then every file is composed the careful way)
_Loader: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Collections inside collections: a topic file needs 4 (the file, 'cards', a card, its 'source').
MAX_DEPTH = 10

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)
# What may come before an anchor (&) or a tag (!) besides white space and the start of the text.
_BEFORE_ANCHOR_OR_TAG = frozenset("[]{},:")
_TOO_DEEP = (
    f"the YAML is nested more than {MAX_DEPTH} levels deep; a card file needs only a few (cards, a card, "
    "its source)"
)
_HINTS = {
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


class NotQuick(Exception):
    """The quick composer cannot vouch for this text; compose it the careful way."""


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _QuickComposer(CParser):
        """libyaml's composer with every tag left empty (the careful composer's checks decide about tags)."""

        # Called several times for every node: "".format takes any arguments and returns "" without a Python
        # frame (see docs/performance.md).
        resolve = descend_resolver = ascend_resolver = "".format


def only_careful(text: str) -> bool:
    """Whether text may hold what libyaml's composer would accept where the careful one refuses: an anchor (so an
    alias would resolve), a tag, a merge key. Found wherever one could start, quoted text included: a false alarm
    only costs speed."""
    # str.find, not a regular expression: a pattern that begins with a choice is tried at every character, and
    # that took longer than composing the text
    if "<<" in text:
        return True
    for marker in "&!":
        at = text.find(marker)
        while at != -1:
            if at == 0 or text[at - 1].isspace() or text[at - 1] in _BEFORE_ANCHOR_OR_TAG:
                return True
            at = text.find(marker, at + 1)
    return False


def quick_compose(text: str) -> yaml.Node | None:
    """Compose YAML text with libyaml's composer; raise NotQuick where only compose() can say what is wrong."""
    if not yaml.__with_libyaml__ or only_careful(text):
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


def compose(text: str, shown: str) -> yaml.Node | None:
    """Parse YAML text into nodes with the C parser, the collector paused."""
    try:
        with collector_paused():
            return _compose_events(yaml.parse(text, Loader=_Loader), shown)  # noqa: S506 - events, never objects
    except yaml.MarkedYAMLError as error:
        said = explained(error, text, shown)
        if said is not None:
            raise Unreadable(said) from None
        mark = error.problem_mark or error.context_mark
        location = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        hint = curly_hint(text.splitlines(), mark.line) if mark else ""
        raise Unreadable(Problem(location, _syntax_message(error) + hint)) from None
    except yaml.YAMLError as error:
        raise Unreadable(Problem(Location(shown), f"not valid YAML: {shorten(str(error))}")) from None


def _compose_events(events: Iterable[yaml.Event], shown: str) -> yaml.Node | None:
    """Build the node tree of the only document, refusing what card files must not hold."""
    root: yaml.Node | None = None
    # the collections being filled, innermost last, each with its key waiting for a value
    open_nodes: list[tuple[yaml.CollectionNode, list[yaml.Node]]] = []
    documents = 0
    for event in events:
        node: yaml.Node
        if isinstance(event, yaml.ScalarEvent):
            _check_tag(shown, event, event.tag)
            # libyaml's marks are its own Mark type; nodes accept any object with line and column. End marks are
            # never read, and leaving them out saves memory (see docs/performance.md).
            start: Any = event.start_mark
            node = yaml.ScalarNode(event.tag or "", event.value, start, None, event.style)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            open_nodes.append((_collection(shown, event, len(open_nodes)), []))
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            node = open_nodes.pop()[0]
        else:
            documents += _other_event(shown, event, documents)
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


def _collection(
    shown: str, event: yaml.MappingStartEvent | yaml.SequenceStartEvent, depth: int
) -> yaml.CollectionNode:
    """The empty mapping or list an event starts, inside depth others."""
    _check_tag(shown, event, event.tag)
    if depth >= MAX_DEPTH:
        raise _refused(shown, event, _TOO_DEEP)
    start: Any = event.start_mark
    node_type = yaml.MappingNode if isinstance(event, yaml.MappingStartEvent) else yaml.SequenceNode
    return node_type(event.tag or "", [], start, None, event.flow_style)


def _other_event(shown: str, event: yaml.Event, documents: int) -> int:
    """1 for the start of a document (refused after the first one), 0 for another event that makes no node;
    an alias is refused."""
    if isinstance(event, yaml.AliasEvent):
        raise _refused(
            shown, event, "YAML aliases (*name) are not allowed in card files; write the text out in full"
        )
    if not isinstance(event, yaml.DocumentStartEvent):
        return 0
    if documents >= 1:
        raise _refused(shown, event, "a second YAML document ('---'); keep one document per file")
    return 1


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
        return _TOO_DEEP
    extra = next((text for start, text in _HINTS.items() if problem.startswith(start)), "")
    context = f" {error.context}" if error.context else ""
    return f"YAML syntax error:{context} {problem}{extra}".replace("  ", " ")
