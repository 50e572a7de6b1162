"""A new card set that validates and builds at once: deck file, one card of each kind, a README for trainers."""

from __future__ import annotations

import json
import re
import shlex
import unicodedata
from importlib.resources import files
from pathlib import Path

import yaml

from exporter.errors import ExporterError, Location

SCHEMA_FOLDER = ".schema"

_DECK = """\
# yaml-language-server: $schema={schema}/deck.schema.json
id: {slug}                       # never change it once learners have the deck: their progress is tied to it
title: {title}
version: "0.1.0"                  # raise it for every release you hand out
description: "What this deck teaches, and for whom."
source:
  title: "The training text the cards come from"
outcomes:                         # the learning outcomes; cards link to them by key
  LO1: "Explain the first thing learners must be able to explain"
  LO2: "Name the second thing"
"""

_TOPIC = """\
# yaml-language-server: $schema={schema}/topic.schema.json
subdeck: Getting started          # the cards below go into the Anki deck "<title>::Getting started"
tags: [example]                   # added to every card in this file
cards:
  - id: example-acronym           # unique in the deck; never reuse an id for other content
    kind: acronym                 # makes two cards: term → expansion and expansion → term
    term: UNCT
    expansion: United Nations Country Team
    explanation: All the UN agencies, funds and programmes working in one country.
    source: {{slide: 6, section: Mission Partners}}
    outcomes: [LO1]

  - id: example-question
    kind: basic                   # question → answer
    question: How many broad categories of mission partners are there?
    answer: Three
    extra: "*UN Country Team*, national partners, and regional and international partners."
    source: {{slide: 5}}
    outcomes: [LO1, LO2]

  - id: example-cloze
    kind: cloze                   # one card per {{{{cN::...}}}} number
    text: "The humanitarian principles: {{{{c1::humanity}}}}, {{{{c2::neutrality}}}} and {{{{c3::impartiality}}}}."
    source: {{slide: 13}}
    outcomes: [LO2]
"""

_README = """\
# {plain_title}: card set

Flashcards for Anki, written in YAML. Edit the files, then build the deck:

    flashcards validate {folder}           # every problem, with file, line and column
    flashcards build {folder} -o dist      # writes dist/{id}.apkg for learners
    flashcards review {folder} -o dist/review.html   # every card as learners see it, for reviewers

- `deck.yaml`: the deck's id (never change it), title, version and learning outcomes.
- One file per subdeck (`01-getting-started.yaml` …), read in file-name order.
- Pictures and sounds go in `media/`; refer to them as `![alt text](map.png)` or `[sound:briefing.mp3]`.
- Text may use `*emphasis*`, `**bold**`, line breaks, bullet lists (lines starting `- `) and simple HTML
  (`<b>`, `<i>`, `<br>`); everything else shows exactly as written (`1945.` stays a year, not a list).
- Editors with YAML support (VS Code with the YAML extension) check the files as you type, using `{schema}/`.

The version starts at 0.1.0: a try-out, for you alone. Before the first release for learners, replace the
examples with your cards, drop the try-out with `flashcards discard-tryout {folder} -o dist`, set `version:
"1.0.0"` and build again.

Hand `dist/{id}.apkg` to learners: in AnkiDroid, AnkiMobile or Anki, open the file to import it. To update
the deck, edit the cards, raise `version` in `deck.yaml`, build again and hand out the new file: learners keep
their progress. Commit `dist/ledger.json` with the cards: it remembers what learners already have.
"""


def create_card_set(folder: Path, *, title: str | None = None, allow_nested: bool = False) -> list[Path]:
    """Write a new card set into an empty or new folder; return the files written.

    ExporterError if the folder is inside another card set, or inside a repository that holds one, unless
    allow_nested: built from there, the new deck's release would go into the other deck's output folder.
    """
    _refuse_unfit(folder, allow_nested=allow_nested)
    # "Unité 4" becomes "unite-4": accents dropped, not the letters that carry them
    ascii_name = unicodedata.normalize("NFKD", folder.resolve().name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "my-deck"
    title = (
        " ".join((title or folder.resolve().name.replace("-", " ").replace("_", " ").title()).split()) or "My Deck"
    )
    values = {
        # "2026" alone would be read as a number by editors; a JSON string is a YAML double-quoted string, so any
        # title survives, quotes and backslashes included
        "slug": slug if isinstance(yaml.safe_load(slug), str) else json.dumps(slug),
        "id": slug,
        "title": json.dumps(title, ensure_ascii=False),
        "plain_title": title,
        "schema": SCHEMA_FOLDER,
        "folder": shlex.quote(folder.as_posix()),
    }
    contents = {
        "deck.yaml": _DECK.format(**values),
        "01-getting-started.yaml": _TOPIC.format(**values),
        "README.md": _README.format(**values),
    }
    schemas = files("exporter") / "schema"
    for name in ("deck.schema.json", "topic.schema.json"):
        contents[f"{SCHEMA_FOLDER}/{name}"] = (schemas / name).read_text(encoding="utf-8")
    written = []
    try:
        (folder / SCHEMA_FOLDER).mkdir(parents=True, exist_ok=True)
        (folder / "media").mkdir(exist_ok=True)
        for name, text in contents.items():
            path = folder / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as error:
        raise ExporterError(
            Location(str(folder)), f"cannot create the card set: {error.strerror or error}"
        ) from None
    return written


def _refuse_unfit(folder: Path, *, allow_nested: bool) -> None:
    """ExporterError if the folder cannot take a new card set."""
    other = None if allow_nested else enclosing_card_set(folder)
    if other is not None:
        raise ExporterError(
            Location(str(folder)),
            f"this folder is inside {other}; a card set of its own belongs in a folder of its own, outside "
            "it (for example in your home folder), so its releases never mix with the other deck's. To keep it "
            "here on purpose, run init again with --allow-nested",
        )
    if folder.exists() and not folder.is_dir():
        raise ExporterError(
            Location(str(folder)), "this is a file, not a folder; give a new folder for the card set"
        )
    if folder.exists() and any(folder.iterdir()):
        raise ExporterError(
            Location(str(folder)),
            "the folder is not empty, and init never overwrites files; give a new folder for the card set",
        )


def enclosing_card_set(folder: Path) -> str | None:
    """What the folder is inside of, said for a message, if that is a card set or a git repository holding one
    (at its top or one folder down, as this project's cards/); None otherwise."""
    for parent in folder.resolve().parents:
        if (parent / "deck.yaml").is_file():
            return f"the card set {parent}"
        if (parent / ".git").exists():
            held = next((path.parent for path in sorted(parent.glob("*/deck.yaml")) if path.is_file()), None)
            if held is not None:
                return f"the git repository {parent}, which holds the card set {held}"
            return None
    return None
