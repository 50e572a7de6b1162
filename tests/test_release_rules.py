"""The release rules a trainer meets by accident: a card renamed or moved, a version that does not go up, a lost
ledger. Each stops the build with what learners would see and the way through; nothing in dist/ changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import build_in_cwd as _build
from tests.support import bump_version, edit, outputs, snapshot

ACRONYMS = Path("cards/01-acronyms.yaml")
PRINCIPLES = Path("cards/02-principles.yaml")
OCHA = """\
  - id: ocha
    kind: acronym
    term: OCHA
    expansion: Office for the Coordination of Humanitarian Affairs
    source: {slide: 15}
    outcomes: [LO2]
"""
OCHA_RENAMED = OCHA.replace("id: ocha\n", "id: un-ocha\n    renamed_from: ocha\n")
OCHA_NEW_ID = OCHA.replace("id: ocha\n", "id: un-ocha\n")

MOVED = (
    "cards/02-principles.yaml:27:5: card 'ocha' moved from deck 'Test Deck::Acronyms' to 'Test Deck::Humanitarian "
    "principles'. Anki moves no card on import: learners who have it keep it in 'Test Deck::Acronyms' (with the new "
    "content), only new learners get it in 'Test Deck::Humanitarian principles'. Keep it in 'Test Deck::Acronyms', "
    "or to do it deliberately tell learners to move it themselves (Browse, select it, Change Deck) and build with "
    "--allow-move ocha"
)
LOWER = (
    "cards/deck.yaml:3:1: 'version' 0.9.0 is lower than 1.0.0, the last release in the output folder's ledger; "
    "versions must go up in order (1.9.0, 1.10.0, 2.0.0): use 1.0.1 or higher"
)
SAME = (
    "cards/deck.yaml:3:1: the cards changed since release 1.0.0 (1 changed) but 'version' is still {version}; "
    "raise it (for example to 1.0.1) so learners and trainers can tell the releases apart"
)
LOST = (
    "dist/ledger.json: the release ledger is missing, but dist holds a release (CHANGELOG.md, test-deck.apkg). "
    "Without it this build would start the release history again: removed cards would not be retired on learners' "
    "phones, every card would be stamped as changed (an import would overwrite learners' own edits), the changelog "
    "would start over and no guard would compare with what learners have. Restore the ledger from version control "
    "(git checkout -- dist/ledger.json) or from a backup; to start a new history on purpose, build with "
    "--new-history"
)


def _move_ocha() -> None:
    edit(ACRONYMS, OCHA, "")
    PRINCIPLES.write_text(PRINCIPLES.read_text() + OCHA)


def _change_expansion() -> None:
    edit(ACRONYMS, "United Nations Country Team", "United Nations Country Team (UN)")


def _lose_ledger() -> None:
    Path("dist/ledger.json").unlink()
    bump_version(Path("cards"), "1.1.0")


# (id, change to the released card set, version to build, options, exact error lines)
REFUSED = [
    ("card-moved", _move_ocha, "1.1.0", [], [MOVED]),
    ("card-moved-other-consent", _move_ocha, "1.1.0", ["--allow-move", "unct"], [MOVED]),
    ("lower-version-with-changes", _change_expansion, "0.9.0", [], [LOWER]),
    ("lower-version-without-changes", lambda: None, "0.9.0", [], [LOWER]),
    ("same-version", _change_expansion, "1.0.0", [], [SAME.format(version="1.0.0")]),
    ("same-version-written-short", _change_expansion, "1.0", [], [SAME.format(version="1.0")]),
    ("lost-ledger", _lose_ledger, "1.1.0", [], [LOST]),
    ("lost-ledger-check", _lose_ledger, "1.1.0", ["--check"], [LOST]),
]


@pytest.mark.parametrize(
    ("change", "version", "options", "expected"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_refused_release(released: Path, change, version: str, options: list[str], expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    change()
    bump_version(Path("cards"), version)
    before = outputs(released)
    code, out, err = _build(*options)
    assert (code, out) == (1, "")
    assert err.splitlines() == expected + [f"failed: {len(expected)} problem{'s' if len(expected) > 1 else ''}"]
    assert outputs(released) == before


# (id, change, version, options, a line the changelog then holds)
LET_THROUGH = [
    ("move-consented", _move_ocha, "1.1.0", ["--allow-move", "ocha"], "  - deck: “Test Deck::Acronyms” → “Test"),
    ("higher-version", _change_expansion, "1.0.1", [], "## 1.0.1 (2025-11-24)"),
    ("semantic-order", _change_expansion, "1.0.10", [], "## 1.0.10 (2025-11-24)"),
    ("same-version-unchanged", lambda: None, "1.0.0", [], "## 1.0.0 (2025-11-24)"),
    ("new-history", _lose_ledger, "1.1.0", ["--new-history"], "## 1.1.0 (2025-11-24)"),
]


@pytest.mark.parametrize(
    ("change", "version", "options", "line"),
    [case[1:] for case in LET_THROUGH],
    ids=[case[0] for case in LET_THROUGH],
)
def test_release_let_through(  # type: ignore[no-untyped-def]
    released: Path, monkeypatch: pytest.MonkeyPatch, change, version: str, options: list[str], line: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    change()
    bump_version(Path("cards"), version)
    code, out, err = _build(*options)
    assert (code, err) == (0, "")
    assert any(text.startswith(line) for text in (released / "CHANGELOG.md").read_text().splitlines())


def test_first_build_into_an_empty_or_new_folder(tmp_path: Path, valid_cards: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("dist").mkdir()
    assert _build()[0] == 0
    assert _build("-o", "elsewhere/new")[0] == 0
    assert sorted(outputs(Path("elsewhere/new"))) == sorted(outputs(Path("dist")))


def test_lost_ledger_leaves_the_folder_as_it_was(released: Path) -> None:
    _lose_ledger()
    before = snapshot(released)
    assert _build()[0] == 1
    assert snapshot(released) == before
