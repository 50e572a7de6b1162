"""The authoring lint: one row per rule that warns (with the exact message), one near miss that does not, one
the card silences with 'allow'; every row runs through check(), as validate and build do."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.checking.authoring import normalised_words
from exporter.pipeline.checked_stream import check
from tests.support import card_set, run, topic


def basic(card_id: str, question: str, answer: str, allow: str = "") -> str:
    """A basic card of five lines (six with allow): id, kind, question, answer, source."""
    allowed = f"    allow: [{allow}]  # the reason\n" if allow else ""
    return (
        f"  - id: {card_id}\n    kind: basic\n    question: {question}\n    answer: {answer}\n"
        f"    source: {{slide: 2}}\n{allowed}"
    )


def cloze(card_id: str, text: str, allow: str = "") -> str:
    """A cloze card of four lines (five with allow): id, kind, text, source."""
    allowed = f"    allow: [{allow}]  # the reason\n" if allow else ""
    return f"  - id: {card_id}\n    kind: cloze\n    text: '{text}'\n    source: {{slide: 2}}\n{allowed}"


def acronym(card_id: str, term: str, expansion: str) -> str:
    return f"  - id: {card_id}\n    kind: acronym\n    term: {term}\n    expansion: {expansion}\n    source: {{slide: 2}}\n"


SAME = (
    "10:5: the answer 'host government' is also the answer of card 'a' (line 6); a learner cannot tell which card "
    "wants it: make the prompts ask for different things, or add 'allow: [same-answer]' to this card or to 'a' "
    "if it is meant"
)
DELETION = (
    "5:5: deletions c1 and c2 both hide 'donors', so each card shows the other's answer: give them one number "
    "(c1 twice) or reword one, or add 'allow: [same-deletion]' if it is meant"
)
LIST = (
    "6:5: the answer lists {count} items, which a learner must recall all at once: make it a cloze with one "
    "deletion per item, or add 'allow: [list-answer]' if it is meant"
)
YES_NO = (
    "5:5: the question can be answered yes or no, so a guess is right half the time: ask what, which, who or "
    "why, or add 'allow: [yes-no]' if it is meant"
)
GIVEN_AWAY = (
    "10:5: the question gives away 'host government', the answer of card 'a' (line 6): reword it so it does not "
    "name that answer, or add 'allow: [answer-in-prompt]' to this card or to 'a' if it is meant"
)
WHO = "Who matters most?"

# (id, the cards of one topic file, the exact warnings as line:column: message)
CASES: list[tuple[str, list[str], list[str]]] = [
    # --- same-answer: two cards of one subdeck, one normalised answer (case, punctuation, article)
    (
        "same-answer-acronym-and-cloze",
        [acronym("a", "HG", "Host Government"), cloze("b", "Most important: {{c1::the host government}}.")],
        [SAME],
    ),
    (
        "same-answer-basic",
        [basic("a", WHO, "The host government."), basic("b", "Whom does the mission serve?", "host  Government")],
        [SAME.replace("10:5", "11:5")],
    ),
    (
        "near-miss-same-answer-other-words",
        [basic("a", WHO, "The host government."), basic("b", "Whom does it serve?", "The host population.")],
        [],
    ),
    (
        "same-answer-allowed",
        [basic("a", WHO, "The host government."), basic("b", "Whom?", "host government", allow="same-answer")],
        [],
    ),
    (
        "same-answer-allowed-on-the-first-card",
        [basic("a", WHO, "The host government.", allow="same-answer"), basic("b", "Whom?", "host government")],
        [],
    ),
    # --- same-deletion: one cloze, two numbers hiding the same answer
    ("same-deletion", [cloze("a", "Funds: {{c1::donors}} and {{c2::Donors.}}")], [DELETION]),
    ("near-miss-same-deletion-one-number", [cloze("a", "Funds: {{c1::donors}} and {{c1::donors}}")], []),
    ("same-deletion-allowed", [cloze("a", "Funds: {{c1::donors}} and {{c2::donors}}", allow="same-deletion")], []),
    # --- list-answer: a basic answer of three or more items
    (
        "list-answer-series",
        [basic("a", "Which ones?", "Humanity, neutrality and impartiality.")],
        [LIST.format(count=3)],
    ),
    (
        "list-answer-semicolons",
        [basic("a", "Which?", "UNCT; national partners; regional partners")],
        [LIST.format(count=3)],
    ),
    (
        "list-answer-html-list",
        [basic("a", "Which?", "'<ul><li>a</li><li>b</li><li>c</li><li>d</li></ul>'")],
        [LIST.format(count=4)],
    ),
    ("near-miss-list-answer-two-items", [basic("a", "Which two?", "The World Bank and the IMF.")], []),
    ("near-miss-list-answer-examples", [basic("a", "Which?", "Agencies, such as the ICRC, MSF and Oxfam.")], []),
    (
        "near-miss-list-answer-inside-a-sentence",
        [basic("a", "What is neutrality?", "No taking sides in political, religious or ideological disputes.")],
        [],
    ),
    ("list-answer-allowed", [basic("a", "Which?", "a, b and c", allow="list-answer")], []),
    # --- yes-no: a basic question a yes or a no answers
    ("yes-no-start", [basic("a", "Should peacekeepers deliver aid?", "'No'")], [YES_NO]),
    ("yes-no-end", [basic("a", "The ICRC is an NGO, yes or no?", "'No'")], [YES_NO]),
    ("yes-no-markup", [basic("a", "<b>Is</b> the ICRC an NGO?", "'No'")], [YES_NO]),
    (
        "near-miss-yes-no-word-that-starts-alike",
        [basic("a", "Isolated posts rely on whom?", "Local leaders.")],
        [],
    ),
    ("near-miss-yes-no-later-in-the-question", [basic("a", "Which body has the final say?", "The Council.")], []),
    ("yes-no-allowed", [basic("a", "Is the ICRC an NGO?", "'No'", allow="yes-no")], []),
    # --- answer-in-prompt: a prompt that holds another card's answer, whole words, normalised
    (
        "answer-in-prompt",
        [basic("a", WHO, "The host government."), basic("b", "What does the Host-Government need?", "Capacity.")],
        [GIVEN_AWAY],
    ),
    (
        "answer-in-cloze-text",
        [basic("a", WHO, "The host government."), cloze("b", "The host government needs {{c1::capacity}}.")],
        [GIVEN_AWAY.replace("the question", "the text")],
    ),
    (
        "near-miss-answer-in-prompt-part-of-a-word",
        [basic("a", WHO, "The host government."), basic("b", "What do host governments need?", "Capacity.")],
        [],
    ),
    (
        "near-miss-answer-in-prompt-one-word-answer",
        [basic("a", "Who funds it?", "Donors."), basic("b", "What do donors want?", "Results.")],
        [],
    ),
    (
        "answer-in-prompt-allowed",
        [
            basic("a", WHO, "The host government."),
            basic("b", "What does the host government need?", "Capacity.", allow="answer-in-prompt"),
        ],
        [],
    ),
    (
        "answer-in-prompt-allowed-on-the-answer",
        [
            basic("a", WHO, "The host government.", allow="answer-in-prompt"),
            basic("b", "What does the host government need?", "Capacity."),
        ],
        [],
    ),
]


def _check(tmp_path: Path, text: str) -> list[str]:
    checked = check(card_set(tmp_path, {"t.yaml": text}))
    assert checked.errors == []
    return [
        f"{problem.location.line}:{problem.location.column}: {problem.message}" for problem in checked.problems
    ]


@pytest.mark.parametrize(("cards", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_authoring_lint(tmp_path: Path, cards: list[str], expected: list[str]) -> None:
    assert _check(tmp_path, topic(*cards)) == expected


def test_other_subdecks_do_not_count(tmp_path: Path) -> None:
    cards = card_set(
        tmp_path,
        {
            "a.yaml": topic(basic("a", WHO, "The host government.")),
            "b.yaml": topic(
                basic("b", "What does the host government need?", "host government"), header="subdeck: B\ncards:\n"
            ),
        },
    )
    assert check(cards).problems == []


def test_warnings_do_not_fail_validate_and_an_unknown_rule_is_an_error(tmp_path: Path) -> None:
    cards = card_set(tmp_path, {"t.yaml": topic(basic("a", "Is it?", "'No'"))})
    code, out, err = run("validate", str(cards), "--no-cache")
    assert (code, out, err) == (
        0,
        "ok: 1 card definition in 1 topic file, 1 warning\n",
        f"{cards / 't.yaml'}:{YES_NO.replace(': the', ': warning: the', 1)}\n",
    )
    (cards / "t.yaml").write_text(topic(basic("a", "Is it?", "'No'", allow="yes-no, same-anwser")))
    code, out, err = run("validate", str(cards), "--no-cache")
    assert (code, err.splitlines()) == (
        1,
        [
            f"{cards / 't.yaml'}:8:21: unknown rule 'same-anwser' in 'allow'; did you mean 'same-answer'?",
            "failed: 1 problem",
        ],
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The UN Country Team", ("un", "country", "team")),
        ("An <b>impartial</b> actor", ("impartial", "actor")),
        # only a leading article goes: the end of 'data' or an article inside the text stays
        ("data model", ("data", "model")),
        ("Protection of the civilians", ("protection", "of", "the", "civilians")),
        ("the", ("the",)),
        ("R&amp;D, the plan", ("r", "d", "the", "plan")),
    ],
)
def test_answers_are_compared_by_their_words_without_a_leading_article(text: str, words: tuple[str, ...]) -> None:
    assert normalised_words(text) == words
