"""What the tests share besides fixtures (those are in conftest.py): the small card sets, running the command
line, looking at an output folder, raising the version, a big topic file. No test module imports another."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.errors import Location
from exporter.model import Deck, content_fingerprint
from exporter.pipeline.cache import CACHE_FOLDER
from exporter.pipeline.checked_stream import Checked
from exporter.pipeline.whole_deck import shipped_notes
from exporter.release.comparison import Consent
from exporter.rendering.notes import RenderedNote

if TYPE_CHECKING:
    from anki.collection import Collection

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid"
#: A fixed build time, so outputs are comparable across runs.
BUILD_TIME = 1_764_000_000

#: The smallest deck file, and one good card, that the bad-input tables change one thing at a time.
DECK = """\
id: test-deck
title: Test Deck
version: "1.0.0"
outcomes:
  LO1: Explain the integrated approach
"""

GOOD_CARD = """\
  - id: unct
    kind: acronym
    term: UNCT
    expansion: United Nations Country Team
    source: {slide: 6}
    outcomes: [LO1]
"""
#: GOOD_CARD's approved_fingerprint (in its subdeck, Acronyms)
GOOD_CARD_PRINT = content_fingerprint(
    "acronym", "Acronyms", {"term": "UNCT", "expansion": "United Nations Country Team"}
)


#: Row 1 of the review sheet's Cards sheet: its columns, in order, as a reviewer sees them.
REVIEW_SHEET_COLUMNS = (
    "id",
    "kind",
    "subdeck",
    "front",
    "back",
    "extra",
    "source",
    "passage",
    "status",
    "reviewed by",
    "reviewed on",
    "decision",
    "your name",
    "comment",
    "fingerprint",
)


def sheet_column(name: str) -> int:
    """The number (1 for A) of the review sheet's column headed name, as openpyxl's cell() takes it."""
    return REVIEW_SHEET_COLUMNS.index(name) + 1


def modules_imported(*python_args: str) -> set[str]:
    """Every module a fresh Python process imports to run python_args (as after `python`)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *python_args], capture_output=True, text=True, check=True
    )
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def copy_card_set(source: Path, target: Path) -> Path:
    """A writable copy of the card set source at target, without the cache a command may have left in it:
    the commands keep a cache in the card folder, so a test runs them on a copy, never on tests/data itself."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(CACHE_FOLDER))
    return target


def topic(*cards: str, header: str = "subdeck: Acronyms\ncards:\n") -> str:
    """A topic file holding these cards."""
    return header + "".join(cards)


def card_set(folder: Path, topics: dict[str, str], *, deck: str = DECK, name: str = "cards") -> Path:
    """The card folder folder/name (made if missing): deck.yaml holding deck, and each topic file by name."""
    cards = folder / name
    cards.mkdir(parents=True, exist_ok=True)
    (cards / "deck.yaml").write_text(deck, encoding="utf-8")
    for file_name, text in topics.items():
        (cards / file_name).write_text(text, encoding="utf-8")
    return cards


def run(*args: str) -> tuple[int, str, str]:
    """The command line, in this process: exit code, stdout, stderr (a crash is raised, not returned)."""
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def build_in_cwd(*options: str) -> tuple[int, str, str]:
    """Build cards into dist in the working folder: exit code, stdout, stderr."""
    return run("build", "cards", "-o", "dist", *options)


def outputs(folder: Path) -> dict[str, bytes]:
    """The files of an output folder, by name."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder under folder, hidden ones too, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"<folder>"
        for path in sorted(folder.rglob("*"))
    }


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first old by new in a text file (old must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def bump_version(cards: Path, version: str) -> None:
    """Give the card set's deck.yaml this version, whatever it had."""
    deck = cards / "deck.yaml"
    text, count = re.subn(
        r"^version: .*$", f'version: "{version}"', deck.read_text(encoding="utf-8"), count=1, flags=re.M
    )
    assert count == 1, f"no version line in {deck}"
    deck.write_text(text, encoding="utf-8")


def release(
    cards: Path,
    out: Path,
    version: str,
    when: int,
    monkeypatch: pytest.MonkeyPatch,
    consent: Consent = Consent(),
) -> Path:
    """Build the card set as this version at this time; the package's path."""
    from exporter.pipeline.build import build

    bump_version(cards, version)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(when))
    build(cards, out, consent=consent)
    return out / "test-deck.apkg"


