"""The release rules a trainer meets by accident: a card renamed or moved, a version that does not go up, a lost
ledger. Each stops the build with what learners would see and the way through; nothing in dist/ changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exporter.release.comparison import Consent
from exporter.rendering.notes import note_guid
from tests.anki_engine import deck_of, fresh_collection, import_apkg, notes_by_guid
from tests.support import (
    BUILD_TIME,
    bump_version,
    edit,
    first_release_in_anki,
    outputs,
    release,
    run,
    snapshot,
    study_everything,
)
from tests.support import build_in_cwd as _build

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
    "cards/02-principles.yaml:28:5: card 'ocha' moved from deck 'Test Deck::Acronyms' to 'Test Deck::Humanitarian "
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


def _rename(card: str = OCHA_RENAMED) -> None:
    edit(ACRONYMS, OCHA, card)


def _released_rename() -> None:
    """Release 1.1.0 with ocha renamed to un-ocha (declared), as the card set's last release."""
    _rename()
    bump_version(Path("cards"), "1.1.0")
    assert _build() == (0, _build_summary("1.1.0"), "")


def _build_summary(version: str) -> str:
    names = (
        "test-deck.apkg",
        "test-deck.anki.csv",
        "test-deck.spreadsheet.csv",
        "ledger.json",
        "CHANGELOG.md",
        "test-deck.install.html",
    )
    return f"built Test Deck {version}: 5 notes, 9 cards" + "".join(f"\n  dist/{name}" for name in names) + "\n"


def _lose_ledger() -> None:
    Path("dist/ledger.json").unlink()
    bump_version(Path("cards"), "1.1.0")


RENAMED_AGAIN = OCHA_RENAMED.replace(
    "id: un-ocha\n    renamed_from: ocha", "id: ocha-2\n    renamed_from: un-ocha"
)
UNDECLARED = (
    "cards/01-acronyms.yaml:12:5: card 'un-ocha' is new, but its term is that of card 'ocha', which this build "
    "retires. On learners' phones 'ocha' would stay (tagged retired, still due) and 'un-ocha' would arrive as a new "
    "card with no review history. If it is the same card, keep its id 'ocha', or declare the rename on the card "
    "(renamed_from: ocha) so learners keep their history"
)
STILL_LIVE = (
    "cards/01-acronyms.yaml:18:5: card 'un-ocha' says renamed_from: ocha, but card 'ocha' is still in the card set. "
    "Remove card 'ocha' if 'un-ocha' replaces it, or remove renamed_from if 'un-ocha' is another card"
)


def _rename_twice() -> None:
    _rename(OCHA_RENAMED + OCHA_RENAMED.replace("un-ocha", "ocha-office").replace("term: OCHA", "term: UN-OCHA"))


