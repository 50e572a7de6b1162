"""The deck file's keys for language editions: which to build, and how much of each must be translated."""

from __future__ import annotations

import re

from exporter.reading.nodes import NodeReader, Values

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")


def read_languages(reader: NodeReader, values: Values) -> tuple[str, ...]:
    """The editions to build: language codes, the English source edition left out."""
    if "languages" not in values:
        return ()
    codes = reader.words(values["languages"][0], "'languages'")
    for code in codes:
        if not _LANGUAGE_CODE.fullmatch(code) or code == "en":
            reader.problem(
                values["languages"][0],
                f"'languages' lists {code!r}, which is not a language code for an edition; write codes like fr, "
                "ar or pt-BR (English is the source edition and needs none)",
            )
            return ()
    return tuple(dict.fromkeys(codes))


def read_coverage(reader: NodeReader, values: Values) -> int:
    """The share of entries (percent) each edition must have translated; 0 when the deck file does not say."""
    if "translation_coverage" not in values:
        return 0
    node = values["translation_coverage"][0]
    text = reader.text(node, "'translation_coverage'") or ""
    if not text.isdigit() or int(text) > 100:
        reader.problem(node, "'translation_coverage' must be a whole percentage from 0 to 100, like 90")
        return 0
    return int(text)
