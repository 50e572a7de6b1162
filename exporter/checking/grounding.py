"""Whether each card's answer side is found in the passage of the training text its slide points to.

Pure: given the indexed text and the deck, no I/O. The answer side is a basic card's answer (with its question
when the answer has fewer than FEW_WORDS words: "Which principle…?" → "Neutrality."), an acronym's expansion, a
cloze's deletions, and the words of the extra. Words are compared by `normalise`, without STOP_WORDS; "UN" is
"United Nations", and an acronym the deck teaches is found where the text uses it or spells it out. A card is
grounded when at least GROUNDED_SHARE of its words are in its slide's passage (`Material.slide_passage`), and
no other slide has all of them while its own misses more than CLOSE_SHARE allows.

Not checked, as from outside the text: a card that cites no slide (a section alone: the Common Questions, or a
fact the text does not give); a sentence of the extra that names a year its passage does not have, or says
"now", "since" or "today" ("replaced in 2019 by …"); an acronym card whose term the passage uses (its
expansion may be the standard one the text never spells out). A slide not in the text: coverage reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from exporter.checking.training_text import Material
from exporter.errors import Location, Problem
from exporter.kinds import KIND_BY_NAME
from exporter.model import Card, Deck
from exporter.rendering.cloze_syntax import DELETION

#: Share of a card's answer-side words its passage must have ...
GROUNDED_SHARE = 0.5
#: ... and, when another slide's passage has all of them (or BETTER_BY more of them), the share it must have.
CLOSE_SHARE = 0.8
#: ... or when another slide's share is higher by this much.
BETTER_BY = 0.3
#: A basic answer with fewer words than this is asked by its question: both are checked.
FEW_WORDS = 3
#: Missing words a message names, at most.
NAMED_WORDS = 6

_STOP_TEXT = """
a about above after again against all already also an and any are as at be because been before being between
both but by can could did do does doing during e each eg either etc even every few for from further g had has
have having he her here hers him his how i ie if in into is it its itself just less may might more most much
must my neither no nor not of off often on once one only or other others our out over own per same she should
since so some such than that the their them then there these they this those through to too under until up
upon us usually very was we were what when where whether which while who whom whose why will with within
without would yes you your
"""
#: Words that say nothing of a card's content.
STOP_WORDS = frozenset(_STOP_TEXT.split())
#: Endings taken off a word, longest first, while at least _STEM letters stay.
_ENDINGS = (
    "ation",
    "ating",
    "ised",
    "ized",
    "ing",
    "ion",
    "ise",
    "ize",
    "ity",
    "ive",
    "ment",
    "ally",
    "ed",
    "al",
    "ly",
    "ate",
    "er",
    "e",
)
_STEM = 4
#: A word: letters and digits, with an apostrophe inside ("UN's", "don’t").
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_TAG = re.compile(r"<[^>]*>")
_UN = re.compile(r"\bUN\b")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_LATER = re.compile(r"\b(?:now|since|today|nowadays)\b", re.IGNORECASE)


def normalise(word: str) -> str:
    """A word as compared: any case, no possessive, a simple plural as its singular, common endings off
    ("coordinating", "coordinate" → "coordin"; "neutrality", "neutral" → "neutr"), a doubled last letter single."""
    word = re.sub(r"['’]s?$", "", word)
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():  # "NGOs"
        return word[:-1].casefold()
    word = word.casefold()
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    stem = word
    while True:
        ending = next((end for end in _ENDINGS if stem.endswith(end) and len(stem) - len(end) >= _STEM), None)
        if ending is None:
            break
        stem = stem[: -len(ending)]
    if stem != word and len(stem) > _STEM and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        stem = stem[:-1]
    return stem


def content_key(word: str) -> str:
    """A word as compared (`normalise`), or "" when it says nothing of a card's content (a stop word, a letter)."""
    key = normalise(word)
    return "" if key in STOP_WORDS or len(key) <= 1 else key


def content_words(text: str) -> list[str]:
    """The words of a text that carry its content, normalised, each once, in order."""
    return list(spellings(text))


def spellings(text: str) -> dict[str, str]:
    """The content words of a text, normalised, each with the first spelling the text has (in lower case)."""
    found: dict[str, str] = {}
    for word in WORD.findall(_UN.sub("United Nations", _TAG.sub(" ", text))):
        key = content_key(word)
        if key:
            found.setdefault(key, word.casefold())
    return found


@dataclass(frozen=True, slots=True)
class Grounding:
    """Whether a card's answer side is in its slide's passage; if not, the words missing and where they are."""

    card_id: str
    location: Location
    slide: int
    passage: range
    words: tuple[str, ...]
    missing: tuple[str, ...]
    #: another slide whose passage has more of the words, and the lines of it that have them
    elsewhere: tuple[int, range] | None = None
    #: how many of the words that other slide's passage has
    elsewhere_count: int = 0

    @property
    def grounded(self) -> bool:
        if not self.words:
            return True
        share = 1 - len(self.missing) / len(self.words)
        better = (
            self.elsewhere_count == len(self.words) or self.elsewhere_count / len(self.words) >= share + BETTER_BY
        )
        return share >= GROUNDED_SHARE and not (better and share < CLOSE_SHARE)

    def message(self) -> str:
        """The card's result as the review page shows it."""
        if self.grounded:
            return f"grounded: its answer is in slide {self.slide}'s passage ({_lines(self.passage)})"
        return self.problem().message

    def problem(self) -> Problem:
        named = ", ".join(f"'{word}'" for word in self.missing[:NAMED_WORDS])
        more = len(self.missing) - NAMED_WORDS
        named += f" and {more} more" if more > 0 else ""
        text = (
            f"card '{self.card_id}': {len(self.missing)} of the {len(self.words)} words of its answer side "
            f"({named}) are not in slide {self.slide}'s passage ({_lines(self.passage)})"
        )
        if self.elsewhere is None:
            text += "; no other slide has more of them: check the card against the text"
        else:
            slide, lines = self.elsewhere
            text += f"; these words are at {_lines(lines)}, under Slide {slide}: cite slide {slide}?"
        return Problem(self.location, text, "warning")


