"""The names of a release's files in the output folder: the English edition's and each language edition's."""

from __future__ import annotations

import dataclasses
import re

from exporter.model import Deck
from exporter.release.ledger import LEDGER_FILE
from exporter.rendering.translation import edition_id

CHANGELOG_FILE = "CHANGELOG.md"


def output_names(deck: Deck) -> dict[str, str]:
    """The files a build writes, by what they are for; a language edition's deck id ends in its language
    (mission-partners.fr), and its ledger and changelog are ledger.fr.json and CHANGELOG.fr.md."""
    suffix = f".{deck.lang}" if deck.lang else ""
    return {
        "apkg": f"{deck.id}.apkg",
        "anki_csv": f"{deck.id}.anki.csv",
        "spreadsheet_csv": f"{deck.id}.spreadsheet.csv",
        "ledger": LEDGER_FILE.replace(".json", f"{suffix}.json"),
        "changelog": CHANGELOG_FILE.replace(".md", f"{suffix}.md"),
        "install_sheet": f"{deck.id}.install.html",
    }


def every_output_name(deck: Deck) -> list[str]:
    """The files a build writes for the English edition and each language edition deck.yaml lists."""
    editions = [dataclasses.replace(deck, id=edition_id(deck.id, lang), lang=lang) for lang in deck.languages]
    return [name for each in [deck, *editions] for name in output_names(each).values()]


_EDITION_FILE = re.compile(r"(ledger\.[\w-]+\.json|CHANGELOG\.[\w-]+\.md)\Z")


def is_release_file(name: str) -> bool:
    """Whether a build writes files of this name (for some deck): no other output may take it."""
    return (
        name in (LEDGER_FILE, CHANGELOG_FILE)
        or name.endswith((".apkg", ".anki.csv", ".spreadsheet.csv", ".install.html"))
        or _EDITION_FILE.match(name) is not None
    )
