"""Images and sounds that cards show: found in the card set's media/ folder, stored in the package under flat,
content-hashed names.

Anki keeps the first file of a given name forever and refuses packages whose media names hold folders, so a
changed picture must arrive under a new name: the name carries a hash of the content.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from exporter.errors import Location, Problem
from exporter.model import Card, Deck

MEDIA_FOLDER = "media"
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
SOUND_SUFFIXES = frozenset({".mp3", ".m4a", ".ogg", ".opus", ".wav"})
#: A phone stores and syncs every file of the deck; above this a file must be made smaller.
MAX_FILE_BYTES = 5 * 1024 * 1024
WARN_FILE_BYTES = 1024 * 1024
WARN_TOTAL_BYTES = 50 * 1024 * 1024

_UNSAFE_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class MediaFile:
    """One file of the media folder."""

    name: str
    path: Path
    size: int
    digest: str

    @property
    def stored_name(self) -> str:
        """The flat name it gets in the package: a readable stem and a hash of the content."""
        pure = PurePosixPath(self.name)
        stem = _UNSAFE_NAME_CHARACTERS.sub("-", pure.stem).strip("-") or "media"
        return f"{stem}-{self.digest[:12]}{pure.suffix.lower()}"


def index_media(cards_dir: Path) -> tuple[dict[str, MediaFile], list[Problem]]:
    """Every file under the card set's media/ folder, by the name cards use (its path inside media/).

    What a link brings in from outside the card folder is refused: it would ship files the card set does not hold.
    """
    folder = cards_dir / MEDIA_FOLDER
    try:
        if not folder.is_dir():
            return {}, []
        if not folder.resolve().is_relative_to(cards_dir.resolve()):
            return {}, [Problem(Location(str(folder)), _LINKED_FOLDER)]
        paths, problems = _media_paths(folder)
    except OSError as error:
        if not os.access(cards_dir, os.R_OK | os.X_OK):
            return {}, []  # the card folder itself cannot be read, and loading it says so
        return {}, [Problem(Location(str(folder)), f"cannot read the media folder: {error.strerror or error}")]
    index: dict[str, MediaFile] = {}
    for path in paths:
        name = path.relative_to(folder).as_posix()
        where = Location(str(path))
        if path.suffix.lower() not in IMAGE_SUFFIXES | SOUND_SUFFIXES:
            kinds = ", ".join(sorted(IMAGE_SUFFIXES | SOUND_SUFFIXES))
            problems.append(Problem(where, f"'{path.suffix}' files cannot be shown on cards; use one of: {kinds}"))
            continue
        if not path.resolve().is_relative_to(cards_dir.resolve()):
            problems.append(Problem(where, "the media file links outside the card folder; copy it in instead"))
            continue
        try:
            index[name] = _media_file(name, path)
        except OSError as error:
            problems.append(Problem(where, f"cannot read the media file: {error.strerror or error}"))
    return index, sorted(problems)


_LINKED_FOLDER = (
    "the media folder links outside the card folder; make it a folder of its own and copy the files in"
)
_LINKED_SUBFOLDER = "the folder is a link, which the media folder does not follow; copy the files in instead"


def _media_paths(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The files under the folder, in order, without following links to folders (a linked folder is refused)."""
    paths, problems = [], []
    for parent, folders, files in os.walk(folder, onerror=_raise):
        for linked in sorted(name for name in folders if os.path.islink(os.path.join(parent, name))):
            problems.append(Problem(Location(os.path.join(parent, linked)), _LINKED_SUBFOLDER))
        folders[:] = sorted(name for name in folders if not os.path.islink(os.path.join(parent, name)))
        paths += [Path(parent, name) for name in files if not name.startswith(".")]
    return sorted(path for path in paths if path.is_file()), problems


def _raise(error: OSError) -> None:
    raise error


def _media_file(name: str, path: Path) -> MediaFile:
    """The file's size from the file system first: one too big to ship is not read (its digest stays empty)."""
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > MAX_FILE_BYTES:
            return MediaFile(name, path, size, "")
        data = stream.read(MAX_FILE_BYTES + 1)  # it may have grown since
    return MediaFile(name, path, len(data), "" if len(data) > MAX_FILE_BYTES else hashlib.sha256(data).hexdigest())


def media_problems(used: Mapping[str, Location], index: Mapping[str, MediaFile]) -> list[Problem]:
    """Missing, unused and oversized media, given each name the cards use and where it is first used."""
    problems = []
    for name, where in used.items():
        if name not in index:
            known = f"; the folder has: {', '.join(sorted(index)[:5])}" if index else ""
            problems.append(
                Problem(
                    where,
                    f"media file '{name}' is not in the {MEDIA_FOLDER}/ folder beside "
                    f"deck.yaml; add it or fix the name{known}",
                )
            )
    total = 0
    for name, media in index.items():
        where = Location(str(media.path))
        total += media.size if name in used else 0
        if name not in used:
            problems.append(Problem(where, "no card uses this media file; refer to it or delete it", "warning"))
        elif media.size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    where,
                    f"the file is {media.size / 1048576:.1f} MB, more than the "
                    f"{MAX_FILE_BYTES // 1048576} MB a phone deck allows; make it smaller",
                )
            )
        elif media.size > WARN_FILE_BYTES:
            problems.append(
                Problem(
                    where,
                    f"the file is {media.size / 1048576:.1f} MB; phones store and sync "
                    "it, consider making it smaller",
                    "warning",
                )
            )
    if total > WARN_TOTAL_BYTES:
        problems.append(
            Problem(
                Location(MEDIA_FOLDER),
                f"the deck's media add up to {total / 1048576:.0f} MB; learners download all of it",
                "warning",
            )
        )
    return problems


def used_media(deck: Deck) -> dict[str, Location]:
    """Each media name the deck's cards refer to, with where it is first used."""
    return media_used_by(deck.cards)


def media_used_by(cards: Iterable[Card]) -> dict[str, Location]:
    """Each media name these cards refer to, with where it is first used."""
    # here, not at the top: a command whose every topic file is in its cache renders no card (start-up time)
    from exporter.rendering.references import references
    from exporter.rendering.text_format import field_html

    used: dict[str, Location] = {}
    for card in cards:
        for key, text in card.fields.items():
            if "![" in text or "<img" in text or "[sound:" in text:
                for name in references(field_html(text)):
                    used.setdefault(name, card.where(key))
    return used
