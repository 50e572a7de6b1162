"""Outputs never land on the sources: a review page written over a card file, media or a release file, or a
release built into the card folder, is refused before anything is read or written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.support import run, snapshot

_INSIDE = (
    "{output}: this is inside the card folder cards, where outputs would mix with (or overwrite) the card files; "
    "give -o a path outside it, for example {example}"
)
_RELEASE_FILE = (
    "{output}: a release file has this name, and the review page would replace it; give -o another file, for "
    "example dist/review.html"
)
_OVER_RELEASE_FILE = (
    "{output}: a release file has this name, and the {what} would replace it; give -o another file, for example "
    "dist/{name}"
)
_HANDOUT_OVER_RELEASE_FILE = _OVER_RELEASE_FILE.replace("{what}", "handout").replace("{name}", "handout.html")
_SHEET_OVER_RELEASE_FILE = _OVER_RELEASE_FILE.replace("{what}", "review sheet").replace("{name}", "review.xlsx")
# (id, command line, exact error line)
REFUSED = [
    (
        "handout-over-topic-file",
        ["handout", "cards", "-o", "cards/01-acronyms.yaml"],
        _INSIDE,
        "dist/handout.html",
    ),
    ("handout-over-ledger", ["handout", "cards", "-o", "dist/ledger.json"], _HANDOUT_OVER_RELEASE_FILE, ""),
    ("sheet-over-deck-file", ["review", "cards", "--sheet", "cards/deck.yaml"], _INSIDE, "dist/review.xlsx"),
    ("sheet-over-package", ["review", "cards", "--sheet", "dist/test-deck.apkg"], _SHEET_OVER_RELEASE_FILE, ""),
    ("review-over-deck-file", ["review", "cards", "-o", "cards/deck.yaml"], _INSIDE, "dist/review.html"),
    ("review-over-topic-file", ["review", "cards", "-o", "cards/01-acronyms.yaml"], _INSIDE, "dist/review.html"),
    ("review-into-media", ["review", "cards", "-o", "cards/media/page.html"], _INSIDE, "dist/review.html"),
    ("review-into-card-folder", ["review", "cards", "-o", "cards/review.html"], _INSIDE, "dist/review.html"),
    ("review-through-a-link", ["review", "cards", "-o", "linked/review.html"], _INSIDE, "dist/review.html"),
    ("review-over-ledger", ["review", "cards", "-o", "dist/ledger.json"], _RELEASE_FILE, ""),
    ("review-over-changelog", ["review", "cards", "-o", "dist/CHANGELOG.md"], _RELEASE_FILE, ""),
    ("review-over-package", ["review", "cards", "-o", "dist/test-deck.apkg"], _RELEASE_FILE, ""),
    ("review-over-csv", ["review", "cards", "-o", "dist/test-deck.anki.csv"], _RELEASE_FILE, ""),
    ("review-over-install-sheet", ["review", "cards", "-o", "dist/test-deck.install.html"], _RELEASE_FILE, ""),
    ("build-into-card-folder", ["build", "cards", "-o", "cards"], _INSIDE, "dist"),
    ("build-below-card-folder", ["build", "cards", "-o", "cards/dist"], _INSIDE, "dist"),
    ("build-into-media", ["build", "cards", "-o", "cards/media"], _INSIDE, "dist"),
    ("build-through-a-link", ["build", "cards", "-o", "linked"], _INSIDE, "dist"),
    ("build-back-into-card-folder", ["build", "cards", "-o", "dist/../cards/out"], _INSIDE, "dist"),
]


def folder_hash(folder: Path) -> str:
    """One hash of every file and folder under folder (names and bytes), hidden ones too."""
    digest = hashlib.sha256()
    for name, data in snapshot(folder).items():
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


@pytest.mark.parametrize(
    ("args", "message", "example"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
def test_output_over_the_sources_is_refused(
    released: Path, tmp_path: Path, args: list[str], message: str, example: str
) -> None:
    (tmp_path / "cards" / "media").mkdir()
    (tmp_path / "linked").symlink_to("cards")
    before = folder_hash(tmp_path)
    output = args[args.index("-o") + 1] if "-o" in args else args[args.index("--sheet") + 1]
    expected = message.format(output=output, example=example)
    assert run(*args) == (1, "", f"{expected}\nfailed: 1 problem\n")
    assert folder_hash(tmp_path) == before
