"""The media files a field's HTML names, and those names pointed at the files as the package stores them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

# Where field HTML names a file: an image source, or Anki's sound tag.
_REFERENCE = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")|(\[sound:)([^\]]*)(\])')


def references(field_html: str) -> Iterator[str]:
    """The media names a field's HTML refers to."""
    for match in _REFERENCE.finditer(field_html):
        yield match.group(2) if match.group(1) else match.group(5)


def rewrite_references(field_html: str, stored_names: Mapping[str, str]) -> str:
    """Point each reference at the file's stored name; unknown names are left for validation to report."""
    if "src=" not in field_html and "[sound:" not in field_html:
        return field_html

    def replace(match: re.Match[str]) -> str:
        opening, name, closing = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        return f"{opening}{stored_names.get(name, name)}{closing}"

    return _REFERENCE.sub(replace, field_html)
