"""Field text → safe HTML: an allowlist sanitizer (nh3, the Rust ammonia library) plus a report of what it removed.

Anki runs any script found in a field on the learner's phone, and decks must work offline, so only plain
formatting survives: no scripts, no event handlers, no links out, no remote or ``data:`` resources.
"""
from __future__ import annotations

from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset({
    "b", "strong", "i", "em", "u", "s", "sub", "sup", "small", "mark", "br", "p", "div", "span",
    "ul", "ol", "li", "code", "img",
})
ALLOWED_ATTRIBUTES = {"img": {"src", "alt"}}
# Tags whose content is dropped with them, not shown as text.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "svg", "math",
                                   "noscript", "textarea", "select"})
# Characters that make text need the sanitizer at all; plain text passes through untouched.
_MARKUP_CHARACTERS = ("<", ">", "&")


def clean_html(text: str) -> str:
    """Return the field as safe HTML; plain text comes back unchanged."""
    if not any(character in text for character in _MARKUP_CHARACTERS):
        return text
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )


def removed_markup(text: str) -> list[str]:
    """Describe each piece of markup the sanitizer will remove, e.g. "<script> element", "onerror= attribute"."""
    if "<" not in text:
        return []
    finder = _RemovalFinder()
    finder.feed(text)
    finder.close()
    return list(dict.fromkeys(finder.removed))


class _RemovalFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.removed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.removed.append(f"<{tag}> element")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                self.removed.append(f"{name}= attribute on <{tag}>")
            elif name == "src" and value is not None and _is_remote_or_scripted(value):
                self.removed.append(f"src=\"{value[:40]}\" on <{tag}> (only files bundled with the deck)")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.removed.append("an HTML comment")


def _is_remote_or_scripted(url: str) -> bool:
    head = url.strip().lower()
    return ":" in head.split("/", 1)[0] or head.startswith("//")