def first_release_in_anki(tmp_path: Path, cards: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> Collection:
    """A fresh collection into which release 1.0.0 of the card set was imported."""
    from tests.anki_engine import fresh_collection, import_apkg

    collection = fresh_collection(tmp_path)
    import_apkg(collection, release(cards, out, "1.0.0", BUILD_TIME, monkeypatch))
    return collection


def big_topic_file(
    cards: Path,
    count: int,
    *,
    comment: bool = True,
    extra: str = "",
    extra_after: int = 0,
    broken: int | None = None,
) -> Path:
    """A card set (the valid deck file and t.yaml) of count acronym cards card-0, card-1, … (expansions
    'United Nations Country Team 0' …, so no two share an answer), six lines each,
    the first at line 4 (3 without the comment); extra follows card extra_after, and card broken (if any) has
    'trem' for 'term'."""
    cards.mkdir()
    shutil.copy(VALID / "deck.yaml", cards / "deck.yaml")
    body = "".join(
        GOOD_CARD.replace("id: unct", f"id: card-{number}")
        .replace("term:", "trem:" if number == broken else "term:")
        .replace("Team", f"Team {number}")
        + (extra if number == extra_after else "")
        for number in range(count)
    )
    header = ("# a comment\n" if comment else "") + "subdeck: Acronyms\ncards:\n"
    (cards / "t.yaml").write_text(header + body, encoding="utf-8")
    return cards


def study_everything(col) -> int:  # type: ignore[no-untyped-def]
    """Answer every card 'Good' until nothing is due today, as a diligent learner would; return answers given."""
    for deck in col.decks.all_names_and_ids():
        config = col.decks.config_dict_for_deck_id(deck.id)
        config["new"]["perDay"] = 9999
        col.decks.update_config(config)
    col.decks.select(col.decks.id_for_name("Test Deck"))
    answers = 0
    while (card := col.sched.getCard()) is not None:
        col.sched.answerCard(card, 3)
        answers += 1
    return answers


def schedule(col) -> dict[int, tuple[int, int, int, int, int]]:  # type: ignore[no-untyped-def]
    """Each card's scheduling state: type, queue, due, interval, reviews."""
    return {
        cid: (card.type, card.queue, card.due, card.ivl, card.reps)
        for cid in col.find_cards("")
        for card in [col.get_card(cid)]
    }


def tiny_png(red: int) -> bytes:
    """A real 1×1 PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = zlib.compress(bytes([0, red, 40, 40]))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", pixel)
        + chunk(b"IEND", b"")
    )


def shipped(checked: Checked) -> list[RenderedNote]:
    """The notes a build of a checked card set ships."""
    assert checked.deck is not None, checked.problems
    return shipped_notes(checked.deck, checked.media)[0]


#: The training text of tests/data/varied, without slide 16 (so one card's source points nowhere).
VARIED_TEXT = """\
Effective Strategic Partnership
Slide 9
The Deputy SRSG may also be the Resident Coordinator and the Humanitarian Coordinator: the DSRSG/RC/HC.
International and Regional Non-UN Partners
Slide 11
Non-governmental organizations (NGOs) such as OXFAM work with missions.
Slide 12
What Are Humanitarian Activities?
Humanitarian assistance follows humanity, neutrality and impartiality.
The ICRC is neither part of the UN nor an NGO; it is neutral and independent.
Slide 14
Agencies deliver aid by support to the host state, direct implementation, contracting services and programme aid.
"""


#: The deck of test-deck 1.1.0 as a record, for tests that hand-make notes for the comparison.
DECK_RECORD = Deck(
    id="test-deck",
    title="Test Deck",
    version="1.1.0",
    description="",
    source_title="",
    source_document="",
    outcomes={},
    topics=(),
    location=Location("cards/deck.yaml", 1, 1),
)
