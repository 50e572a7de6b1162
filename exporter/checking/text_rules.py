"""Tags and field text that would mean something else on learners' phones: tags Anki or this tool set
themselves, invisible characters that make two different texts look alike, and Anki's own tags in a field."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from exporter.errors import Location, Problem, shorten
from exporter.model import Card
from exporter.rendering.text_format import field_html

#: Tags learners' Anki gives a meaning: the build tags removed cards "retired" (release.ledger.RETIRED_TAG),
#: Anki tags a card a learner keeps failing "leech" and one the learner marks "marked".
RESERVED_TAGS: Mapping[str, str] = {
    "retired": "the build tags cards removed from the deck 'retired'",
    "leech": "Anki tags a card a learner keeps failing 'leech'",
    "marked": "Anki tags a card the learner marks 'marked'",
}
# Characters that show nothing (zero-width, joiners, the byte order mark) or turn the text around (bidi controls).
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
#: Anki's own tags in a field, each with why the deck refuses it.
_ANKI_TAGS = (
    (
        re.compile(r"\[anki:", re.IGNORECASE),
        "Anki's sound tag [anki:…]: the learner's app would speak or play it with no word on the card",
        "write the text without it (a recording goes in media/ as [sound:file.mp3])",
    ),
    (
        re.compile(r"\[(?:latex|\$\$?)\]", re.IGNORECASE),
        "Anki's LaTeX tag ([latex], [$] or [$$]): Anki cannot make its picture from a shared deck, so learners "
        "see a broken image and 'LaTeX image generation is disabled'",
        "write the formula as text, or as MathJax between \\( and \\)",
    ),
)


def tag_problems(tags: tuple[str, ...], location: Location) -> Iterator[Problem]:
    """Reserved tags (errors) and tags holding invisible characters (warnings)."""
    for tag in tags:
        reserved = RESERVED_TAGS.get(tag.split("::")[0].casefold())
        if reserved:
            yield Problem(
                location,
                f"tag '{shorten(tag)}' is reserved: {reserved}, and learners find those cards by it; "
                "choose another tag",
            )
        invisible = _INVISIBLE.search(tag)
        if invisible:
            shown = _INVISIBLE.sub("", tag)
            yield Problem(
                location,
                f"tag '{shorten(_visible(tag))}' holds an invisible character ({_name(invisible.group())}): "
                f"it looks like '{shorten(shown)}' but Anki finds it by another name; delete the character",
                "warning",
            )


def is_plain_tag(tag: str) -> bool:
    """Whether a tag needs no look by tag_problems (most tags: the check is kept cheap for big decks)."""
    return _INVISIBLE.search(tag) is None and tag.split("::")[0].casefold() not in RESERVED_TAGS


def field_problems(card: Card, key: str, text: str) -> Iterator[Problem]:
    """Anki's own tags (errors) and invisible characters (warnings) in one field of a card."""
    return text_problems(card.where(key), f"'{key}'", text)


def text_problems(where: Location, subject: str, text: str) -> Iterator[Problem]:
    """Anki's own tags (errors) and invisible characters (warnings) in a text learners get, which subject names
    (a card's field, or a translation of one)."""
    if "[" in text or "&" in text:  # "&": an entity may write the bracket
        shipped = field_html(text)
        for pattern, what, fix in _ANKI_TAGS:
            if pattern.search(shipped):
                yield Problem(where, f"{subject} has {what}; {fix}")
    invisible = _INVISIBLE.search(text)
    if invisible:
        before = text[: invisible.start()].split()[-3:]
        at = f" after '{shorten(' '.join(before), 40)}'" if before else " at its start"
        yield Problem(
            where,
            f"{subject} holds an invisible character ({_name(invisible.group())}){at}: learners and reviewers "
            "cannot see it, but it changes how the text is found, compared or shown; delete it unless it is meant",
            "warning",
        )


def _name(character: str) -> str:
    import unicodedata  # only for a message: most runs never need it

    return f"U+{ord(character):04X} {unicodedata.name(character, 'format character')}"


def _visible(text: str) -> str:
    return _INVISIBLE.sub(lambda match: f"<U+{ord(match.group()):04X}>", text)
