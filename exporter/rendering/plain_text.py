"""Field HTML → the plain text a learner reads on the card, for outputs that hold plain text (the spreadsheet).

Line breaks, paragraphs and list items each start a line (no blank lines), a list item with "- "; a picture
becomes "[picture: its alt text]"; entities are read. Cloze deletions stay as the card set writes them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "ul", "ol"})
_BLANK_LINES = re.compile(r"\n{2,}")


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
