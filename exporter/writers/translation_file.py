"""A language's translation file (gettext PO) as `flashcards translations update` writes it: one entry per
English text in deck order, new English as an empty entry, changed English as a fuzzy entry that keeps the
English it was translated from (``#| msgid``) for the translator, entries of texts gone as obsolete (``#~``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polib


@dataclass(frozen=True, slots=True)
class Updated:
    """A translation file brought up to date with the English, and what changed in it."""

    catalog: polib.POFile
    added: int
    fuzzy: int
    obsolete: int


def updated_catalog(
    old: polib.POFile | None, texts: Sequence[tuple[str, str]], *, lang: str, project: str
) -> Updated:
    """The translation file for these English texts (context, English), keeping old's translations."""
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Project-Id-Version": project,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    previous = {} if old is None else {entry.msgctxt: entry for entry in old if entry.msgctxt}
    added = fuzzy = 0
    for context, english in texts:
        entry = previous.pop(context, None)
        if entry is None:
            entry = polib.POEntry(msgctxt=context, msgid=english, msgstr="")
            added += 1
        elif entry.msgid != english:
            if entry.msgstr and not entry.fuzzy:
                entry.previous_msgid = entry.msgid
                entry.flags.append("fuzzy")
                fuzzy += 1
            entry.msgid = english
        entry.obsolete = False
        catalog.append(entry)
    gone = list(previous.values()) + ([] if old is None else list(old.obsolete_entries()))
    for entry in gone:
        if entry.msgstr and entry.msgctxt:  # an untranslated entry of a removed text is of no use to anyone
            entry.obsolete = True
            catalog.append(entry)
    return Updated(catalog, added, fuzzy, sum(1 for entry in previous.values() if entry.msgstr))


def translation_file_text(catalog: polib.POFile) -> str:
    """The file's text, as PO editors write it."""
    return str(catalog)
