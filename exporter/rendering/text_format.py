"""Field text → the HTML a card shows: a few Markdown constructs (via markdown-it-py), raw HTML allowed, and
everything through the allowlist sanitizer afterwards.

The rule a trainer can predict (the README states it): `*emphasis*` and `**strong**` at word edges, a line break
where the line breaks, bullet lists of lines starting "- " or "* ", pictures as `![alt](file.png)`, HTML tags
and entities, and links `[text](url)`, which the sanitizer reduces to their text with a warning. Everything else
is shown as written: "1945." never starts a numbered list, `2*3*4` and `__init__` keep their stars and
underscores, a backslash stays (MathJax's `\\(...\\)` reaches Anki), `#`, `>` and backticks are plain text.
Most fields are plain sentences; they skip both steps and come back as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from exporter.rendering.sanitizing import clean_html

# Anything the rule above could act on: markup characters, a line break, or a list marker at the text's start.
_MARKUP_CHARACTER = re.compile(r"[*<>&!\[\n]")
_LIST_MARKER = re.compile(r"\s*-\s")
_ONE_PARAGRAPH = re.compile(r"<p>((?:(?!<p>).)*)</p>\n?", re.DOTALL)
#: The markdown-it rules kept from CommonMark; every other construct is text.
_KEPT_RULES = frozenset(
    {"paragraph", "list", "html_block", "html_inline", "newline", "image", "link", "entity", "emphasis", "text"}
)
_BULLETS = "-*"


@lru_cache(maxsize=1)
def _markdown():  # type: ignore[no-untyped-def]
    # Imported on first use: most commands and most fields never need it.
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": True, "breaks": True})
    markdown.disable([name for name in _rule_names(markdown) if name not in _KEPT_RULES])
    _wrap(markdown.block.ruler, "list", _bullets_only)
    _wrap(markdown.inline.ruler, "emphasis", _stars_at_word_edges)
    return markdown


def _wrap(ruler, name: str, wrapper) -> None:  # type: ignore[no-untyped-def]
    """Put wrapper(rule) in the place of a rule, where it also ends the same blocks (its "alt" chains)."""
    rule = ruler.__rules__[ruler.__find__(name)]
    ruler.at(name, wrapper(rule.fn), {"alt": list(rule.alt)})


def _rule_names(markdown) -> list[str]:  # type: ignore[no-untyped-def]
    rulers = (markdown.block.ruler, markdown.inline.ruler)
    return [rule.name for ruler in rulers for rule in ruler.__rules__]


def _bullets_only(list_rule):  # type: ignore[no-untyped-def]
    """The list rule for bullet lists only: a line starting "1945. " or "+ " stays a line of text."""

    def bullet_list(state, start_line, end_line, silent):  # type: ignore[no-untyped-def]
        first = state.bMarks[start_line] + state.tShift[start_line]
        if first >= len(state.src) or state.src[first] not in _BULLETS:
            return False
        return list_rule(state, start_line, end_line, silent)

    return bullet_list


def _stars_at_word_edges(emphasis_rule):  # type: ignore[no-untyped-def]
    """The emphasis rule for stars only, and only where a star does not join two letters or digits (2*3*4)."""

    def star_emphasis(state, silent):  # type: ignore[no-untyped-def]
        start = state.pos
        if state.src[start] != "*":
            return False
        first_new = len(state.delimiters)
        if not emphasis_rule(state, silent):
            return False
        # CommonMark lets a star open or close inside a word; the underscore's stricter flanking rule does not.
        strict = state.scanDelims(start, False)
        for delimiter in state.delimiters[first_new:]:
            delimiter.open, delimiter.close = strict.can_open, strict.can_close
        return True

    return star_emphasis


def field_html(text: str) -> str:
    """A text field as safe HTML; plain text is returned unchanged."""
    if not _needs_rendering(text):
        return text
    return _sanitized(text)


def markup_html(text: str) -> str:
    """The HTML Markdown makes of a text field, before sanitizing: what validation reports removals from."""
    if not _needs_rendering(text):
        return text
    return _rendered(text)


# Several checks of one card ask for the same field with markup (the markup rule, the text rules, the cloze
# checks): the last few are kept, so they render and sanitize it once. Plain text never gets here.
@lru_cache(maxsize=8)
def _sanitized(text: str) -> str:
    return clean_html(_rendered(text)).strip()


@lru_cache(maxsize=8)
def _rendered(text: str) -> str:
    rendered: str = _markdown().render(text)
    single = _ONE_PARAGRAPH.fullmatch(rendered)
    if single:
        # A one-paragraph field stays inline, as plain text would be, instead of gaining <p> margins.
        rendered = single.group(1)
    return rendered.replace("<br />\n", "<br>")


def _needs_rendering(text: str) -> bool:
    return _MARKUP_CHARACTER.search(text) is not None or _LIST_MARKER.match(text) is not None