def check_grounding(material: Material, deck: Deck) -> tuple[Grounding, ...]:
    """The grounding of every card that cites a slide the text has."""
    acronyms = taught_acronyms(deck)
    found = (ground_card(material, card, acronyms) for card in deck.cards)
    return tuple(grounding for grounding in found if grounding is not None)


def taught_acronyms(deck: Deck) -> dict[str, str]:
    """The deck's acronym cards: each term, normalised, and its expansion."""
    return {
        normalise(card.fields["term"]): card.fields["expansion"]
        for card in deck.cards
        if card.kind == "acronym" and card.fields.get("term") and card.fields.get("expansion")
    }


def ground_card(material: Material, card: Card, acronyms: Mapping[str, str]) -> Grounding | None:
    """Whether the card's answer side is in its slide's passage; None when it cites no slide the text has."""
    slide = card.source.slide
    passage = material.slide_passage(slide) if slide is not None else None
    if slide is None or passage is None:
        return None
    text = " ".join(material.lines[line - 1] for line in passage)
    passage_words = _words_of(material, passage)
    if card.kind == "acronym" and set(content_words(card.fields.get("term", ""))) <= passage_words:
        words: tuple[str, ...] = ()
    else:
        words = tuple(answer_words(card, acronyms, passage_text=text))
    missing = [word for word in words if not _found(word, passage_words, acronyms)]
    elsewhere, count = _where_found(material, card, words, len(words) - len(missing), acronyms)
    spelled = spellings(answer_text(card, acronyms, passage_text=text))
    return Grounding(
        card.id,
        card.where("source"),
        slide,
        passage,
        words,
        tuple(spelled.get(word, word) for word in missing),
        elsewhere,
        count,
    )


def answer_words(card: Card, acronyms: Mapping[str, str], *, passage_text: str = "") -> list[str]:
    """The content words of a card's answer side."""
    return content_words(answer_text(card, acronyms, passage_text=passage_text))


def answer_text(card: Card, acronyms: Mapping[str, str], *, passage_text: str = "") -> str:
    """A card's answer side as one text: the extra's sentences that state later facts left out, the deck's
    acronyms written for their expansions."""
    fields = card.fields
    answer = " ".join(answers(card))
    extra = [
        sentence
        for sentence in _SENTENCE_END.split(_TAG.sub(" ", fields.get("extra", "")))
        if not _is_later_fact(sentence, passage_text)
    ]
    kind = KIND_BY_NAME[card.kind]
    # a short answer means little without the question that asks for it (a cloze's prompt is the answer's text)
    if kind.prompt and not kind.is_cloze and len(content_words(answer)) < FEW_WORDS:
        extra.append(fields.get(kind.prompt, ""))
    text = " ".join([answer, *extra])
    for term, expansion in acronyms.items() if card.kind != "acronym" else ():
        text = re.sub(re.escape(expansion), term, text, flags=re.IGNORECASE)
    return text


def answers(card: Card) -> list[str]:
    """What a card asks the learner to know, extra aside: a cloze's deletions, else its answer or expansion."""
    kind = KIND_BY_NAME[card.kind]
    if kind.is_cloze:
        return [answer for _, answer, _ in DELETION.findall(card.fields.get(kind.recall, ""))]
    return [card.fields.get(kind.recall) or ""]


def _found(word: str, passage_words: set[str], acronyms: Mapping[str, str]) -> bool:
    """The word is in the passage, or it is an acronym of the deck that the passage spells out."""
    if word in passage_words:
        return True
    expansion = acronyms.get(word)
    return expansion is not None and set(content_words(expansion)) <= passage_words


def _is_later_fact(sentence: str, passage_text: str) -> bool:
    years = _YEAR.findall(sentence)
    return bool(_LATER.search(sentence)) or any(year not in passage_text for year in years)


def _words_of(material: Material, lines: Iterable[int]) -> set[str]:
    return {word for line in lines for word in content_words(material.lines[line - 1])}


def _where_found(
    material: Material, card: Card, words: Sequence[str], found_here: int, acronyms: Mapping[str, str]
) -> tuple[tuple[int, range] | None, int]:
    """The other slide whose passage has the most of the words, if more than the cited one, narrowed to the
    lines that have them; and how many it has."""
    best: tuple[int, int, range] | None = None
    for number in sorted(material.slides):
        passage = material.slide_passage(number)
        if number == card.source.slide or passage is None:
            continue
        passage_words = _words_of(material, passage)
        count = sum(_found(word, passage_words, acronyms) for word in words)
        if count > found_here and (best is None or count > best[0]):
            best = (count, number, passage)
    if best is None:
        return None, 0
    count, number, passage = best
    lines = [line for line in passage if set(words) & set(content_words(material.lines[line - 1]))]
    return (number, range(lines[0], lines[-1] + 1)), count


def _lines(passage: range) -> str:
    first, last = passage.start, passage.stop - 1
    return f"line {first}" if first == last else f"lines {first}-{last}"
