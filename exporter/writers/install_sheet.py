"""A release → `<deck>.install.html`: one offline page for learners, read on a phone or printed on one A4 sheet,
saying how to install the deck or update it in each Anki app, what to choose on import, and what is new.

No scripts, no fonts or images to fetch: the QR code of the download address is inline SVG.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from exporter.model import Deck
from exporter.release.ledger import Changes, Release
from exporter.release.on_import import Step, deck_has_options, first_import_steps, update_steps
from exporter.rendering.plain_text import gapped_line

#: Shown on the sheet: the first few cards a release adds, then a count.
NEWS_SHOWN = 3

_STYLE = """\
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; color: #1a1a1a; background: #ffffff; overflow-wrap: anywhere;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
}
main { max-width: 46rem; margin: 0 auto; padding: 14px 16px 28px; }
h1 { font-size: 1.35rem; line-height: 1.25; margin: 0 0 4px; }
h2 { font-size: 1.08rem; margin: 16px 0 4px; }
h3 { font-size: 1rem; margin: 10px 0 2px; }
p, ol, ul { margin: 4px 0; }
ol, ul { padding-left: 1.3em; }
code { font: 0.92em ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; background: #eef0f3;
  padding: 0 0.2em; border-radius: 3px; }
.release { color: #4d4d4d; }
.get { display: flex; gap: 12px; align-items: center; border: 2px solid #0a4a9e; border-radius: 8px;
  padding: 8px 12px; margin-top: 10px; }
.get svg { flex: none; width: 140px; height: 140px; }
.get a { color: #0a4a9e; }
.apps { display: grid; grid-template-columns: 1fr; gap: 0 18px; }
.apps section { break-inside: avoid; }
.paid { font-weight: 600; }
.choices { border-left: 4px solid #0a4a9e; padding-left: 10px; margin-top: 8px; }
.news li { overflow-wrap: anywhere; }
@media (min-width: 44rem) { .apps { grid-template-columns: 1fr 1fr 1fr; } }
@page { size: A4; margin: 12mm 14mm; }
@media print {
  body { font-size: 9.5pt; line-height: 1.3; }
  main { max-width: none; padding: 0; }
  .apps { grid-template-columns: 1fr 1fr 1fr; }
  h2 { margin-top: 8px; }
  h3 { margin-top: 6px; }
  .get a { color: inherit; text-decoration: none; }
  .get svg { width: 32mm; height: 32mm; }
}
"""


def install_sheet_html(
    deck: Deck, package_name: str, release: Release | None, news: Sequence[str], download_url: str = ""
) -> str:
    """The page. release is this build's (its changes and date); news the first field (HTML) of the first cards
    it adds (NEWS_SHOWN); download_url, if given, is shown with its QR code."""
    changes = release.changes if release else Changes()
    when = f", {release.date}" if release else ""
    title = escape(deck.title)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} {escape(deck.version)}: install or update</title>\n<style>\n{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{title}</h1>\n"
        f'<p class="release">Flashcards for Anki, version {escape(deck.version)}{when}: '
        f"the file <b>{escape(package_name)}</b>. Study offline, on a phone or a computer.</p>\n"
        + _download(package_name, download_url)
        + _apps(package_name)
        + _choices(deck, changes)
        + _news(deck, changes, news)
        + "</main>\n</body>\n</html>\n"
    )


def _download(package_name: str, download_url: str) -> str:
    if not download_url:
        return (
            f'<div class="get"><p>Get the file <b>{escape(package_name)}</b> from your trainer (by mail, chat, '
            "a USB cable or a shared drive), then follow the steps for your device.</p></div>\n"
        )
    url = escape(download_url)
    return (
        f'<div class="get">{qr_code_svg(download_url)}<p>Scan the code with the phone\'s camera to download '
        f'<b>{escape(package_name)}</b>, or open <a href="{url}">{url}</a></p></div>\n'
    )


def _apps(package_name: str) -> str:
    name = escape(package_name)
    return (
        '<div class="apps">\n'
        '<section><h2>Android: AnkiDroid</h2><p class="paid">Free, from Google Play or F-Droid.</p><ol>'
        "<li>Save the file first: from a chat app, choose <b>Save</b> or <b>Download</b> (opening it straight "
        "from the chat often fails).</li>"
        f"<li>In AnkiDroid, tap <b>⋮</b> then <b>Import</b>, and pick {name}.</li></ol></section>\n"
        '<section><h2>iPhone, iPad: AnkiMobile</h2><p class="paid">A paid app, from the App Store.</p><ol>'
        f"<li>Open {name} from Files, Mail or AirDrop, and choose <b>Open in Anki</b>.</li></ol>"
        "<p>Without it: import the file in Anki on a computer (free), sync to a free AnkiWeb account, then "
        "study at <b>ankiweb.net</b> in the phone's browser (online only).</p></section>\n"
        '<section><h2>Computer: Anki</h2><p class="paid">Free, from apps.ankiweb.net.</p><ol>'
        f"<li>Choose <b>File</b> then <b>Import…</b>, and pick {name}.</li>"
        "<li>To carry it to a phone, sync with AnkiWeb.</li></ol></section>\n"
        "</div>\n"
    )


def qr_code_svg(text: str) -> str:
    """A QR code of the text as inline SVG: dark modules on white, with the quiet zone scanners need."""
    import segno  # here: only a build with a download address needs it

    code = segno.make(text, error="m", micro=False)
    # without a size of its own (a viewBox only), the style gives it one: on a phone and on paper
    return str(code.svg_inline(border=4, dark="#000000", light="#ffffff", omitsize=True, title="QR code: " + text))


def _choices(deck: Deck, changes: Changes) -> str:
    # the update steps are the changelog's "On import" for this release: the same decision, said the same way
    return (
        '<div class="choices"><h2>In the import window</h2>'
        "<h3>First time</h3>"
        + _steps(first_import_steps(deck_has_options(deck)))
        + "<h3>Updating from an earlier version</h3>"
        + _steps(update_steps(changes, deck.title))
        + "<p>Your reviews and schedules are kept; Anki never deletes cards on import.</p></div>\n"
    )


def _steps(steps: Iterable[Step]) -> str:
    items = "".join(f"<li>{_step_html(step)}</li>" for step in steps)
    return f"<ul>{items}</ul>"


def _step_html(step: Step) -> str:
    marks = {"": "{}", "control": "<b>{}</b>", "search": "<code>{}</code>", "name": "<i>{}</i>"}
    return "".join(marks[phrase.style].format(escape(phrase.text)) for phrase in step)


def _news(deck: Deck, changes: Changes, news: Sequence[str]) -> str:
    counts = [
        (len(changes.added), "new card", "new cards"),
        (len(changes.changed), "card corrected", "cards corrected"),
        (len(changes.retired), "card retired", "cards retired"),
        (len(changes.restored), "card back", "cards back"),
    ]
    summary = ", ".join(f"{count} {one if count == 1 else many}" for count, one, many in counts if count)
    # gaps for the deletions: the sheet must not give answers away
    items = "".join(f"<li>{escape(gapped_line(field))}</li>" for field in news[:NEWS_SHOWN])
    more = len(changes.added) - min(len(news), NEWS_SHOWN)
    if items and more > 0:
        items += f"<li>and {more} more new card{'s' if more != 1 else ''}</li>"
    return (
        f'<section class="news"><h2>What\'s new in {escape(deck.version)}</h2>'
        f"<p>{escape(summary.capitalize() + '.' if summary else 'No card changes.')}</p>"
        + (f"<ul>{items}</ul>" if items else "")
        + "</section>\n"
    )
