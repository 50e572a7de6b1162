"""The training text against the deck: acronyms without a card, and card sources the text does not have."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.checking.coverage import acronyms_in, check_coverage
from exporter.errors import Location
from exporter.model import Card, Deck, Review, Source, Topic
from tests.support import run

#: A training text in the shape of the course notes, with a source for each card of tests/data/valid and the
#: words of its answer.
UNIT_TEXT = """\
UNIT 3 – PART 2: WORKING WITH MISSION PARTNERS

Benefits of cooperation with the UN Country Team
The UN Country Team (UNCT) brings together every agency.
Slide 6

Collaboration with the Humanitarian Community
Slide 13
Humanitarian action follows three principles (humanity, neutrality, impartiality), as Médecins Sans \
Frontières applies them; OCHA coordinates it.
Slide 14
As a rule peacekeepers help create the conditions for agencies to deliver humanitarian aid.
**Questions**
Slide 15
NGOs deliver aid, and so does the ICRC. See http://www.un.org/Depts/DPKO/ for more. OCHA coordinates.
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The UNCT and UNDP met.", ["UNCT", "UNDP"]),
        ("Many NGOs and one NGO.", ["NGO"]),
        ("QIPs, a QIP, and qip", ["QIP"]),
        ("the DSRSG/RC/HC chairs", ["DSRSG/RC/HC"]),
        ("the UN SRSG, D/SRSG, and others", ["UN", "SRSG", "D/SRSG"]),
        ("UNMIL’s work and UNMIL's budget", ["UNMIL"]),
        ("UN-CMCoord officers", ["UN-CMCoord"]),
        ("a joint UNDP-DPKO study", ["UNDP-DPKO"]),
        ("a UN-led effort and NGO-run clinics", ["UN", "NGO"]),
        ("political/military actors", []),
        ("Part II, Annex XIV and Chapter IV", []),
        ("NOTE: do NOT use it AND OR", []),
        ("UNIT 3 – PART 2: WORKING WITH MISSION PARTNERS", []),
        ("see http://www.un.org/Depts/DPKO/x.html, www.UNDG.org or info@UNHCR.org", []),
        ("Médecins Sans Frontières (MSF) and McDonald", ["MSF"]),
        ("a PhD from DfID", ["PhD", "DfID"]),
        ("the letters A, I and U", []),
        ("MINUSTAH, OXFAM and G8", ["MINUSTAH", "OXFAM"]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_acronyms_in_text(text: str, expected: list[str]) -> None:
    assert [use.acronym for use in acronyms_in(text)] == expected


def test_acronym_first_place_and_count() -> None:
    (use,) = acronyms_in("Slide 1\n  the UNCT, the UNCTs\nUNCT", path="unit.txt")
    assert (use.acronym, use.location, use.count) == ("UNCT", Location("unit.txt", 2, 7), 3)


def test_ignored_words_are_not_acronyms() -> None:
    assert [use.acronym for use in acronyms_in("START and UNCT", ignore=["start"])] == ["UNCT"]


def _deck(*terms: str) -> Deck:
    cards = tuple(
        Card(
            id=f"acr-{number}",
            kind="acronym",
            fields={"term": term, "expansion": "x"},
            subdeck="A",
            tags=(),
            source=Source(slide=1),
            outcomes=(),
            review=Review(),
            location=Location("a.yaml", number),
        )
        for number, term in enumerate(terms, start=1)
    )
    return Deck(
        id="d",
        title="D",
        version="1",
        description="",
        source_title="",
        source_document="",
        outcomes={},
        topics=(Topic("a.yaml", "A", (), cards, Location("a.yaml")),),
        location=Location("deck.yaml"),
    )


@pytest.mark.parametrize(
    "terms, text, uncovered",
    [
        (("DSRSG/RC/HC",), "the DSRSG/RC/HC", []),
        (("DSRSG", "RC", "HC"), "the DSRSG/RC/HC", []),
        (("DSRSG",), "the DSRSG/RC/HC", [("DSRSG/RC/HC", ("RC", "HC"))]),
        (("DSRSG",), "the D/SRSG", []),
        (("SRSG",), "the D/SRSG", [("D/SRSG", ())]),
        (("NGOs",), "an NGO", []),
        (("ngo",), "two NGOs", []),
        (("<b>DPKO</b>", "DFS"), "DPKO/DFS", []),
        (("UNCT",), "UNCT and UNDP", [("UNDP", ())]),
    ],
    ids=[
        "whole",
        "each-part",
        "missing-parts",
        "joined",
        "letter-part",
        "plural-term",
        "any-case",
        "markup",
        "plain",
    ],
)
def test_which_acronyms_a_deck_teaches(
    terms: tuple[str, ...], text: str, uncovered: list[tuple[str, tuple[str, ...]]]
) -> None:
    coverage = check_coverage(f"Slide 1\n{text}", _deck(*terms), source_path="unit.txt")
    assert [(use.acronym, use.missing_parts) for use in coverage.uncovered] == uncovered


def test_coverage_lists_each_acronym_without_a_card_and_fails(valid_cards: Path, tmp_path: Path) -> None:
    source = tmp_path / "unit.txt"
    source.write_text(UNIT_TEXT, encoding="utf-8")
    code, out, err = run("coverage", str(valid_cards), "--source", str(source))
    assert (code, out) == (1, "")
    assert err == (
        f"{source}:3:34: 'UN' is used 2 times, first here, and no acronym card teaches it; add a card with kind: "
        "acronym and term: UN\n"
        f"{source}:14:1: 'NGO' is used here and no acronym card teaches it; add a card with kind: acronym and "
        "term: NGO\n"
        f"{source}:14:35: 'ICRC' is used here and no acronym card teaches it; add a card with kind: acronym and "
        "term: ICRC\n"
        "failed: 3 problems\n"
    )


def test_coverage_passes_once_every_acronym_has_a_card(valid_cards: Path, tmp_path: Path) -> None:
    source = tmp_path / "unit.txt"
    source.write_text(UNIT_TEXT, encoding="utf-8")
    topic = valid_cards / "01-acronyms.yaml"
    topic.write_text(
        topic.read_text(encoding="utf-8")
        + "".join(
            f"  - id: {term.lower()}\n    kind: acronym\n    term: {term}\n    expansion: {expansion}\n"
            f"    source: {{slide: {slide}}}\n    outcomes: [LO1]\n"
            for term, expansion, slide in [
                ("UN", "United Nations", 6),
                ("NGOs", "Non-governmental organizations", 15),
                ("ICRC", "International Committee of the Red Cross", 15),
            ]
        ),
        encoding="utf-8",
    )
    assert run("coverage", str(valid_cards), "--source", str(source)) == (
        0,
        f"ok: every one of the 5 acronyms in {source} has a card, and every card's source is in it\n",
        "",
    )


def test_coverage_flags_sources_the_text_does_not_have(valid_cards: Path, tmp_path: Path) -> None:
    source = tmp_path / "unit.txt"
    text = UNIT_TEXT.replace("Slide 14\n", "Slide 41\n").replace("**Questions**", "Questions and answers")
    source.write_text(text, encoding="utf-8")
    code, out, err = run(
        "coverage",
        str(valid_cards),
        "--source",
        str(source),
        "--ignore",
        "UN",
        "--ignore",
        "NGO",
        "--ignore",
        "ICRC",
    )
    topic = valid_cards / "02-principles.yaml"
    assert (code, out) == (1, "")
    assert err == (
        f"{topic}:15:5: card 'peacekeepers-deliver-aid': slide 14 is not in {source} (no line 'Slide 14'); "
        "correct the slide number\n"
        f"{topic}:26:5: card 'version-number': section 'Questions' is not a line of {source}; copy the heading "
        "as the text writes it\n"
        "failed: 2 problems\n"
    )


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file; give the training text as a plain-text file"),
        (b"Slide 1\n\xff\xfe UNCT", "not UTF-8 text (byte 8); save the training text as plain text in UTF-8"),
    ],
    ids=["missing", "not-utf8"],
)
def test_unreadable_training_text(valid_cards: Path, tmp_path: Path, content: bytes | None, message: str) -> None:
    source = tmp_path / "unit.txt"
    if content is not None:
        source.write_bytes(content)
    assert run("coverage", str(valid_cards), "--source", str(source)) == (
        1,
        "",
        f"{source}: {message}\nfailed: 1 problem\n",
    )


def test_coverage_needs_the_source() -> None:
    code, _, err = run("coverage", "cards")
    assert code == 2 and "Missing option '--source'" in err


@pytest.mark.parametrize("command", ["coverage", "review"])
def test_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert out.startswith(f"Usage: main {command} [OPTIONS] [CARDS]")
    assert "--source" in out
