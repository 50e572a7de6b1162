"""A note → the question and answer HTML of each of its cards, exactly as Anki's engine renders them.

A pure re-implementation of what our note types use of Anki's template language (ankitects/anki,
rslib/src/template.rs and cloze.rs): field replacement, {{#Field}}…{{/Field}} and {{^Field}}…{{/Field}} (a field
holding only spaces, <br> or <div> counts as empty), {{FrontSide}}, {{cloze:Field}} with hints and nested
deletions, HTML comments left as they are, the special fields Tags, Type, Deck, Subdeck, Card, and [sound:…]
numbered the way the apps replace it. The engine's LaTeX rendering and filters other than cloze are not
reproduced: a template that uses one is refused. tests/test_templating.py compares the output with the `anki`
engine for every card of a deck and for generated field text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from exporter.rendering.cloze_syntax import OPENING
from exporter.rendering.notes import RenderedNote

_EMPTY_FIELD = re.compile(r"(?:\s|</?(?:br|div) ?/?>)*\Z", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
_MATHJAX = re.compile(r"(\\[(\[])(.*?)(\\[\])])", re.DOTALL)
_HTML = re.compile(r"<!--.*?-->|<.*?>", re.DOTALL)
#: Anki stops nesting cloze deletions at this depth.
_MAX_OPEN_CLOZES = 10


@dataclass(frozen=True, slots=True)
class CardSides:
    """One Anki card of a note: which one, and its question and answer HTML without the <style> block."""

    ordinal: int
    #: the template's name, or "Cloze N" for deletion N
    name: str
    question: str
    answer: str


def render_cards(note: RenderedNote) -> list[CardSides]:
    """Every card the note makes, in order."""
    return [render_card(note, ordinal) for ordinal in note.card_ordinals]


def render_card(note: RenderedNote, ordinal: int) -> CardSides:
    """The question and answer of card `ordinal` (template index, or cloze number − 1)."""
    note_type = note.note_type
    template = note_type.templates[0 if note_type.is_cloze else ordinal]
    fields = dict(zip(note_type.field_names, note.fields, strict=True))
    fields.update(
        {
            "Tags": " ".join(note.tags),
            "Type": note_type.name,
            "Deck": note.deck_name,
            "Subdeck": note.deck_name.rsplit("::", 1)[-1],
            "Card": template.name,
            "CardFlag": "",
        }
    )
    fields.setdefault(f"c{ordinal + 1}", "1")
    context = _Context(fields, ordinal, frontside=None)
    question = _extract_sounds(_render(_parse(template.question), context), "q")
    answer = _extract_sounds(_render(_parse(template.answer), _Context(fields, ordinal, frontside=question)), "a")
    name = f"Cloze {ordinal + 1}" if note_type.is_cloze else template.name
    return CardSides(ordinal, name, question, answer)


# Templates: parsed into text, replacements and (negated) conditionals, as rslib does.


@dataclass(frozen=True, slots=True)
class _Replacement:
    key: str
    #: in the order they are applied
    filters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Conditional:
    key: str
    negated: bool
    children: tuple[_Node, ...]


_Node = str | _Replacement | _Conditional


def _tokens(template: str) -> Iterator[tuple[str, str]]:
    """("text" | "handle", content) in order; an HTML comment is text, and so is '{{' never closed."""
    start = position = 0
    while position < len(template):
        if template.startswith("{{", position) and (end := template.find("}}", position + 2)) != -1:
            if position > start:
                yield "text", template[start:position]
            yield "handle", template[position + 2 : end]
            start = position = end + 2
        elif template.startswith("<!--", position) and (end := template.find("-->", position + 4)) != -1:
            position = end + 3
        else:
            position += 1
    if start < len(template):
        yield "text", template[start:]


def _parse(template: str) -> tuple[_Node, ...]:
    return _parse_until(_tokens(template), None)


def _parse_until(tokens: Iterator[tuple[str, str]], open_key: str | None) -> tuple[_Node, ...]:
    nodes: list[_Node] = []
    for kind, content in tokens:
        if kind == "text":
            nodes.append(content)
            continue
        handle = content.lstrip("{").strip()
        marker, rest = handle[:1], handle[1:].lstrip()
        if len(handle) >= 2 and marker in "#^":
            nodes.append(_Conditional(rest, marker == "^", _parse_until(tokens, rest)))
        elif len(handle) >= 2 and marker == "/":
            if rest != open_key:
                raise ValueError(f"template closes {{{{/{rest}}}}} which is not open")
            return tuple(nodes)
        else:
            key, *filters = reversed(handle.split(":"))
            nodes.append(_Replacement(key, tuple(filters)))
    if open_key is not None:
        raise ValueError(f"template opens {{{{#{open_key}}}}} and never closes it")
    return tuple(nodes)


@dataclass(frozen=True, slots=True)
class _Context:
    fields: Mapping[str, str]
    ordinal: int
    #: the rendered question, on the answer side
    frontside: str | None


def _render(nodes: tuple[_Node, ...], context: _Context) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, _Conditional):
            if _is_filled(node.key, context) != node.negated:
                parts.append(_render(node.children, context))
        elif node.key == "FrontSide":
            parts.append(context.frontside or "")
        elif node.key or not node.filters:
            parts.append(_replace(node, context))
    return "".join(parts)


def _is_filled(key: str, context: _Context) -> bool:
    value = context.fields.get(key)
    if value is None and not re.fullmatch(r"c[0-9]+", key):
        raise ValueError(f"template tests the field '{key}', which the note type does not have")
    return value is not None and not _EMPTY_FIELD.match(value)


def _replace(node: _Replacement, context: _Context) -> str:
    if node.key not in context.fields:
        raise ValueError(f"template shows the field '{node.key}', which the note type does not have")
    text = context.fields[node.key]
    for name in node.filters:
        if name != "cloze":
            raise ValueError(f"the template filter '{name}' is not supported here; render with the anki engine")
        text = _strip_html_inside_mathjax(_reveal_clozes(text, context.ordinal + 1, context.frontside is None))
    return text


# Cloze deletions, as rslib/src/cloze.rs tokenizes, nests and reveals them.


@dataclass(slots=True)
class _Cloze:
    ordinal: int
    nodes: list[str | _Cloze]
    hint: str | None = None


def _parse_clozes(text: str) -> list[str | _Cloze]:
    output: list[str | _Cloze] = []
    open_clozes: list[_Cloze] = []
    position = 0
    while position < len(text):
        opening = _cloze_opening(text, position)
        if opening:
            if len(open_clozes) < _MAX_OPEN_CLOZES:
                open_clozes.append(_Cloze(int(opening.group(1)), []))
            position = opening.end()
        elif text.startswith("}}", position):
            position += 2
            if open_clozes:
                closed = open_clozes.pop()
                (open_clozes[-1].nodes if open_clozes else output).append(closed)
            else:
                output.append("}}")
        else:
            end = _next_marker(text, position + 1)
            chunk = text[position:end]
            position = end
            if open_clozes:
                head, separator, tail = chunk.partition("::")
                if separator:
                    chunk, open_clozes[-1].hint = head, tail
                open_clozes[-1].nodes.append(chunk)
            else:
                output.append(chunk)
    return output


def _cloze_opening(text: str, position: int) -> re.Match[str] | None:
    """'{{c3::' at the position; a number too big for Anki's 16 bits opens nothing."""
    opening = OPENING.match(text, position)
    return opening if opening and int(opening.group(1)) <= 0xFFFF else None


