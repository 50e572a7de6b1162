"""The authoring rules: warnings about cards that are well formed but teach badly.

Each rule has a name a card can give in ``allow: [name]`` to silence it deliberately (model.AUTHORING_RULES).
The rules that compare cards look at one topic file (one subdeck) at a time: a file big enough to be read in
pieces (reading/pieces.py) is compared a piece at a time.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from exporter.errors import Problem, shorten
from exporter.kinds import KIND_BY_NAME
from exporter.model import Card
from exporter.rendering.cloze_syntax import DELETION

_TAGS = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W_]+")
_ARTICLES = frozenset(("the", "a", "an"))
_LIST_ITEM = re.compile(r"<li[\s>]", re.IGNORECASE)
_LINE_BREAK = re.compile(r"<br\s*/?>|\n", re.IGNORECASE)
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_SERIES_END = re.compile(r"\s(?:and|or)\s")
#: Where the items of an answer stop and examples of one item begin.
_EXAMPLES = re.compile(r",?\s(?:such as|e\.g\.|for example|for instance|including|like)\s", re.IGNORECASE)
#: A series starts the answer when its first item has at most this many words.
_FIRST_ITEM_WORDS = 4
_YES_NO = re.compile(
    r"\W*(?:is|are|was|were|do|does|did|can|could|should|would|will|shall|may|must|has|have|had)\b"
    r"|.*\byes or no\W*\Z",
    re.IGNORECASE | re.DOTALL,
)
#: An answer of fewer words than this is too common to count as given away by a prompt that holds it.
MIN_PROMPT_ANSWER_WORDS = 2
#: Answers longer than this (in words) are not looked for in prompts.
MAX_PROMPT_ANSWER_WORDS = 12


class Answer(NamedTuple):
    """One text a card asks the learner to recall, normalised, and which key of the card holds it."""

    card: Card
    key: str
    words: tuple[str, ...]


def authoring_problems(cards: Iterable[Card]) -> list[Problem]:
    """A warning for each authoring rule a card of one subdeck breaks and does not allow."""
    cards = tuple(cards)
    problems = [
        problem
        for card in cards
        for problem in (*_deletion_problems(card), *_list_problems(card), *_yes_no_problems(card))
    ]
    answers = [answer for card in cards for answer in card_answers(card)]
    problems.extend(_same_answer_problems(answers))
    problems.extend(_answer_in_prompt_problems(cards, answers))
    return problems


def normalised_words(text: str) -> tuple[str, ...]:
    """A text's words as compared: no markup, one case, no punctuation, no leading article."""
    if "<" in text or "&" in text:
        text = html.unescape(_TAGS.sub(" ", text))
    words = _WORD.findall(text.casefold())
    return tuple(words[1:] if len(words) > 1 and words[0] in _ARTICLES else words)


def deletions(text: str) -> list[tuple[str, str]]:
    """A cloze text's deletions: (number, hidden text without its hint)."""
    return [(match.group(1).lstrip("0"), match.group(2)) for match in DELETION.finditer(text)]


def card_answers(card: Card) -> list[Answer]:
    """What a card asks the learner to recall: a basic answer, an expansion, each cloze deletion."""
    kind = KIND_BY_NAME[card.kind]
    key = kind.recall
    if kind.is_cloze:
        texts = [(key, hidden) for _, hidden in deletions(card.fields.get(key, ""))]
    else:
        texts = [(key, card.fields[key])] if key in card.fields else []
    answers = [Answer(card, key, normalised_words(text)) for key, text in texts]
    return [answer for answer in answers if answer.words]


def _warning(card: Card, key: str, rule: str, message: str, other: Card | None = None) -> Iterator[Problem]:
    """The warning, unless the card (or the other card of a pair) allows the rule."""
    if rule in card.allow or (other is not None and rule in other.allow):
        return
    to = "" if other is None else f" to this card or to '{other.id}'"
    yield Problem(card.where(key), f"{message}, or add 'allow: [{rule}]'{to} if it is meant", "warning")


def _shown(words: tuple[str, ...]) -> str:
    return shorten(" ".join(words), 60)


def _same_answer_problems(answers: list[Answer]) -> Iterator[Problem]:
    first: dict[tuple[str, ...], Answer] = {}
    warned: set[tuple[str, tuple[str, ...]]] = set()
    for answer in answers:
        earlier = first.setdefault(answer.words, answer)
        if earlier.card is answer.card or (answer.card.id, answer.words) in warned:
            continue
        warned.add((answer.card.id, answer.words))
        yield from _warning(
            answer.card,
            answer.key,
            "same-answer",
            f"the answer '{_shown(answer.words)}' is also the answer of card '{earlier.card.id}' "
            f"(line {earlier.card.where(earlier.key).line}); a learner cannot tell which card wants it: make "
            "the prompts ask for different things",
            earlier.card,
        )


