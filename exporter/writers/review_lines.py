"""A card file's text with new review keys written in: only the lines of those keys change.

The loader knows where each key of a card starts (Card.key_locations); a key's value runs to the next line
indented no deeper than the key. Every other byte (comments, blank lines, key order, quoting, the schema line,
line endings) stays as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

import yaml

from exporter.errors import ExporterError
from exporter.model import Card

# (the review keys, in the order they are written when added)
from exporter.reading.schema import REVIEW_KEYS

# The value of a one-line key, then a comment after it that must be kept.
_VALUE_AND_COMMENT = re.compile(r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^#]*?)(?P<comment>\s+#.*)?""")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .'()/-]*[A-Za-z0-9.)]|[A-Za-z]")

# Written quoted always, so a fingerprint of digits is never read as a number, nor a date as a date, by
# other YAML tools (the editors' schema check among them).
_QUOTED = ("reviewed_on", "approved_fingerprint")

#: For each card, the review keys to write (a value) or remove (None).
ReviewEdits = Sequence[tuple[Card, Mapping[str, str | None]]]


def with_reviews(text: str, edits: ReviewEdits) -> str:
    """The file's text with each card's review keys set or removed as asked."""
    lines = text.splitlines(keepends=True)
    ending = "\r\n" if "\r\n" in text else "\n"
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += ending
        added_ending = True
    else:
        added_ending = False
    # from the last card up, so the lines of the cards above stay where the loader saw them
    for card, values in sorted(edits, key=lambda edit: edit[0].location.line, reverse=True):
        _edit_card(lines, card, values, ending)
    result = "".join(lines)
    return result[: -len(ending)] if added_ending else result


def yaml_text(value: str, *, quoted: bool = False) -> str:
    """A value as YAML that reads back as this very text: plain when that is safe (and not asked to be quoted),
    else double-quoted."""
    if not quoted and _PLAIN.fullmatch(value) and yaml.safe_load(value) == value and ": " not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def _edit_card(lines: list[str], card: Card, values: Mapping[str, str | None], ending: str) -> None:
    indent = card.location.column - 1
    spans = _key_spans(lines, card, indent)
    review_spans = [spans[key] for key in REVIEW_KEYS if key in spans]
    insert_at = max(end for _, end in review_spans or spans.values())
    new_lines = []
    for key in REVIEW_KEYS:
        if key not in values or (values[key] is None and key not in spans):
            continue
        value = values[key]
        if key in spans:
            start, end = spans[key]
            replacement = (
                [] if value is None else [_key_line(lines[start], key, value, indent, end - start, ending)]
            )
            lines[start:end] = replacement
            shift = len(replacement) - (end - start)
            if start < insert_at:
                insert_at += shift
        elif value is not None:
            new_lines.append(f"{' ' * indent}{key}: {yaml_text(value, quoted=key in _QUOTED)}{ending}")
    lines[insert_at:insert_at] = new_lines


def _key_spans(lines: list[str], card: Card, indent: int) -> dict[str, tuple[int, int]]:
    """Each key's lines, as (first index, index after the last), its trailing blank lines left out."""
    starts = {}
    for key, where in card.key_locations.items():
        line = lines[where.line - 1] if 0 < where.line <= len(lines) else ""
        if where.column != card.location.column or not line[indent:].startswith(f"{key}:"):
            raise ExporterError(
                card.location,
                f"the card '{card.id}' is not written as one 'key: value' line per key, so its review cannot be "
                "recorded; write it that way (as the other cards are) and apply the sheet again",
            )
        starts[key] = where.line - 1
    spans = {}
    for key, start in starts.items():
        end = start + 1
        while end < len(lines) and _inside(lines[end], indent):
            end += 1
        while end - 1 > start and not lines[end - 1].strip():
            end -= 1
        spans[key] = (start, end)
    return spans


def _inside(line: str, indent: int) -> bool:
    """Whether a line after a key still belongs to its value: blank, or indented deeper than the key."""
    stripped = line.lstrip(" ")
    return not stripped.strip() or len(line) - len(stripped) > indent


def _key_line(old: str, key: str, value: str, indent: int, old_lines: int, ending: str) -> str:
    """The key's new line, keeping a comment written after a one-line value."""
    comment = ""
    if old_lines == 1:
        rest = old.rstrip("\r\n")[indent + len(key) + 1 :].strip(" ")
        match = _VALUE_AND_COMMENT.fullmatch(rest)
        comment = match.group("comment") or "" if match else ""
    return f"{' ' * indent}{key}: {yaml_text(value, quoted=key in _QUOTED)}{comment}{ending}"
