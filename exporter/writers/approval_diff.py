"""What changed since each card's approval, as diff prints it (Markdown) and as the review page shows it (HTML):
the full text as approved with the removed words marked, the text now with the added words marked."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping

from exporter.checking.approval_changes import ApprovalChanges, ChangedSinceApproval, SideChange, SourceEdit, Words
from exporter.reading.approved_texts import APPROVED_TEXTS_FILE
from exporter.writers.changelog import card_markdown, markdown_escaped

_RE_REVIEW = (
    "Approved cards whose text has changed since; `--approved-only` leaves them out until approved again. "
    "~~Struck~~ words were removed, **bold** ones added since the approval."
)
_SOURCE_ONLY = "Approved cards whose source line alone changed since the approval: the approval stands."
_NOT_KEPT = (
    "the approved text was not kept (approved before `{file}` was written, or by hand in the card file): "
    "compare with the card files' history in git"
)
_MARKS = {"removed": ("~~", "<del>", "</del>"), "added": ("**", "<ins>", "</ins>")}


def approval_markdown(changes: ApprovalChanges, labels: Mapping[str, str]) -> Iterator[str]:
    """diff's sections: the cards to review again with what changed, then the source-only edits."""
    if changes.re_review:
        yield from ("### Needs re-review", "", _RE_REVIEW, "")
        for item in changes.re_review:
            yield f"- {card_markdown(item.card.id, labels.get(item.card.id, ''))}"
            yield from (f"  - {line}" for line in _change_lines(item))
        yield ""
    if changes.source_only:
        yield from ("### Source line changed since approval", "", _SOURCE_ONLY, "")
        for edit in changes.source_only:
            old, new = (markdown_escaped(source or "(none)") for source in (edit.old_source, edit.new_source))
            yield f"- {card_markdown(edit.card.id, labels.get(edit.card.id, ''))}: {old} → {new}"
        yield ""


def _change_lines(item: ChangedSinceApproval) -> Iterator[str]:
    review = item.card.review
    yield markdown_escaped(f"approved by {review.by or 'someone'} on {review.on or 'a day not recorded'}")
    approved = item.approved
    if approved is None:
        yield _NOT_KEPT.format(file=APPROVED_TEXTS_FILE)
        return
    for what, old, new in item.moves:
        yield f"{what}: {markdown_escaped(old)} → {markdown_escaped(new)}"
    for side in item.sides:
        yield f"{side.side} as approved: {_quoted_markdown(side.old_lines())}"
        yield f"{side.side} now: {_quoted_markdown(side.new_lines())}"


def _quoted_markdown(lines: list[list[Words]]) -> str:
    """The side's text in quotes, its lines joined by hard line breaks inside the list item."""
    shown = "\\\n    ".join("".join(_run_markdown(run) for run in line) for line in lines)
    return f"“{shown}”" if shown else "(empty)"


def _run_markdown(run: Words) -> str:
    text = markdown_escaped(run.text)
    if run.change == "same":
        return text
    return _wrapped(text, _MARKS[run.change][0], _MARKS[run.change][0])


def _wrapped(text: str, opening: str, closing: str) -> str:
    """The text between the marks, its spaces at either end left outside (Markdown ignores `** word**`)."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    return f"{text[:start]}{opening}{core}{closing}{text[start + len(core) :]}"


def side_change_html(change: SideChange) -> str:
    """One side's change for the review page: the text as approved with <del> words, the text now with <ins>
    words, each in a <p> named by the side; escaped, lines kept as <br>."""
    return (
        f'<p class="rv-approved"><b>{html.escape(change.side)} as approved:</b> '
        f"{_html_lines(change.old_lines())}</p>\n"
        f'<p class="rv-now"><b>{html.escape(change.side)} now:</b> {_html_lines(change.new_lines())}</p>'
    )


def changed_since_approval_html(item: ChangedSinceApproval) -> str:
    """Everything that changed in a card since its approval, for the review page (see side_change_html)."""
    approved = item.approved
    if approved is None:
        return f'<p class="rv-approved">{html.escape(_NOT_KEPT.format(file=APPROVED_TEXTS_FILE))}</p>'
    parts = [
        f'<p class="rv-approved"><b>{what}:</b> <del>{html.escape(old)}</del> <ins>{html.escape(new)}</ins></p>'
        for what, old, new in item.moves
    ]
    parts += [side_change_html(side) for side in item.sides]
    return "\n".join(parts)


def source_edits_html(edits: Iterable[SourceEdit]) -> str:
    """The approved cards whose source line alone changed, for the review page: a list, empty if none."""
    items = [
        f'<li><a href="#card-{html.escape(edit.card.id)}">{html.escape(edit.card.id)}</a>: '
        f"<del>{html.escape(edit.old_source or '(none)')}</del> <ins>{html.escape(edit.new_source or '(none)')}</ins>"
        "</li>"
        for edit in edits
    ]
    if not items:
        return ""
    return f'<p>{html.escape(_SOURCE_ONLY)}</p>\n<ul class="rv-source-edits">\n' + "\n".join(items) + "\n</ul>"


def _html_lines(lines: list[list[Words]]) -> str:
    return "<br>".join("".join(_run_html(run) for run in line) for line in lines)


def _run_html(run: Words) -> str:
    text = html.escape(run.text)
    if run.change == "same":
        return text
    _, opening, closing = _MARKS[run.change]
    return _wrapped(text, opening, closing)
