"""Field text → the HTML a card shows: Markdown (CommonMark, via markdown-it-py) for emphasis, lists and line
breaks, raw HTML allowed, and everything through the allowlist sanitizer afterwards.

Most fields are plain sentences; they skip both steps and come back as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from exporter.rendering.sanitizing import clean_html

# Anything Markdown or HTML could act on: markup characters, a line break, or a list marker at a line start
# (without a line break, only the text's start is one: two plain patterns beat one with ^; see
# docs/performance.md).
_MARKUP_CHARACTER = re.compile(r"[*_`#<>&\[\]!\\|~\n]")
_LIST_MARKER = re.compile(r"\s*(?:[-+]|\d+[.)])\s")
_ONE_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*)</p>\n?", re.DOTALL)


@lru_cache(maxsize=1)
def _markdown():  # type: ignore[no-untyped-def]
    # Imported on first use: most commands and most fields never need it.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "breaks": True})


def field_html(text: str) -> str:
    """A text field as safe HTML; plain text is returned unchanged."""
    if not _needs_rendering(text):
        return text
    return clean_html(markup_html(text)).strip()


def markup_html(text: str) -> str:
    """The HTML Markdown makes of a text field, before sanitizing: what validation reports removals from."""
    if not _needs_rendering(text):
        return text
    rendered: str = _markdown().render(text)
    single = _ONE_PARAGRAPH.fullmatch(rendered)
    if single:
        # A one-paragraph field stays inline, as plain text would be, instead of gaining <p> margins.
        rendered = single.group(1)
    return rendered.replace("<br />\n", "<br>")


def _needs_rendering(text: str) -> bool:
    return _MARKUP_CHARACTER.search(text) is not None or _LIST_MARKER.match(text) is not None
