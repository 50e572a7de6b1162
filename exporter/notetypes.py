"""Our own Anki note types: fixed ids for the type, each field and each template, and phone-first styling.

Anki matches an imported note type by its id and then by the ids of its fields and templates; changing any id
here makes learners' phones treat it as a different note type. Add fields or templates only with new ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Template:
    """One card a note makes: its question and answer HTML."""

    id: int
    name: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class NoteType:
    """An Anki note type we ship; its ids must never change."""

    id: int
    name: str
    #: (field id, field name) in Anki's order
    fields: tuple[tuple[int, str], ...]
    templates: tuple[Template, ...]
    is_cloze: bool = False
    css: str = ""

    @property
    def styling(self) -> str:
        """The note type's CSS: the shared CSS unless an edition adds to it."""
        return self.css or CSS

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.fields)


# System fonts only (decks work offline); 20 px body, since AnkiDroid shows cards without a viewport tag and
# applies the user's zoom on top. Both night-mode classes are styled so AnkiDroid does not invert colours
# itself. Every text colour keeps a contrast of at least 4.5:1 against its background in both modes, and long
# words, URLs and acronym chains ("DSRSG/RC/HC") wrap instead of scrolling sideways:
# tests/test_phone_rendering.py measures all of it in a browser.
CSS = """\
.card {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.5;
  color: #1a1a1a;
  background-color: #ffffff;
  text-align: center;
  margin: 0;
  padding: 12px 12px 24px;
  overflow-wrap: anywhere;
  word-break: normal;
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  color: #e6e6e6;
  background-color: #1c1c1e;
}
.card * { max-width: 100%; box-sizing: border-box; }
img { max-width: 100%; height: auto; }
.kind, .prompt, .term, .answer, .extra, .source { max-width: 720px; margin-left: auto; margin-right: auto; }
.kind {
  font-size: 14px;
  font-weight: 600;
  letter-spacing: 0.06em;
  text-transform: uppercase;
  color: #4d4d4d;
  margin-bottom: 10px;
}
.prompt { font-size: 22px; font-weight: 600; line-height: 1.4; }
.term { font-size: 30px; font-weight: 700; line-height: 1.25; letter-spacing: 0.02em; }
.answer { font-size: 22px; line-height: 1.4; }
.extra { font-size: 18px; line-height: 1.5; margin-top: 16px; color: #3b3b3b; }
.source { font-size: 14px; line-height: 1.4; margin-top: 24px; color: #5c5c5c; }
hr#answer { border: 0; border-top: 1px solid #bdbdbd; margin: 18px auto; max-width: 720px; }
.text { text-align: left; font-weight: 400; line-height: 1.5; }
.text ~ .extra, .text ~ .source { text-align: left; }
.cloze {
  font-weight: 700;
  color: #0a4a9e;
  background-color: #e7effb;
  border-radius: 4px;
  padding: 0 0.15em;
  -webkit-box-decoration-break: clone;
  box-decoration-break: clone;
}
ul, ol { text-align: left; padding-left: 1.3em; margin: 8px 0; }
li + li { margin-top: 4px; }
small { font-size: max(16px, 0.85em); }
sub, sup { font-size: max(16px, 0.75em); line-height: 0; }
code {
  font-family: ui-monospace, "SF Mono", Menlo, Consolas, "Roboto Mono", "Liberation Mono", monospace;
  font-size: 0.9em;
  background-color: #f0f0f0;
  border-radius: 3px;
  padding: 0 0.2em;
}
mark { color: inherit; background-color: #ffe680; }
.nightMode .kind, .night_mode .kind { color: #b8b8b8; }
.nightMode .extra, .night_mode .extra { color: #cfcfcf; }
.nightMode .source, .night_mode .source { color: #a8a8a8; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #4a4a4a; }
.nightMode .cloze, .night_mode .cloze { color: #a6d0ff; background-color: #1f3452; }
.nightMode code, .night_mode code { background-color: #2c2c2e; }
.nightMode mark, .night_mode mark { color: #fff0b3; background-color: #5c4800; }
"""

#: The words the templates and the source line show, by their key in a translation file (label.<key>).
LABELS: Mapping[str, str] = {
    "what_it_stands_for": "What does it stand for?",
    "which_acronym": "Which acronym?",
    "slide": "Slide",
}

