"""Starting afresh safely: a try-out release is dropped only when it is one (every release below 1.0.0) of this
very deck; init keeps a new card set out of another one's folder or repository; a release for learners that
still carries init's examples is pointed out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporter.release.tryout import INIT_EXAMPLE_IDS
from tests.support import DECK, GOOD_CARD, bump_version, card_set, run, snapshot, topic

ROOT = Path(__file__).parent.parent
#: in the order they are removed: the ledger last, so a stop half-way leaves a release to discard again
RELEASE_FILES = [
    "test-deck.apkg",
    "test-deck.anki.csv",
    "test-deck.spreadsheet.csv",
    "CHANGELOG.md",
    "test-deck.install.html",
    "ledger.json",
]


ACRONYMS = {"01-acronyms.yaml": topic(GOOD_CARD)}


def released(*versions: str) -> None:
    """The test deck built into dist once per version, in the current folder."""
    for version in versions:
        bump_version(card_set(Path(), ACRONYMS), version)
        assert run("build", "cards")[0] == 0


REFUSED = [
    ("no-release", [], [], "dist: there is no release here to discard (dist/ledger.json does not exist)"),
    (
        "first-release-for-learners",
        ["1.0.0"],
        [],
        "dist/ledger.json: release 1.0.0 is in this ledger: releases from 1.0.0 on are for learners, and their "
        "progress depends on the ledger; nothing was removed. To change the deck, edit the cards, raise 'version' "
        "in deck.yaml and build",
    ),
    (
        "try-out-then-a-release",
        ["0.1.0", "1.0.0"],
        [],
        "dist/ledger.json: release 1.0.0 is in this ledger: releases from 1.0.0 on are for learners, and their "
        "progress depends on the ledger; nothing was removed. To change the deck, edit the cards, raise 'version' "
        "in deck.yaml and build",
    ),
    (
        "another-decks-release",
        ["0.1.0"],
        ["other"],
        "dist/ledger.json: the release here is deck 'test-deck', not 'other-deck' (the deck in other); nothing was "
        "removed. Give the output folder of this card set's own releases with -o",
    ),
]


@pytest.mark.parametrize(("versions", "cards", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_discard_refuses_what_is_not_a_try_out_of_this_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, versions: list[str], cards: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    bump_version(card_set(tmp_path, ACRONYMS), "0.1.0")
    released(*versions)
    bump_version(card_set(tmp_path, ACRONYMS, deck=DECK.replace("test-deck", "other-deck"), name="other"), "0.1.0")
    before = snapshot(tmp_path / "dist") if versions else None
    assert run("discard-tryout", *(cards or ["cards"])) == (1, "", f"{message}\nfailed: 1 problem\n")
    assert (snapshot(tmp_path / "dist") if versions else None) == before


@pytest.mark.parametrize("versions", [["0.1.0"], ["0.1.0", "0.2.0"]], ids=["one-try-out", "two-try-outs"])
def test_a_try_out_is_dropped_and_the_first_release_starts_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, versions: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    released(*versions)
    (tmp_path / "dist" / "notes.txt").write_text("the trainer's own file")
    listed = "".join(f"  dist/{name}\n" for name in RELEASE_FILES)
    assert run("discard-tryout", "cards") == (
        0,
        f"discarded the try-out release {versions[-1]} from dist:\n{listed}",
        "",
    )
    assert [path.name for path in (tmp_path / "dist").iterdir()] == ["notes.txt"]
    card_set(tmp_path, ACRONYMS)
    code, out, err = run("build", "cards")
    assert (code, out.splitlines()[0], err) == (0, "built Test Deck 1.0.0: 1 note, 2 cards", "")
    changelog = (tmp_path / "dist" / "CHANGELOG.md").read_text()
    assert "0.1.0" not in changelog and "Retired" not in changelog.split("## 1.0.0")[1]


def test_the_output_folder_goes_when_nothing_else_is_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    released("0.1.0")
    assert run("discard-tryout", "cards")[0] == 0
    assert not (tmp_path / "dist").exists()


def test_init_refuses_a_folder_inside_this_project() -> None:
    folder = ROOT / "unit-4-never-made"
    assert run("init", str(folder)) == (
        1,
        "",
        f"{folder}: this folder is inside the git repository {ROOT}, which holds the card set {ROOT / 'cards'}; a "
        "card set of its own belongs in a folder of its own, outside it (for example in your home folder), so its "
        "releases never mix with the other deck's. To keep it here on purpose, run init again with --allow-nested\n"
        "failed: 1 problem\n",
    )
    assert not folder.exists()


NESTED = [
    ("inside-a-card-set", ["cards/deck.yaml"], "cards/unit-4", "the card set {tmp}/cards"),
    (
        "inside-a-repository-holding-one",
        ["repo/.git/HEAD", "repo/cards/deck.yaml"],
        "repo/units/unit-4",
        "the git repository {tmp}/repo, which holds the card set {tmp}/repo/cards",
    ),
]


@pytest.mark.parametrize(("made", "folder", "inside"), [r[1:] for r in NESTED], ids=[r[0] for r in NESTED])
def test_init_refuses_a_folder_inside_another_card_set_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: list[str], folder: str, inside: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in made:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(DECK)
    code, out, err = run("init", folder)
    assert (code, out) == (1, "")
    assert err.startswith(f"{folder}: this folder is inside {inside.format(tmp=tmp_path.resolve())}; ")
    assert not (tmp_path / folder).exists()
    assert run("init", folder, "--allow-nested")[0] == 0


@pytest.mark.parametrize(
    "made", [["repo/.git/HEAD"], ["unit-3/deck.yaml"]], ids=["plain-repository", "beside-another"]
)
def test_init_takes_a_folder_beside_other_card_sets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in made:
        (tmp_path / name).parent.mkdir(parents=True)
        (tmp_path / name).write_text(DECK)
    assert run("init", str(Path(made[0]).parts[0] if "repo" in made[0] else ".") + "/unit-4")[0] == 0


EXAMPLE_WARNINGS = [
    ("try-out", [], "0.1.0", ""),
    (
        "examples-in-the-first-release",
        [],
        "1.0.0",
        "unit-4/deck.yaml:4:1: warning: release 1.0.0 still has the example cards 'flashcards init' wrote (example-acronym, "
        "example-question, example-cloze); replace them with your own cards or delete them before handing it out\n",
    ),
    (
        "examples-retired-by-the-first-release",
        ["0.1.0"],
        "1.0.0",
        "unit-4/deck.yaml:4:1: warning: release 1.0.0 hands out the example cards 'flashcards init' wrote (example-acronym, "
        "example-question, example-cloze) as retired cards, because the try-out release was still in the output "
        "folder (learners get nothing to study from them); before a first release, drop the try-out with "
        "'flashcards discard-tryout'\n",
    ),
]


@pytest.mark.parametrize(
    ("tried", "version", "warning"), [r[1:] for r in EXAMPLE_WARNINGS], ids=[r[0] for r in EXAMPLE_WARNINGS]
)
def test_init_examples_left_in_a_release_are_pointed_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tried: list[str], version: str, warning: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "unit-4")[0] == 0
    deck = tmp_path / "unit-4" / "deck.yaml"
    for _ in tried:
        assert run("build", "unit-4")[0] == 0
        (tmp_path / "unit-4" / "01-getting-started.yaml").write_text(
            topic(GOOD_CARD, header="subdeck: Getting started\ncards:\n")
        )
    deck.write_text(deck.read_text().replace('version: "0.1.0"', f'version: "{version}"'))
    code, _, err = run("build", "unit-4")
    assert (code, err) == (0, warning)


def test_the_warning_knows_the_examples_init_writes(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "unit-4"))[0] == 0
    written = (tmp_path / "unit-4" / "01-getting-started.yaml").read_text()
    assert tuple(re.findall(r"- id: (\S+)", written)) == INIT_EXAMPLE_IDS
