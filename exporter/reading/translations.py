"""A language's translation file (gettext PO, ``translations/<lang>.po``) → its entries, or the problems that
keep it from being read: its encoding, its syntax, entries with no context or a context given twice.

What an entry may say (known contexts, markup, cloze deletions) is checking's job (checking/translations.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.errors import Location, Problem
from exporter.model import Translation

if TYPE_CHECKING:
    import polib

TRANSLATIONS_FOLDER = "translations"
#: A translator's comment on an entry drafted without a reviewer: the review page marks it until removed.
AWAITING_REVIEW = "awaiting review"
_LINE_IN_MESSAGE = re.compile(r"\(line (\d+)\)")
# A PO line: a comment, a keyword and one quoted string, or a quoted string that continues the one above (polib
# itself reads some broken lines without a word, so every line is checked first).
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(rf"\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_QUOTED}|{_QUOTED})?\s*")
_CHARSET = re.compile(r"charset=([\w.-]+)", re.IGNORECASE)


def translation_path(cards_dir: Path, lang: str) -> Path:
    """Where a language's translation file lives in a card set."""
    return Path(cards_dir) / TRANSLATIONS_FOLDER / f"{lang}.po"


def read_translations(path: Path, shown: str) -> tuple[tuple[Translation, ...], list[Problem]]:
    """The entries of a translation file (obsolete ones left out), or the problems that stop reading it."""
    data = translation_file_bytes(path, shown)
    return ((), [data]) if isinstance(data, Problem) else translations_of(data, shown)


def translations_of(data: bytes, shown: str) -> tuple[tuple[Translation, ...], list[Problem]]:
    """read_translations of a translation file's bytes."""
    catalog = catalog_of(data, shown)
    if isinstance(catalog, Problem):
        return (), [catalog]
    entries: list[Translation] = []
    problems: list[Problem] = []
    first_lines: dict[str, int] = {}
    for entry in catalog:
        where = Location(shown, entry.linenum or 1, 1)
        if not entry.msgctxt:
            problems.append(
                Problem(
                    where,
                    "this entry has no msgctxt, so nothing says what it translates; give it the "
                    "context 'flashcards translations update' wrote (like msgctxt \"card-id.question\")",
                )
            )
            continue
        if entry.msgctxt in first_lines:
            problems.append(
                Problem(
                    where,
                    f"{entry.msgctxt!r} is translated a second time here (first on line "
                    f"{first_lines[entry.msgctxt]}); keep one of the two entries",
                )
            )
            continue
        first_lines[entry.msgctxt] = where.line
        entries.append(
            Translation(
                entry.msgctxt,
                entry.msgid,
                entry.msgstr,
                entry.fuzzy,
                where,
                entry.previous_msgid or "",
                AWAITING_REVIEW in (entry.tcomment or ""),
            )
        )
    return tuple(entries), problems


def read_catalog(path: Path, shown: str) -> polib.POFile | Problem:
    """The translation file as polib reads it (for updating it), or the problem that stops reading it."""
    data = translation_file_bytes(path, shown)
    return data if isinstance(data, Problem) else catalog_of(data, shown)


def translation_file_bytes(path: Path, shown: str) -> bytes | Problem:
    """A translation file's bytes, or the problem that keeps them from being read."""
    try:
        return path.read_bytes()
    except OSError as error:
        return Problem(Location(shown), f"cannot read the translation file: {error.strerror or error}")


def catalog_of(data: bytes, shown: str) -> polib.POFile | Problem:
    """read_catalog of a translation file's bytes."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Problem(
            Location(shown, line, 1),
            f"the translation file is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8 "
            "(in Poedit: Catalog → Properties → UTF-8)",
        )
    if "\x00" in text:
        return Problem(Location(shown, 1, 1), "the translation file holds NUL bytes; save it as UTF-8 text")
    text = text.removeprefix("\ufeff")
    catalog = _parsed(text)
    if isinstance(catalog, int):
        return Problem(
            Location(shown, catalog, 1),
            "this is not valid gettext PO syntax (every entry is msgctxt, msgid and msgstr lines of quoted "
            "text); fix the line, or open the file in a PO editor such as Poedit",
        )
    charset = _CHARSET.search(catalog.metadata.get("Content-Type", ""))
    if charset is not None and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        return Problem(
            Location(shown, 1, 1),
            f"the translation file says it is {charset.group(1)}, but translation files are UTF-8; set "
            "'Content-Type: text/plain; charset=UTF-8' and save it as UTF-8",
        )
    return catalog


def _parsed(text: str) -> polib.POFile | int:
    """The text read by polib, or the number of the first line that is not PO."""
    import polib  # here: a translation file found in the cache is not parsed, and polib costs start-up

    for number, line in enumerate(text.splitlines(), 1):
        if not _PO_LINE.fullmatch(line):
            return number
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as error:
        found = _LINE_IN_MESSAGE.search(str(error))
        return int(found.group(1)) if found else 1
