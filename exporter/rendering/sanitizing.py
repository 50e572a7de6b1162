"""Field text → safe HTML: an allowlist sanitizer (nh3, the Rust ammonia library) plus a report of what it removed.

Anki runs any script found in a field on the learner's phone, and decks must work offline, so only plain
formatting survives: no scripts, no event handlers, no links out, no remote or ``data:`` resources. An image's
source must be a relative path (a file of the deck's media/ folder, checked there); a scheme, a host or a
backslash drops it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from exporter.errors import shorten

ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "sub",
        "sup",
        "small",
        "mark",
        "br",
        "p",
        "div",
        "span",
        "ul",
        "ol",
        "li",
        "code",
        "img",
    }
)
ALLOWED_ATTRIBUTES = {"img": {"src", "alt"}}
# Tags whose content is dropped with them, not shown as text.
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "svg", "math", "noscript", "textarea", "select"}
)
# Characters that make text need the sanitizer at all; plain text passes through untouched.
_MARKUP_CHARACTERS = ("<", ">", "&")
# What a browser ignores in a URL: tabs and line breaks anywhere, control characters and spaces around it.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(chr(code) for code in range(0x21))
# A tag left open at the very end ("<img src=x onerror=..."): the sanitizer drops it whole.
_UNCLOSED_TAG = re.compile(r"<[A-Za-z!/?][^>]*\Z")


def clean_html(text: str) -> str:
    """Return the field as safe HTML; plain text comes back unchanged."""
    if not any(character in text for character in _MARKUP_CHARACTERS):
        return text
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        # "*" replaces ammonia's default of lang= and title= on every tag: only what is listed survives
        attributes={"*": set(), **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}},
        attribute_filter=_kept_attribute,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )


def is_local_path(url: str) -> bool:
    """Whether an image source is a relative path on the device (like maps/drc.png), not a URL fetched or run."""
    path = _URL_IGNORED.sub("", url).strip(_URL_TRIMMED)
    # "//host" and "\\host" (browsers read a backslash as a slash) name another machine; ':' starts a scheme
    return bool(path) and ":" not in path and "\\" not in path and not path.startswith("//")


def _kept_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "src" and not is_local_path(value):
        return None
    return value


def removed_markup(text: str) -> list[str]:
    """Describe each piece of markup the sanitizer will remove, e.g. "<script> element", "onerror= attribute"."""
    if "<" not in text:
        return []
    finder = _RemovalFinder()
    finder.feed(text)
    finder.close()
    unclosed = _UNCLOSED_TAG.search(text)
    if unclosed:
        finder.removed.append(f"the unclosed tag '{shorten(unclosed.group(), 30)}'")
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
            elif name == "src" and not is_local_path(value or ""):
                self.removed.append(
                    f'src="{shorten(value or "", 40)}" on <{tag}> (only files bundled with the deck)'
                )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.removed.append("an HTML comment")

    def handle_decl(self, decl: str) -> None:
        self.removed.append(f"the declaration <!{shorten(decl, 30)}>")

    def unknown_decl(self, data: str) -> None:
        self.removed.append(f"the section <![{shorten(data, 30)}]]>")

    def handle_pi(self, data: str) -> None:
        self.removed.append(f"the instruction <?{shorten(data, 30)}>")
