"""The YAML mistakes people make, said in plain words at the place they were made: a quote or bracket never
closed (where it opened, not where the parser gave up, often past the end of the file), a line indented unlike
the card it belongs to, quotes pasted from a word processor."""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml

from exporter.errors import Location, Problem

# libyaml's scanner, unless PyYAML was built without libyaml
_Loader: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CURLY_QUOTES = re.compile("[“”‘’„«»]")
CURLY_HINT = "; “ ” are a word processor's quotes, which YAML reads as text: type straight quotes (\") instead"
_CURLY_COLON = (
    "text that holds ': ' must be quoted, and “ ” are a word processor's quotes, which YAML reads as text: type "
    'straight quotes (") instead'
)
_OPENERS = {
    "while scanning a quoted scalar": "a quote {char} opened here is never closed; end the text with {char}",
    "while parsing a flow sequence": "a '[' opened here is never closed; end the list with ']'",
    "while parsing a flow mapping": "a '{{' opened here is never closed; end it with '}}'",
}
_INDENTATION_PROBLEMS = (
    "mapping values are not allowed in this context",
    "did not find expected '-' indicator",
    "did not find expected key",
    "could not find expected ':'",
)


class _Line(NamedTuple):
    number: int  # from 1
    indent: int
    text: str  # without the indentation

    @property
    def is_item(self) -> bool:
        return self.text.startswith("- ") or self.text == "-"

    @property
    def key_column(self) -> int:
        """Where the keys of the mapping this line starts begin (0-based)."""
        return self.indent + 2 if self.is_item else self.indent

    @property
    def key(self) -> str:
        return self.text.removeprefix("-").strip().split(":", 1)[0]


def explained(error: yaml.MarkedYAMLError, text: str, shown: str) -> Problem | None:
    """The mistake behind a syntax error in plain words, where it was made; None if it is none of these."""
    lines = text.splitlines()
    opened = _unclosed(error, lines, shown)
    if opened is not None:
        return opened
    mark, problem = error.problem_mark, error.problem or ""
    if mark is None or not problem.startswith(_INDENTATION_PROBLEMS) or mark.line >= len(lines):
        return None
    if problem.startswith("mapping values") and curly_hint(lines, mark.line):
        return Problem(Location(shown, mark.line + 1, mark.column + 1), _CURLY_COLON)
    quoted = _quoted_before(text, mark)
    if quoted is not None:
        return _text_after_quote(quoted, mark, lines, shown)
    message = _misindented(lines, mark.line)
    if message is None:
        return None
    line = _line(lines, mark.line)
    return Problem(Location(shown, line.number, line.indent + 1), message + curly_hint(lines, mark.line))


def curly_hint(lines: list[str], *indexes: int) -> str:
    """The curly-quote hint if one of these lines (0-based) holds a word processor's quote."""
    if any(0 <= index < len(lines) and _CURLY_QUOTES.search(lines[index]) for index in indexes):
        return CURLY_HINT
    return ""


def _unclosed(error: yaml.MarkedYAMLError, lines: list[str], shown: str) -> Problem | None:
    mark = error.context_mark
    template = _OPENERS.get(error.context or "")
    problem = error.problem or ""
    if mark is None or template is None or not problem.startswith(("found unexpected end", "did not find")):
        return None
    opener = (
        lines[mark.line][mark.column] if mark.line < len(lines) and mark.column < len(lines[mark.line]) else '"'
    )
    message = template.format(char=opener)
    where = error.problem_mark
    if where is not None and where.line < len(lines):
        message += f" (YAML gave up at line {where.line + 1})"
    hint = curly_hint(lines, mark.line)
    return Problem(Location(shown, mark.line + 1, mark.column + 1), message + hint)


def _quoted_before(text: str, mark: yaml.Mark) -> yaml.ScalarToken | None:
    """The quoted text that ends just where the parser gave up, if that is where it gave up."""
    last = None
    try:
        for token in yaml.scan(text, Loader=_Loader):  # noqa: S506 - tokens, never objects
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            last = token
    except yaml.YAMLError:
        return None
    if isinstance(last, yaml.ScalarToken) and last.style in ('"', "'") and last.end_mark.line == mark.line:
        return last
    return None


def _text_after_quote(quoted: yaml.ScalarToken, mark: yaml.Mark, lines: list[str], shown: str) -> Problem:
    start, end = quoted.start_mark, quoted.end_mark
    quote = quoted.style
    if start.line != end.line:
        message = (
            f"a quote {quote} opened here is not closed on its line, so YAML reads on to the next {quote}, at "
            f"line {end.line + 1}, column {end.column}; end the text with {quote}"
        )
        return Problem(Location(shown, start.line + 1, start.column + 1), message + curly_hint(lines, start.line))
    inside = "write ' twice ('')" if quote == "'" else 'write \\" for "'
    other = '"..."' if quote == "'" else "'...'"
    message = (
        f"the text quoted with {quote} ends at this {quote}, and more text follows it on the line; inside the "
        f"quotes {inside}, or quote the text with {other} instead"
    )
    return Problem(Location(shown, end.line + 1, end.column), message + curly_hint(lines, end.line))


def _line(lines: list[str], index: int) -> _Line:
    raw = lines[index]
    stripped = raw.lstrip(" ")
    return _Line(index + 1, len(raw) - len(stripped), stripped.rstrip())


def _above(lines: list[str], index: int) -> list[_Line]:
    """The lines above this one that hold something, nearest first."""
    found = (_line(lines, i) for i in range(index - 1, -1, -1))
    return [line for line in found if line.text and not line.text.startswith("#")]


def _misindented(lines: list[str], index: int) -> str | None:
    here = _line(lines, index)
    above = _above(lines, index)
    card = next((line for line in above if line.is_item and line.indent < max(here.indent, 1) + 2), None)
    if card is None or (not here.is_item and here.indent < card.indent):
        return _misindented_key(here, above)
    where = f"the card it belongs to (line {card.number})"
    if here.is_item:
        if here.indent < card.indent:
            return f"line {here.number} is indented less than the card above it (line {card.number}); put its '-' under that card's '-', at column {card.indent + 1}"
        if here.indent >= card.key_column:
            return f"line {here.number} starts a card inside the card above it (line {card.number}); put its '-' under that card's '-', at column {card.indent + 1}"
        return None
    if here.indent > card.key_column:
        return f"line {here.number} is indented more than {where}; start it under '{card.key}', at column {card.key_column + 1}"
    if here.indent < card.key_column and here.indent > card.indent:
        return f"line {here.number} is indented less than {where}; start it under '{card.key}', at column {card.key_column + 1}"
    if here.indent == card.indent:
        return (
            f"line {here.number} lines up with the '-' of the card above it (line {card.number}) but has no '-'; "
            f"to go on with that card start it under '{card.key}', at column {card.key_column + 1}; to start a new "
            "card begin it with '- '"
        )
    return None


def _misindented_key(here: _Line, above: list[_Line]) -> str | None:
    """A key outside the cards indented under a line that already has its value."""
    if not above:
        return None
    previous = above[0]
    has_value = ":" in previous.text and previous.text.split(":", 1)[1].strip()
    if here.indent > previous.key_column and has_value:
        return (
            f"line {here.number} is indented more than line {previous.number} above it, which already has its "
            f"value; start it under '{previous.key}', at column {previous.key_column + 1}"
        )
    return None