_EXTRA = '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'
_SOURCE = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'

ACRONYM = NoteType(
    id=1607392319001,
    name="Peacekeeping Acronym",
    fields=((7001, "Term"), (7002, "Expansion"), (7003, "Explanation"), (7004, "Source")),
    templates=(
        Template(
            id=7101,
            name="Acronym → meaning",
            question='<div class="kind">'
            + LABELS["what_it_stands_for"]
            + '</div><div class="term">{{Term}}</div>',
            answer='{{FrontSide}}<hr id="answer"><div class="answer">{{Expansion}}</div>'
            '{{#Explanation}}<div class="extra">{{Explanation}}</div>{{/Explanation}}' + _SOURCE,
        ),
        Template(
            id=7102,
            name="Meaning → acronym",
            question='<div class="kind">'
            + LABELS["which_acronym"]
            + '</div><div class="prompt">{{Expansion}}</div>',
            answer='{{FrontSide}}<hr id="answer"><div class="term">{{Term}}</div>'
            '{{#Explanation}}<div class="extra">{{Explanation}}</div>{{/Explanation}}' + _SOURCE,
        ),
    ),
)

BASIC = NoteType(
    id=1607392319002,
    name="Peacekeeping Question",
    fields=((7011, "Question"), (7012, "Answer"), (7013, "Extra"), (7014, "Source")),
    templates=(
        Template(
            id=7111,
            name="Question → answer",
            question='<div class="prompt">{{Question}}</div>',
            answer='{{FrontSide}}<hr id="answer"><div class="answer">{{Answer}}</div>' + _EXTRA + _SOURCE,
        ),
    ),
)

CLOZE = NoteType(
    id=1607392319003,
    name="Peacekeeping Cloze",
    fields=((7021, "Text"), (7022, "Extra"), (7023, "Source")),
    templates=(
        Template(
            id=7121,
            name="Cloze",
            question='<div class="prompt text">{{cloze:Text}}</div>',
            answer='<div class="prompt text">{{cloze:Text}}</div>' + _EXTRA + _SOURCE,
        ),
    ),
    is_cloze=True,
)

#: Languages written right to left: their editions' cards say dir="rtl".
RIGHT_TO_LEFT = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})

# An edition's cards flip what the shared CSS aligns to the left.
_RTL_CSS = """\
[dir="rtl"] .text, [dir="rtl"] .text ~ .extra, [dir="rtl"] .text ~ .source { text-align: right; }
[dir="rtl"] ul, [dir="rtl"] ol { text-align: right; padding-left: 0; padding-right: 1.3em; }
"""


def text_direction(lang: str) -> str:
    """The HTML dir of a language's text: rtl for Arabic, Hebrew, Persian, Urdu...; else ltr."""
    return "rtl" if lang.split("-")[0] in RIGHT_TO_LEFT else "ltr"


def edition_note_type(note_type: NoteType, lang: str, labels: tuple[tuple[str, str], ...] = ()) -> NoteType:
    """A note type as a language edition has it: an id and name of its own, so that two editions sit in one
    collection, the labels translated and every card marked with its lang and dir. The id derives from the
    English id and the language code: it never changes either."""
    words = {**LABELS, **dict(labels)}
    attributes = f'lang="{lang}" dir="{text_direction(lang)}"'
    return _edition_note_type(note_type, lang, words, attributes)


def _edition_note_type(note_type: NoteType, lang: str, words: Mapping[str, str], attributes: str) -> NoteType:
    def localised(html: str) -> str:
        for key, english in LABELS.items():
            html = html.replace(f">{english}<", f">{_escaped(words[key])}<")
        return f'<div class="edition" {attributes}>{html}</div>'

    digest = hashlib.sha256(f"note type\x1f{note_type.id}\x1f{lang}".encode()).digest()
    return replace(
        note_type,
        id=int.from_bytes(digest[:6], "big") or 1,
        name=f"{note_type.name} ({lang})",
        templates=tuple(
            replace(template, question=localised(template.question), answer=localised(template.answer))
            for template in note_type.templates
        ),
        css=CSS + _RTL_CSS,
    )


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
