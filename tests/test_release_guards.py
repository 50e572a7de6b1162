"""Changes that would split or mislabel learners' progress stop the build until the trainer consents."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main
from tests.support import build_in_cwd as _build
from tests.support import bump_version, outputs

# (id, file to edit, old text, new text, extra build options, exact error lines)
GUARDED = [
    (
        "version-not-raised",
        "01-acronyms.yaml",
        "United Nations Country Team",
        "United Nations Country Team (UN)",
        [],
        [
            "cards/deck.yaml:3:1: the cards changed since release 1.0.0 (1 changed) but 'version' is still 1.0.0; "
            "raise it (for example to 1.0.1) so learners and trainers can tell the releases apart"
        ],
    ),
    (
        "deck-id-changed",
        "deck.yaml",
        "id: test-deck",
        "id: other-deck",
        [],
        [
            "cards/deck.yaml:1:1: deck id 'other-deck' is not 'test-deck', the deck whose release ledger is in the output "
            "folder. Note identities come from the deck id: building here would replace that deck's release history, and "
            "learners who have it would get every card again, without its review history. Build this deck into a folder "
            "of its own with -o (for example -o dist-other-deck)"
        ],
    ),
    (
        "deck-renamed",
        "deck.yaml",
        'title: "Test Deck"',
        'title: "Peacekeeping Deck"',
        [],
        [
            "cards/deck.yaml:2:1: deck 'Test Deck::Acronyms' is now called 'Peacekeeping Deck::Acronyms'. Anki matches "
            "decks by name: on learners' phones the cards they have stay in 'Test Deck::Acronyms' and new cards go to "
            "'Peacekeeping Deck::Acronyms'. To do it deliberately, tell learners to rename the deck in Anki before "
            "importing, and build with --allow-deck-rename",
            "cards/deck.yaml:2:1: deck 'Test Deck::Humanitarian principles' is now called 'Peacekeeping Deck::Humanitarian "
            "principles'. Anki matches decks by name: on learners' phones the cards they have stay in 'Test "
            "Deck::Humanitarian principles' and new cards go to 'Peacekeeping Deck::Humanitarian principles'. To do it "
            "deliberately, tell learners to rename the deck in Anki before importing, and build with --allow-deck-rename",
        ],
    ),
    (
        "subdeck-renamed",
        "01-acronyms.yaml",
        "subdeck: Acronyms",
        "subdeck: Abbreviations",
        [],
        [
            "cards/01-acronyms.yaml:1:1: deck 'Test Deck::Acronyms' is now called 'Test Deck::Abbreviations'. Anki "
            "matches decks by name: on learners' phones the cards they have stay in 'Test Deck::Acronyms' and new cards "
            "go to 'Test Deck::Abbreviations'. To do it deliberately, tell learners to rename the deck in Anki before "
            "importing, and build with --allow-deck-rename"
        ],
    ),
    (
        "id-given-to-other-acronym",
        "01-acronyms.yaml",
        "term: OCHA",
        "term: OHCHR",
        ["--allow-deck-rename"],
        [
            "cards/01-acronyms.yaml:12:5: card id 'ocha' now holds different content (its term changed). On learners' "
            "phones it would replace the old card and inherit its review history. If it is a new card, give it a new id "
            "(the old one is retired); if it is a correction, build with --allow-reuse ocha"
        ],
    ),
    (
        "kind-changed",
        "02-principles.yaml",
        "    kind: basic\n    question: Which release of the guidance is quoted?\n    answer: 1.10\n",
        "    kind: cloze\n    text: 'The guidance quoted is release {{c1::1.10}}.'\n",
        ["--allow-reuse", "version-number"],
        [
            "cards/02-principles.yaml:23:5: card 'version-number' was a basic card and is now a cloze card. Learners' "
            "Anki cannot change a note's type on import and would skip it. Give the new card a new id (the old one is "
            "then retired)"
        ],
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "options", "expected"),
    [case[1:] for case in GUARDED],
    ids=[case[0] for case in GUARDED],
)
def test_guarded_change_stops_the_build(
    released: Path, name: str, old: str, new: str, options: list[str], expected: list[str]
) -> None:
    path = Path("cards") / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    if name != "01-acronyms.yaml" or "United" not in old:
        bump_version(Path("cards"), "1.1.0")
    before = outputs(released)
    code, out, err = _build(*options)
    assert (code, out) == (1, "")
    assert err.splitlines() == expected + [f"failed: {len(expected)} problem{'s' if len(expected) > 1 else ''}"]
    assert outputs(released) == before


def test_consent_lets_a_correction_through(released: Path) -> None:
    topic = Path("cards/01-acronyms.yaml")
    topic.write_text(topic.read_text().replace("term: OCHA", "term: UN-OCHA"))
    bump_version(Path("cards"), "1.0.1")
    assert _build()[0] == 1
    code, out, err = _build("--allow-reuse", "ocha")
    assert (code, err) == (0, "")
    assert (
        "- `ocha` (Acronyms): “UN-OCHA”\n  - Term: “OCHA” → “UN-OCHA”" in (released / "CHANGELOG.md").read_text()
    )


def test_check_reports_stale_output(released: Path) -> None:
    assert _build("--check") == (0, "ok: dist is exactly what cards builds\n", "")
    (released / "test-deck.anki.csv").write_text("edited by hand\n")
    (released / "CHANGELOG.md").unlink()
    code, out, err = _build("--check")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "dist/test-deck.anki.csv: stale; run 'flashcards build' and commit the result",
        "dist/CHANGELOG.md: stale; run 'flashcards build' and commit the result",
        "failed: 2 stale files",
    ]


def test_diff_previews_the_next_release(released: Path) -> None:
    topic = Path("cards/02-principles.yaml")
    topic.write_text(topic.read_text().split("  - id: version-number")[0])
    result = CliRunner().invoke(main, ["diff", "cards", "-o", "dist"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:8] == [
        "Changes since 1.0.0:",
        "",
        "1 retired.",
        "",
        "**On import:** Suspend the 1 retired card: after the import, in *Browse* search "
        '`"deck:Test Deck" tag:retired`, select it, then *Suspend*.',
        "",
        "### Retired",
        "",
    ]
    assert (
        "- `version-number` (Humanitarian principles): “Which release of the guidance is quoted?”" in result.stdout
    )
