"""The media files a field's HTML names, and those names pointed at the files as the package stores them, or
at the data: addresses of a page that fetches nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

_IMAGE_SOURCE = r'(<img\b[^>]*?\bsrc=")([^"]*)(")'
_IMAGE = re.compile(_IMAGE_SOURCE)
# Where field HTML names a file: an image source, or Anki's sound tag.
_REFERENCE = re.compile(_IMAGE_SOURCE + r"|(\[sound:)([^\]]*)(\])")


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


def with_image_sources(html: str, sources: Mapping[str, str]) -> str:
    """Point each image at the source given for its name (a data: address on the pages); others stay as they are."""
    if not sources:
        return html
    return _IMAGE.sub(
        lambda match: match.group(1) + sources.get(match.group(2), match.group(2)) + match.group(3), html
    )