def _next_marker(text: str, start: int) -> int:
    for position in range(start, len(text)):
        if text.startswith("}}", position) or _cloze_opening(text, position):
            return position
    return len(text)


def _reveal_clozes(text: str, number: int, question: bool) -> str:
    found = [False]
    parts = [
        node if isinstance(node, str) else _reveal(node, number, question, found) for node in _parse_clozes(text)
    ]
    return "".join(parts) if found[0] else ""


def _reveal(cloze: _Cloze, number: int, question: bool, found: list[bool]) -> str:
    active = cloze.ordinal == number
    found[0] = found[0] or active
    inner = "".join(
        node if isinstance(node, str) else _reveal(node, number, question, found) for node in cloze.nodes
    )
    hint = cloze.hint if cloze.hint is not None else "..."
    if question and active:
        return (
            f'<span class="cloze" data-cloze="{_encode_attribute(inner)}" data-ordinal="{cloze.ordinal}">'
            f"[{hint}]</span>"
        )
    if active:
        return f'<span class="cloze" data-ordinal="{cloze.ordinal}">{inner}</span>'
    return f'<span class="cloze-inactive" data-ordinal="{cloze.ordinal}">{inner}</span>'


_MINIMAL_ENTITIES = {'"': "&quot;", "&": "&amp;", "'": "&#x27;", "<": "&lt;", ">": "&gt;"}


def _encode_attribute(text: str) -> str:
    """As the htmlescape crate's encode_attribute: entities for markup, &#xHH; for other non-alphanumerics < 256."""
    out = []
    for character in text:
        code = ord(character)
        if character in _MINIMAL_ENTITIES:
            out.append(_MINIMAL_ENTITIES[character])
        elif code < 256 and (code > 127 or not (character.isascii() and character.isalnum())):
            out.append(f"&#x{code:02X};")
        else:
            out.append(character)
    return "".join(out)


def _strip_html_inside_mathjax(text: str) -> str:
    return _MATHJAX.sub(lambda match: match.group(1) + _HTML.sub("", match.group(2)) + match.group(3), text)


def _extract_sounds(text: str, side: str) -> str:
    """[sound:name] → [anki:play:q:0], numbered per side, as the apps receive it (each becomes a play button)."""
    counter = iter(range(len(text)))
    return _SOUND.sub(lambda match: f"[anki:play:{side}:{next(counter)}]", text)
