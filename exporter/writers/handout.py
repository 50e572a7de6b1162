"""Cards → a printable handout: one HTML page of fold-over cards for A4, the question on the left half and the
answer on the right, each side the HTML the phone shows (a cloze as its gap, then as its answer).

Print it, cut along the dashed lines, fold along the dotted one. No card is cut across two pages; light colours
only (paper is white); no scripts, nothing fetched: pictures come inline (data: addresses).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from exporter.model import Deck
from exporter.notetypes import CSS
from exporter.rendering.references import with_image_sources
from exporter.rendering.templating import CardSides

#: What an answer side holds after its copy of the question (a cloze's answer side has none).
_ANSWER_RULE = '<hr id="answer">'
# the apps' play button for a sound: nothing to play on paper
_SOUND = re.compile(r"\[anki:play:[qa]:\d+\]")

_STYLE = """\
@page { size: A4; margin: 12mm; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: #ffffff; color: #1a1a1a;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
.ho-head { padding: 8px 12px 10px; }
.ho-head h1 { font-size: 18px; margin: 0 0 2px; }
.ho-head p { font-size: 13px; margin: 0; color: #4d4d4d; }
.ho-card { display: grid; grid-template-columns: 1fr 1fr; border-top: 1px dashed #8c8c8c;
  break-inside: avoid; page-break-inside: avoid; }
.ho-card:last-child { border-bottom: 1px dashed #8c8c8c; }
.ho-side { position: relative; min-width: 0; padding: 16px 10px 12px; }
.ho-question { border-right: 1px dotted #8c8c8c; }
.ho-number { position: absolute; font-size: 10px; line-height: 1; color: #5c5c5c; }
.ho-question .ho-number { top: 4px; left: 6px; }
.ho-answer .ho-number { bottom: 3px; right: 6px; }
.ho-side .card { font-size: 14px; line-height: 1.35; padding: 0; background: transparent; }
.ho-side .kind { font-size: 10px; margin-bottom: 4px; }
.ho-side .prompt, .ho-side .answer { font-size: 15px; }
.ho-side .term { font-size: 20px; }
.ho-side .extra { font-size: 13px; margin-top: 6px; }
.ho-side .source { font-size: 10px; margin-top: 6px; }
.ho-side small, .ho-side sub, .ho-side sup { font-size: 0.8em; }
@media (max-width: 30rem) {
  .ho-card { grid-template-columns: 1fr; }
  .ho-question { border-right: 0; border-bottom: 1px dotted #8c8c8c; }
}
"""


@dataclass(frozen=True, slots=True)
class HandoutCard:
    """One Anki card of a note, as the handout prints it."""

    card_id: str
    #: the subdeck's name
    subdeck: str
    sides: CardSides


def handout_html(deck: Deck, cards: Sequence[HandoutCard], images: Mapping[str, str]) -> str:
    """The page; images maps a media file's stored name to its data: address."""
    total = len(cards)
    title = escape(deck.title)
    body = "".join(_card(number, total, card, images) for number, card in enumerate(cards, 1))
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} {escape(deck.version)}: printable cards</title>\n"
        f"<style>\n{CSS}{_STYLE}</style>\n</head>\n<body>\n"
        f'<header class="ho-head"><h1>{title}</h1><p>Version {escape(deck.version)}, {total} card'
        f"{'s' if total != 1 else ''}. Print on A4, cut along the dashed lines, fold along the dotted line: "
        "the question in front, the answer behind.</p></header>\n"
        f"<main>\n{body}</main>\n</body>\n</html>\n"
    )


def answer_part(answer_html: str) -> str:
    """What an answer side shows beyond the question (all of it when it repeats none, as a cloze's)."""
    before, rule, after = answer_html.partition(_ANSWER_RULE)
    return after if rule else before


def _card(number: int, total: int, card: HandoutCard, images: Mapping[str, str]) -> str:
    sides = card.sides
    mark = f'<span class="ho-number">{number}/{total}</span>'
    question = _inline(sides.question, images)
    answer = _inline(answer_part(sides.answer), images)
    label = escape(f"{card.card_id} ({card.subdeck}, {sides.name})", quote=True)
    return (
        f'<section class="ho-card" aria-label="{label}">'
        f'<div class="ho-side ho-question">{mark}<div class="card card{sides.ordinal + 1}">{question}</div></div>'
        f'<div class="ho-side ho-answer"><div class="card card{sides.ordinal + 1}">{answer}</div>{mark}</div>'
        "</section>\n"
    )


def _inline(html: str, images: Mapping[str, str]) -> str:
    return with_image_sources(_SOUND.sub("", html), images)
