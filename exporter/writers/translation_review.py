"""A language edition's texts beside their English → one self-contained HTML page for translation reviewers
(`flashcards review --lang fr`): every entry in deck order, the stale (fuzzy), missing and unreviewed ones marked.

Pure: returns the page as a string; no scripts; the translations are shown as the cards show them (through the
same text formatting and sanitizer), in their own language and direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from exporter.rendering.text_format import field_html

#: An entry's state, and how the page says it.
STATES = {
    "translated": "translated",
    "awaiting-review": "translated, awaiting review",
    "fuzzy": "stale: the English changed",
    "missing": "missing: English shown to learners",
}

_CSS = """\
body { font-family: system-ui, sans-serif; margin: 16px; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #bdbdbd; padding: 6px 8px; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f0f0f0; text-align: left; }
.context { font-family: ui-monospace, monospace; font-size: 13px; width: 22%; }
.state { width: 14%; font-weight: 600; }
tr.fuzzy .state { color: #8a4b00; } tr.missing .state { color: #a30000; } tr.awaiting-review .state { color: #0a4a9e; }
.previous { color: #5c5c5c; font-size: 14px; margin-top: 6px; }
"""


@dataclass(frozen=True, slots=True)
class TranslationRow:
    """One text of the card set and its translation."""

    context: str
    english: str
    translation: str
    #: a key of STATES
    state: str
    #: the English the (fuzzy) translation was made from
    previous_english: str = ""


def translation_review_html(
    title: str, lang: str, direction: str, rows: Sequence[TranslationRow], *, source: str
) -> str:
    """The page: a count of each state, then one table row per entry."""
    counts = {state: sum(row.state == state for row in rows) for state in STATES}
    summary = ", ".join(f"{number} {STATES[state]}" for state, number in counts.items() if number)
    body = "".join(_row(row, lang, direction) for row in rows)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}: {escape(lang)} translation review</title>\n<style>\n{_CSS}</style>\n</head>\n"
        f"<body>\n<h1>{escape(title)}: translation ({escape(lang)})</h1>\n"
        f"<p>From {escape(source)}: {len(rows)} texts: {escape(summary)}.</p>\n"
        '<table>\n<tr><th class="context">entry</th><th>English</th>'
        f'<th>translation ({escape(lang)})</th><th class="state">state</th></tr>\n{body}</table>\n</body>\n</html>\n'
    )


def _row(row: TranslationRow, lang: str, direction: str) -> str:
    previous = (
        f'<div class="previous">translated from: {field_html(row.previous_english)}</div>'
        if row.previous_english
        else ""
    )
    return (
        f'<tr class="{row.state}" id="{escape(row.context)}"><td class="context">{escape(row.context)}</td>'
        f"<td>{field_html(row.english)}</td>"
        f'<td lang="{escape(lang)}" dir="{direction}">{field_html(row.translation)}{previous}</td>'
        f'<td class="state">{STATES[row.state]}</td></tr>\n'
    )
