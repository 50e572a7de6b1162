"""The release ledger's history → CHANGELOG.md for trainers: what each release added, changed and retired."""
from __future__ import annotations

import html
import re

from exporter.releases import RETIRED_TAG, CardEntry, Changes, Ledger, Release

_TAG = re.compile(r"<[^>]+>")
_SNIPPET = 90


def changelog_markdown(ledger: Ledger) -> bytes:
    """Every release, newest first, as Markdown."""
    lines = [f"# Changelog: {ledger.title}", "",
             "Each release lists what learners get when they import it. Review history is never lost on import: "
             "changed cards keep their schedule, and retired cards stay on learners' phones tagged "
             f"`{RETIRED_TAG}` (search `tag:{RETIRED_TAG}` in Anki's browser to suspend or delete them).", ""]
    for release in reversed(ledger.releases):
        lines.extend(release_markdown(release, ledger))
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def release_markdown(release: Release, ledger: Ledger) -> list[str]:
    """One release's section."""
    lines = [f"## {release.version} ({release.date})", ""]
    lines.extend(changes_markdown(release.changes, ledger))
    return lines


def changes_markdown(changes: Changes, ledger: Ledger) -> list[str]:
    """The body of one release: a summary line, then a list per kind of change."""
    if not changes:
        return ["No card changes.", ""]
    counts = [(len(changes.added), "added"), (len(changes.changed), "changed"), (len(changes.retired), "retired"),
              (len(changes.restored), "restored")]
    summary = ", ".join(f"{count} {label}" for count, label in counts if count)
    lines = [summary.capitalize() + "." if summary else "No card changes; the note types changed.", ""]
    if changes.renamed_decks:
        lines += ["### Decks renamed", ""]
        lines += [f"- {_code(old)} → {_code(new)}: cards learners already have stay in the old deck unless they "
                  "rename it in Anki before importing." for old, new in changes.renamed_decks] + [""]
    if changes.note_types:
        lines += ["### Note types", ""] + [f"- {description}" for description in changes.note_types] + [""]
    if changes.added:
        lines += ["### Added", ""] + [f"- {_card(card_id, ledger)}" for card_id in changes.added] + [""]
    if changes.changed:
        lines += ["### Changed", ""]
        for card_id, fields in changes.changed.items():
            lines.append(f"- {_card(card_id, ledger)}")
            lines += [f"  - {change.field}: {_quote(change.old, None)} → {_quote(change.new, None)}"
                      for change in fields]
        lines.append("")
    if changes.retired:
        lines += ["### Retired", "",
                  f"Still on learners' phones, now tagged `{RETIRED_TAG}`: in Anki's browser search "
                  f"`tag:{RETIRED_TAG}`, select the cards and suspend or delete them. New learners get nothing "
                  "to study from them.", ""]
        lines += [f"- {_card(card_id, ledger)}" for card_id in changes.retired] + [""]
    if changes.restored:
        lines += ["### Restored", ""] + [f"- {_card(card_id, ledger)}" for card_id in changes.restored] + [""]
    return lines


def _card(card_id: str, ledger: Ledger) -> str:
    entry: CardEntry | None = ledger.cards.get(card_id)
    if entry is None:
        return _code(card_id)
    return f"{_code(card_id)} ({entry.deck.rsplit('::', 1)[-1]}): {_quote(entry.fields[0])}"


def _plain(field_html: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", field_html)).split())


def _quote(field_html: str, limit: int | None = _SNIPPET) -> str:
    text = _plain(field_html)
    if not text:
        return "(empty)"
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "“" + text.replace("*", "\\*").replace("_", "\\_") + "”"


def _code(text: str) -> str:
    return f"`{text}`"