# (id, change to the released card set, version to build, options, exact error lines)
REFUSED = [
    ("rename-undeclared", lambda: _rename(OCHA_NEW_ID), "1.1.0", [], [UNDECLARED]),
    (
        "renamed-from-unknown",
        lambda: _rename(OCHA_RENAMED.replace("renamed_from: ocha", "renamed_from: ohca")),
        "1.1.0",
        [],
        [
            "cards/01-acronyms.yaml:12:5: card 'un-ocha' says renamed_from: ohca, but release 1.0.0 has no card "
            "'ohca'. Write the id the card had in the last release (the cards are listed in the ledger), or remove "
            "renamed_from if it is a new card"
        ],
    ),
    ("renamed-from-still-live", lambda: _rename(OCHA + OCHA_RENAMED), "1.1.0", [], [STILL_LIVE]),
    (
        "renamed-from-claimed-twice",
        _rename_twice,
        "1.1.0",
        [],
        [
            "cards/01-acronyms.yaml:19:5: cards 'un-ocha' and 'ocha-office' both say renamed_from: ocha; only one "
            "card can keep its notes: remove renamed_from from the other (it is then a new card)"
        ],
    ),
    (
        "renamed-from-a-renamed-card",
        lambda: (_released_rename(), edit(ACRONYMS, OCHA_RENAMED, RENAMED_AGAIN)),
        "1.2.0",
        [],
        [
            "cards/01-acronyms.yaml:12:5: card 'ocha-2' says renamed_from: un-ocha, but 'un-ocha' was itself renamed "
            "from 'ocha' and keeps its notes: write renamed_from: ocha"
        ],
    ),
    (
        "renamed-from-removed-later",
        lambda: (_released_rename(), edit(ACRONYMS, "    renamed_from: ocha\n", "")),
        "1.2.0",
        [],
        [
            "cards/01-acronyms.yaml:12:5: card 'un-ocha' keeps the notes of 'ocha' on learners' phones; with "
            "renamed_from: (none) it would arrive as another card, without its review history: keep renamed_from: "
            "ocha on it for as long as it lives"
        ],
    ),
    (
        "renamed-from-on-a-released-card",
        lambda: edit(ACRONYMS, "  - id: ocha\n", "  - id: ocha\n    renamed_from: unct\n"),
        "1.1.0",
        [],
        [
            "cards/01-acronyms.yaml:12:5: card 'ocha' keeps the notes of 'ocha' on learners' phones; with "
            "renamed_from: unct it would arrive as another card, without its review history: remove renamed_from: "
            "it is for a card whose id is new"
        ],
    ),
    (
        "old-id-given-to-a-new-card",
        lambda: (
            _released_rename(),
            PRINCIPLES.write_text(PRINCIPLES.read_text() + OCHA.replace("OCHA", "OHCHR")),
        ),
        "1.2.0",
        [],
        [
            "cards/02-principles.yaml:28:5: card id 'ocha' was renamed to 'un-ocha', which keeps its notes on "
            "learners' phones; give this card another id"
        ],
    ),
    (
        "renamed-from-itself",
        lambda: edit(ACRONYMS, "  - id: ocha\n", "  - id: ocha\n    renamed_from: ocha\n"),
        "1.1.0",
        [],
        [
            "cards/01-acronyms.yaml:13:5: renamed_from 'ocha' must be the id the card had in the last release, "
            "a slug other than its own id; remove it if the card was not renamed"
        ],
    ),
    (
        "renamed-from-not-a-slug",
        lambda: _rename(OCHA_RENAMED.replace("renamed_from: ocha", "renamed_from: Old OCHA")),
        "1.1.0",
        [],
        [
            "cards/01-acronyms.yaml:13:5: renamed_from 'Old OCHA' must be the id the card had in the last release, "
            "a slug other than its own id; remove it if the card was not renamed"
        ],
    ),
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
    ("rename-declared", _rename, "1.1.0", [], "- `ocha` → `un-ocha` (Acronyms): “OCHA”"),
    (
        "renamed-twice-from-the-first-id",
        lambda: (_released_rename(), edit(ACRONYMS, "id: un-ocha", "id: ocha-2")),
        "1.2.0",
        [],
        "- `un-ocha` → `ocha-2` (Acronyms): “OCHA”",
    ),
    (
        "move-consented",
        _move_ocha,
        "1.1.0",
        ["--allow-move", "ocha"],
        "  - deck: “Test Deck::Acronyms” → “Test Deck::Humanitarian principles” (learners who have the card keep it "
        "in the old deck unless they move it: Anki moves no card on import)",
    ),
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


def test_a_declared_rename_is_recorded(released: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _released_rename()
    ledger = json.loads((released / "ledger.json").read_text())
    assert "ocha" not in ledger["cards"]
    assert ledger["cards"]["un-ocha"]["renamed_from"] == "ocha"
    assert ledger["cards"]["un-ocha"]["guid"] == note_guid("test-deck", "ocha")
    assert ledger["releases"][-1]["changes"]["renamed"] == [["ocha", "un-ocha"]]
    changelog = (released / "CHANGELOG.md").read_text()
    assert changelog.split("## 1.1.0 (")[1].split("\n", 1)[1].split("## 1.0.0")[0] == (
        "\n1 renamed.\n\n**On import:** Nothing to do but import the file; progress is kept.\n\n### Renamed\n\nThe same cards on learners' phones, with their review history: only the id "
        "in the card files changed.\n\n- `ocha` → `un-ocha` (Acronyms): “OCHA”\n\n"
    )
    # the next release, with renamed_from left on the card, changes nothing
    assert _build("--check") == (0, "ok: dist is exactly what cards builds\n", "")
    bump_version(Path("cards"), "1.2.0")
    assert _build()[0] == 0
    assert "renamed" not in json.loads((released / "ledger.json").read_text())["releases"][-1]["changes"]


def _ocha_cards(col) -> dict[int, tuple[str, int, int, int]]:  # type: ignore[no-untyped-def]
    """The learner's cards of the OCHA note: their deck and schedule (interval, due, reviews)."""
    note = notes_by_guid(col)[note_guid("test-deck", "ocha")]
    return {card.id: (deck_of(col, card), card.ivl, card.due, card.reps) for card in note.cards()}


def test_a_declared_rename_keeps_learners_history_in_anki(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    col = first_release_in_anki(tmp_path, valid_cards, tmp_path / "dist", monkeypatch)
    study_everything(col)
    reviews, before = col.db.scalar("select count() from revlog"), _ocha_cards(col)
    assert reviews >= 9 and all(reps for *_, reps in before.values())
    monkeypatch.chdir(tmp_path)
    _rename(OCHA_RENAMED.replace("Humanitarian Affairs", "Humanitarian Affairs (UN)"))
    log = import_apkg(col, release(valid_cards, tmp_path / "dist", "1.1.0", BUILD_TIME + 86_400, monkeypatch))
    assert (len(log.new), len(log.updated)) == (0, 1)
    assert col.note_count() == 5  # one note, not two
    assert _ocha_cards(col) == before  # same cards, same deck, same schedule
    assert col.db.scalar("select count() from revlog") == reviews
    note = notes_by_guid(col)[note_guid("test-deck", "ocha")]
    assert note["Expansion"] == "Office for the Coordination of Humanitarian Affairs (UN)"
    assert "retired" not in note.tags
    assert not col.find_notes("tag:retired")


def test_a_consented_move_leaves_learners_card_in_the_old_deck_in_anki(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    col = first_release_in_anki(tmp_path, valid_cards, tmp_path / "dist", monkeypatch)
    study_everything(col)
    before = _ocha_cards(col)
    monkeypatch.chdir(tmp_path)
    _move_ocha()
    edit(PRINCIPLES, "Humanitarian Affairs", "Humanitarian Affairs (UN)")
    moved = Consent(moved_ids=frozenset({"ocha"}))
    package = release(valid_cards, tmp_path / "dist", "1.1.0", BUILD_TIME + 86_400, monkeypatch, moved)
    import_apkg(col, package)
    # as the README says: the learner keeps the card, its history and its old deck
    assert _ocha_cards(col) == before
    assert {deck for deck, *_ in before.values()} == {"Test Deck::Acronyms"}
    note = notes_by_guid(col)[note_guid("test-deck", "ocha")]
    assert note["Expansion"] == "Office for the Coordination of Humanitarian Affairs (UN)"  # the new content
    # a new learner gets it in the new deck
    newcomer = fresh_collection(tmp_path, "newcomer.anki2")
    import_apkg(newcomer, package)
    assert {deck for deck, *_ in _ocha_cards(newcomer).values()} == {"Test Deck::Humanitarian principles"}


def test_diff_and_review_show_a_declared_rename(released: Path) -> None:
    _rename()
    code, out, err = run("diff", "cards", "-o", "dist")
    assert (code, err) == (0, "")
    assert out.splitlines()[:9] == [
        "Changes since 1.0.0:",
        "",
        "1 renamed.",
        "",
        "**On import:** Nothing to do but import the file; progress is kept.",
        "",
        "### Renamed",
        "",
        "The same cards on learners' phones, with their review history: only the id in the card files changed.",
    ]
    assert "- `ocha` → `un-ocha` (Acronyms): “OCHA”" in out.splitlines()
    assert run("review", "cards", "-o", "dist/review.html")[0] == 0
    page = (released / "review.html").read_text()
    assert "Card &#x27;ocha&#x27; renamed to &#x27;un-ocha&#x27; (the same card on learners&#x27; phones)" in page
