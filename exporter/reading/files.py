"""A card folder's files and their bytes and text, or one problem saying why a file cannot be read.

The bytes are checked first (what kind of file, its size), then the text (encoding, characters YAML refuses).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from exporter.errors import Location, Problem

DECK_FILE = "deck.yaml"
CARD_FILE_SUFFIXES = (".yaml", ".yml")
#: The largest card file read: a curriculum's cards in one file fit, and reading a larger one would take more
#: memory than a trainer's laptop can spare, so it is refused before it is read (see docs/performance.md).
MAX_FILE_BYTES = 50_000_000

# Characters YAML refuses (C0 and C1 controls, non-characters) and the line separators it would silently
# treat as line breaks; tab, line feed and carriage return are fine.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_CHARACTER_NAMES = {
    "\x00": "a NUL byte (0x00)",
    "\x85": "the next-line character U+0085",
    "\u2028": "the line separator U+2028",
    "\u2029": "the paragraph separator U+2029",
}
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_UTF8_BOM = b"\xef\xbb\xbf"


class Unreadable(Exception):
    """A file that cannot be read as a card file at all, with the one problem that says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def card_files(cards_dir: Path) -> list[Path]:
    """The topic files of a card set, in the order their subdecks appear."""
    return sorted(
        path
        for path in cards_dir.iterdir()
        if path.suffix in CARD_FILE_SUFFIXES and path.name != DECK_FILE and not path.name.startswith(".")
    )


def card_set_files(cards_dir: Path) -> tuple[tuple[bytes, str] | Problem, list[Path]]:
    """The deck file's bytes and the path messages show (or the problem that keeps the set from being read),
    and the topic files to read."""
    root = Path(cards_dir)
    shown_root = str(cards_dir)
    if not root.is_dir():
        return Problem(
            Location(shown_root), "not a folder of card files; give the folder that holds deck.yaml"
        ), []
    try:
        topic_paths = card_files(root)
    except OSError as error:
        return Problem(Location(shown_root), f"cannot list the folder: {error.strerror or error}"), []
    deck_path = root / DECK_FILE
    if not deck_path.exists():
        message = f"no {DECK_FILE} in the folder; create one with id, title, version and outcomes"
        return Problem(Location(shown_root), message), topic_paths
    return topic_file_bytes(deck_path, root), topic_paths


def topic_file_bytes(path: Path, root: Path) -> tuple[bytes, str] | Problem:
    """A card file's bytes and the path messages show, or the problem that keeps it from being read."""
    shown = os.path.normpath(str(path))
    # realpath, not Path.resolve: it never raises, even on a symlink loop (the read below reports that)
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        return Problem(
            Location(shown),
            "the file links outside the card folder; copy it into the folder instead of linking to it",
        )
    try:
        return read_bytes(path, shown), shown
    except Unreadable as unreadable:
        return unreadable.problem


def read_bytes(path: Path, shown: str) -> bytes:
    """A card file's bytes, refusing what is not an ordinary file of a card file's size."""
    # Opened without blocking so a named pipe is refused instead of waiting forever for a writer.
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise Unreadable(Problem(Location(shown), f"cannot read the file: {error.strerror or error}")) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable(
                Problem(Location(shown), "not a regular file; card files must be ordinary text files")
            )
        if status.st_size > MAX_FILE_BYTES:
            raise Unreadable(_too_big(shown, status.st_size))
        with os.fdopen(os.dup(descriptor), "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise Unreadable(Problem(Location(shown), f"cannot read the file: {error.strerror or error}")) from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise Unreadable(_too_big(shown, len(data)))
    return data


def _too_big(shown: str, size: int) -> Problem:
    return Problem(
        Location(shown),
        f"the file has {size:,} bytes, more than the {MAX_FILE_BYTES:,} a card file "
        "may have; split it into several topic files",
    )


def decode_text(data: bytes, shown: str) -> str:
    """A file's bytes as UTF-8 text of characters YAML allows, explaining in a problem what else they are."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise Unreadable(Problem(Location(shown, 1, 1), f"the file is {encoding}; save it as UTF-8"))
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if data[:2].count(0) == 1 and data[:4].count(0) == 2:
        raise Unreadable(
            Problem(Location(shown, 1, 1), "the file looks like UTF-16 (every other byte is 0); save it as UTF-8")
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8")
        line, column = _position(before, len(before))
        raise Unreadable(
            Problem(
                Location(shown, line, column),
                f"byte 0x{data[error.start]:02X} is not UTF-8; save the file as UTF-8",
            )
        ) from None
    forbidden = _FORBIDDEN_CHARACTER.search(text)
    if forbidden:
        raise Unreadable(_forbidden(shown, text, forbidden))
    return text


def _forbidden(shown: str, text: str, forbidden: re.Match[str]) -> Problem:
    """The problem of a character YAML refuses, with how to get rid of it."""
    character = forbidden.group()
    line, column = _position(text, forbidden.start())
    name = _CHARACTER_NAMES.get(character, f"the control character U+{ord(character):04X}")
    fix = (
        "use an ordinary line break"
        if character in "\x85\u2028\u2029"
        else "save the file as UTF-8 text"
        if character == "\x00"
        else "delete it"
    )
    return Problem(Location(shown, line, column), f"{name} is not allowed in a card file; {fix}")


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of a character, counting line breaks the way YAML does."""
    before = text[:index]
    lines = re.split("\r\n|\r|\n", before)
    return len(lines), len(lines[-1]) + 1
