"""Field HTML → the plain text a learner reads on the card, for outputs that hold plain text (the spreadsheet), and
a field as one line that names a card without giving its cloze answers away (What's new, the install sheet).

Line breaks, paragraphs and list items each start a line (no blank lines), a list item with "- "; a picture
becomes "[picture: its alt text]"; entities are read. Cloze deletions stay as the card set writes them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from html.parser import HTMLParser

from exporter.kinds import KIND_BY_NAME
from exporter.rendering.cloze_syntax import DELETION, with_gaps
from exporter.rendering.text_format import field_html

_BLOCKS = frozenset({"p", "div", "ul", "ol"})
_BLANK_LINES = re.compile(r"\n{2,}")
_BREAK = re.compile(r"<br\s*/?>|</p>|</li>|</div>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


def card_sides(kind: str, fields: Mapping[str, str]) -> tuple[str, str, str]:
    """Front, back and extra as learners read them, in plain text; a cloze's deletions shown as […] in front.

    The review sheet shows these, and diff and the review page compare them with the approved ones."""
    card_kind = KIND_BY_NAME[kind]
    front_key, back_key, extra_key = card_kind.sides
    if card_kind.is_cloze:
        text = fields[front_key]
        front = with_gaps(text)
        return _side_text(front), _side_text(DELETION.sub(r"\2", text)), _side_text(fields.get(extra_key, ""))
    front, back, extra = (_side_text(fields.get(name, "")) for name in (front_key, back_key, extra_key))
    return front, back, extra


def gapped_line(field_html: str) -> str:
    """A field's HTML as one line of plain text, each cloze deletion (hint and all) a gap "[…]"."""
    return " ".join(html.unescape(_TAG.sub(" ", DELETION.sub("[…]", field_html))).split())


def _side_text(text: str) -> str:
    shown = _TAG.sub("", _BREAK.sub("\n", _ITEM.sub("\n• ", field_html(text))))
    lines = (" ".join(line.split()) for line in html.unescape(shown).splitlines())
    return "\n".join(line for line in lines if line)


def field_text(shown: str) -> str:
    """A note's field HTML → what the learner reads, as plain text; plain text comes back unchanged."""
    if "<" not in shown and "&" not in shown:
        return shown
    reader = _TextReader()
    reader.feed(shown)
    reader.close()
    lines = (line.strip() for line in "".join(reader.parts).split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "img":
            found = dict(attrs)
            self.parts.append(f"[picture: {found.get('alt') or found.get('src') or ''}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
