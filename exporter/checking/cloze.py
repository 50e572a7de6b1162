"""A cloze card's deletions, checked as written and as shipped: Anki makes one card per number it finds in the
note's fields as stored, so a number the sanitizer removes, or one that entities make, or one in another field,
gives learners a blank card ("No cloze 2 found on card")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from exporter.errors import Problem, shorten
from exporter.model import Card
from exporter.rendering.cloze_syntax import DELETION, OPENING
from exporter.rendering.notes import cloze_numbers, source_html
from exporter.rendering.sanitizing import removed_markup
from exporter.rendering.text_format import field_html, markup_html

#: What opens or closes a deletion, read one at a time: unlike cloze_syntax.DELETION, which takes well-formed
#: text, these find a '{{' that opens nothing, a '}}' that closes nothing and a nested deletion, to name them.
_CLOZE_TOKEN = re.compile(r"\{\{|\}\}")
#: Anki makes at most this many cards from one cloze note; a higher number lands on the last card.
MAX_CLOZE_NUMBER = 500
#: The rule a card gives in ``allow:`` when a second '::' in a deletion is meant as Anki's hint.
HINT_RULE = "cloze-hint"


def cloze_problems(card: Card) -> Iterator[Problem]:
    """Every problem of a cloze card's deletions: in its text as written, as shipped, and outside its text."""
    text = card.fields.get("text", "")
    if text:
        written = text_problem(text)
        if written:
            yield Problem(card.where("text"), written)
            return
        yield from _shipped_problems(card, text)
        yield from _misread_deletions(card, text)
    yield from _stray_markers(card)


def text_problem(text: str) -> str | None:
    """What is wrong with a cloze text's deletions as written (the first thing found), or None."""
    depth = 0
    deletions = 0
    for token in _CLOZE_TOKEN.finditer(text):
        if token.group() == "{{":
            opening = OPENING.match(text, token.start())
            if depth:
                return (
                    "a cloze deletion is nested inside another; nested deletions are not supported here (the "
                    "checks and the review page read one deletion at a time), so write them one after the other"
                )
            if not opening:
                return "'{{' must start a deletion written like {{c1::answer}}"
            problem = _number_problem(opening.group(1))
            if problem:
                return problem
            closing = text.find("}}", opening.end())
            if closing != -1 and not text[opening.end() : closing].split("::")[0].strip():
                return f"the deletion {{{{c{opening.group(1)}::}}}} is empty; put the hidden text after '::'"
            depth += 1
            deletions += 1
        elif depth:
            depth -= 1
        else:
            return "'}}' closes no deletion; remove it or open the deletion with {{c1::"
    if depth:
        return "a cloze deletion is not closed; end it with '}}'"
    if not deletions:
        return "the cloze text has no deletion; mark the hidden words like {{c1::words}}"
    return None


def _number_problem(written: str) -> str | None:
    number = written.lstrip("0")
    if not number:
        return "cloze numbers start at 1; write {{c1::...}}, not {{c0::...}}"
    if len(number) > 3 or int(number) > MAX_CLOZE_NUMBER:
        return (
            f"cloze number {shorten(written, 12)} is too high; Anki makes at most "
            f"{MAX_CLOZE_NUMBER} cards from one text, numbered c1 to c{MAX_CLOZE_NUMBER}"
        )
    return None


def _shipped_problems(card: Card, text: str) -> Iterator[Problem]:
    written = cloze_numbers(text)
    shipped = cloze_numbers(field_html(text))
    lost = [number for number in written if number not in shipped]
    if lost:
        removed = ", ".join(removed_markup(markup_html(text))) or "markup"
        yield Problem(
            card.where("text"),
            f"deletion {_numbers(lost)} is inside markup that will be removed ({removed}), so learners would get "
            f"no card {lost[0]} from it; take the deletion out of that markup",
        )
    made = [number for number in shipped if number not in written]
    if made:
        yield Problem(
            card.where("text"),
            f"'text' makes deletion {_numbers(made)} only once its entities are read (like &#123; for '{{'); "
            "write every deletion plainly, like {{c1::answer}}",
        )


def _stray_markers(card: Card) -> Iterator[Problem]:
    """Deletions outside the text: Anki counts them in every field of a cloze note, and makes blank cards."""
    # a deletion needs '{', or an entity ('&') that makes one
    fields = [(key, field_html(value)) for key, value in card.fields.items() if key != "text" and _may_mark(value)]
    fields.append(("source", source_html(card.source)))
    for key, shipped in fields:
        numbers = cloze_numbers(shipped)
        if numbers:
            yield Problem(
                card.where(key),
                f"'{key}' holds a cloze deletion ({_numbers(numbers)}); Anki counts deletions in every field of "
                f"a cloze note, so learners would get a blank card {numbers[0]}; put deletions only in 'text'",
            )


def _may_mark(value: str) -> bool:
    return "{" in value or "&" in value


def _misread_deletions(card: Card, text: str) -> Iterator[Problem]:
    """Deletions Anki reads otherwise than a trainer would: a second '::' (a hint), a '}' before the closing '}}'."""
    for match in DELETION.finditer(text):
        shown = shorten(match.group(), 50)
        answer, hint = match.group(2, 3)
        if text.startswith("}", match.end()):
            # the answer and its hint, as the trainer wrote them
            written = text[match.end(1) + 2 : match.end() - 2]
            yield Problem(
                card.where("text"),
                f"in '{shown}}}' Anki ends the deletion at the first '}}}}', so it hides "
                f"'{shorten(written, 30)}' and shows a stray '}}'; put a space before the closing '}}}}'",
                "warning",
            )
        if hint is not None and HINT_RULE not in card.allow:
            yield Problem(
                card.where("text"),
                f"in '{shown}' Anki hides only '{shorten(answer, 30)}' and shows '{shorten(hint, 30)}' as its "
                f"hint; write the answer without '::', or add 'allow: [{HINT_RULE}]' if the hint is meant",
                "warning",
            )


def _numbers(numbers: list[int] | tuple[int, ...]) -> str:
    return ", ".join(f"{{{{c{number}::…}}}}" for number in numbers)