def _deletion_problems(card: Card) -> Iterator[Problem]:
    kind = KIND_BY_NAME[card.kind]
    if not kind.is_cloze:
        return
    numbers: dict[tuple[str, ...], str] = {}
    for number, hidden in deletions(card.fields.get(kind.recall, "")):
        words = normalised_words(hidden)
        other = numbers.setdefault(words, number)
        if words and other != number:
            yield from _warning(
                card,
                kind.recall,
                "same-deletion",
                f"deletions c{other} and c{number} both hide '{_shown(words)}', so each card shows the other's "
                f"answer: give them one number (c{other} twice) or reword one",
            )
            return


def _list_problems(card: Card) -> Iterator[Problem]:
    if card.kind != "basic":
        return
    count = list_items(card.fields.get("answer", ""))
    if count >= 3:
        yield from _warning(
            card,
            "answer",
            "list-answer",
            f"the answer lists {count} items, which a learner must recall all at once: make it a cloze with "
            "one deletion per item",
        )


def list_items(answer: str) -> int:
    """How many items an answer lists: list items, lines or parts separated by ';', or a series 'a, b and c'
    (1 when it lists nothing)."""
    if len(_LIST_ITEM.findall(answer)) >= 2:
        return len(_LIST_ITEM.findall(answer))
    plain = _BRACKETS.sub("", html.unescape(_TAGS.sub("", _LINE_BREAK.sub(";", answer))))
    parts = [part for part in plain.split(";") if part.strip(" .")]
    if len(parts) >= 2:
        return len(parts)
    return max((_series_length(part) for part in parts), default=1)


def _series_length(clause: str) -> int:
    """The items of a series 'a, b and c' (or 'a, b, or c') that starts a clause, up to any examples ('such
    as …'); 1 when there is none."""
    items = _EXAMPLES.split(clause, maxsplit=1)[0].split(", ")
    if len(items) < 2 or len(items[0].split()) > _FIRST_ITEM_WORDS:
        return 1
    last = items[-1].lstrip()
    if last.startswith(("and ", "or ")):
        return len(items)
    return len(items) + 1 if _SERIES_END.search(last) else 1


def _yes_no_problems(card: Card) -> Iterator[Problem]:
    question = card.fields.get("question", "") if card.kind == "basic" else ""
    if question and _YES_NO.match(html.unescape(_TAGS.sub("", question)).strip()):
        yield from _warning(
            card,
            "question",
            "yes-no",
            "the question can be answered yes or no, so a guess is right half the time: ask what, which, who "
            "or why",
        )


def _prompt(card: Card) -> tuple[str, str]:
    """The key of what a card always shows before the answer, and its text (empty for an acronym: its term and
    expansion are each other's answer)."""
    kind = KIND_BY_NAME[card.kind]
    if kind.is_cloze:
        return kind.prompt, DELETION.sub(" ", card.fields.get(kind.prompt, ""))
    return kind.prompt, card.fields.get(kind.prompt, "")


def _answer_in_prompt_problems(cards: tuple[Card, ...], answers: list[Answer]) -> Iterator[Problem]:
    wanted: dict[tuple[str, ...], list[Answer]] = {}
    for answer in answers:
        if MIN_PROMPT_ANSWER_WORDS <= len(answer.words) <= MAX_PROMPT_ANSWER_WORDS:
            wanted.setdefault(answer.words, []).append(answer)
    # The lengths of the answers each word starts, longest first: a window of the prompt is looked up only at
    # a length some answer starting with its first word has (few, whatever the number of cards or words).
    starting: dict[str, set[int]] = {}
    for words in wanted:
        starting.setdefault(words[0], set()).add(len(words))
    lengths = {word: sorted(found, reverse=True) for word, found in starting.items()}
    for card in cards:
        key, prompt = _prompt(card)
        if "<" in prompt or "&" in prompt:
            prompt = html.unescape(_TAGS.sub(" ", prompt))
        words = tuple(_WORD.findall(prompt.casefold()))
        given = _given_away(card, words, wanted, lengths)
        if given is not None:
            yield from _warning(
                card,
                key,
                "answer-in-prompt",
                f"the {key} gives away '{_shown(given.words)}', the answer of card '{given.card.id}' "
                f"(line {given.card.where(given.key).line}): reword it so it does not name that answer",
                given.card,
            )


def _given_away(
    card: Card,
    words: tuple[str, ...],
    wanted: dict[tuple[str, ...], list[Answer]],
    lengths: dict[str, list[int]],
) -> Answer | None:
    """The longest answer of another card that the prompt's words hold whole (the earliest of equals), or None."""
    given: Answer | None = None
    for start, word in enumerate(words):
        for length in lengths.get(word, ()):
            if given is not None and length <= len(given.words):
                break
            candidates = wanted.get(words[start : start + length])
            if candidates is None:  # most windows: no generator made for them
                continue
            found = next(
                (
                    answer
                    for answer in candidates
                    if answer.card is not card and "answer-in-prompt" not in answer.card.allow
                ),
                None,
            )
            if found is not None:
                given = found
                break
    return given
