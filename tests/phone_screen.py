"""Pages in Debian's headless Chromium: a card side on a phone screen (the page the apps build around the
engine's HTML), an offline page at phone widths, a page printed to A4.

The tests that look at what a person sees use it, and docs/screenshots/make_screenshots.py too, so the
screenshots show the very page the tests measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Debian's Chromium; we never download a browser build.
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True, slots=True)
class Screen:
    """A phone screen in CSS pixels."""

    width: int
    height: int
    scale: float

    @property
    def name(self) -> str:
        return f"{self.width}x{self.height}"


#: A small Android phone and a large one (3× and 2× pixel density: text is drawn as the phone draws it).
SCREENS = (Screen(360, 640, 3), Screen(412, 915, 2))
MODES = ("light", "night")

# What the app puts around the card. AnkiDroid's page has no viewport tag, but Android's WebView (unless told to
# use a wide viewport) lays the page out at the screen's width anyway, and desktop's and AnkiMobile's webviews
# behave like width=device-width. Chromium's mobile emulation without the tag lays out at 980 px and zooms out,
# which no learner sees, so we add the tag: the layout is then 360 or 412 CSS px wide, as on the phone.
# The content sits in <div id="qa"> like the desktop reviewer's (AnkiDroid's is #content, with the same margin).
# The app stylesheet is the part of AnkiDroid's flashcard.css that touches the card's box and colours: our night
# colours must win over its white-on-black, and its 0.5em margin around the content narrows the screen.
_PAGE = """<!doctype html>
<html class="mobile android linux js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ margin: 0; padding: 0; margin-bottom: 30px; }}
body.night_mode {{ color: white; background-color: black; }}
#qa {{ margin: 0.5em; }}
</style>
</head>
<body class="{body_class}"><div id="qa">{content}</div></body>
</html>
"""


def body_class(mode: str) -> str:
    """The body's classes: desktop and AnkiDroid add both night-mode classes."""
    return "card nightMode night_mode" if mode == "night" else "card"


def page_html(content: str, mode: str) -> str:
    """A whole page as the phone app shows it, with the engine's HTML (its <style> included) as content."""
    return _PAGE.format(body_class=body_class(mode), content=content)


def require_chromium() -> None:
    """Skip a browser test where Debian's Chromium is missing, but fail under CI, which must have installed it."""
    import os

    import pytest

    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does it as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def launch(playwright: Any) -> Any:
    """Headless Chromium from the system, with nothing phoning home."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium for a with block, closed after it (the test skipped or failed where it is missing)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


def phone_context(browser: Any, screen: Screen) -> Any:
    """A browser context that behaves like a phone of this size: mobile layout, touch, high-density pixels."""
    return browser.new_context(
        viewport={"width": screen.width, "height": screen.height},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=screen.scale,
    )


@dataclass(frozen=True, slots=True)
class Side:
    """One side of one card, as the engine rendered it (the <style> with our CSS in front)."""

    #: e.g. "acr-unct (Acronym → meaning, card 1) answer"
    label: str
    card_id: str
    side: str
    html: str


# Sound tags, which the apps replace by a play button; a ▶ stands in for it.
_SOUND = re.compile(r"\[anki:play:[qa]:\d+\]")


def engine_sides(cards_dir: Path, work_dir: Path) -> tuple[list[Side], Path]:
    """Build a card set, import the package into a fresh collection, and render both sides of every card.

    Returns the sides in deck order and the collection's media folder (where relative image sources resolve).
    """
    from exporter.pipeline.build import build
    from exporter.pipeline.checked_stream import check
    from exporter.rendering.notes import note_guid
    from tests.anki_engine import fresh_collection, import_apkg
    from tests.support import copy_card_set

    copy = copy_card_set(cards_dir, work_dir / "cards")  # a snapshot: the set may be edited while we read it
    built = build(copy, work_dir / "dist")
    package = next(path for path in built.paths if path.suffix == ".apkg")
    collection = fresh_collection(work_dir)
    try:
        import_apkg(collection, package)
        deck = check(copy).deck
        assert deck is not None
        order = {note_guid(deck.id, card.id): (index, card.id) for index, card in enumerate(deck.cards)}
        cards = sorted(
            (collection.get_card(cid) for cid in collection.find_cards("")),
            key=lambda card: (order[card.note().guid], card.ord),
        )
        sides = []
        for card in cards:
            card_id = order[card.note().guid][1]
            template = card.template()["name"]
            for side, html in (("question", card.question()), ("answer", card.answer())):
                label = f"{card_id} ({template}, card {card.ord + 1}) {side}"
                sides.append(Side(label, card_id, side, _SOUND.sub("▶", html)))
        return sides, Path(collection.media.dir())
    finally:
        collection.close()


def batches(sides: list[Side], size: int) -> Iterator[list[Side]]:
    """The sides in groups, one page evaluation each."""
    for start in range(0, len(sides), size):
        yield sides[start : start + size]


# Puts each side into #qa in turn (the page is reused; each side is laid out on its own) and measures it:
# horizontal overflow, and every element with text of its own: font size, colour, effective background.
# Overflow is judged against the screen's width, not window.innerWidth: a mobile browser widens its layout
# viewport (and zooms out) to fit content wider than the screen, so innerWidth grows with the overflow.
MEASURE_JS = r"""
async ({sides, smallSelector, screenWidth}) => {
  const parse = (value) => {
    const m = value.match(/^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/);
    if (!m) throw new Error('unexpected colour ' + value);
    return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
  };
  const over = (top, bottom) => {  // source-over compositing of one colour on an opaque one
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const background = (element) => {  // the first non-transparent backgrounds up to an opaque one
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    let result = [255, 255, 255, 1];  // the canvas when nothing paints
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + [...e.classList].map((c) => '.' + c).join('');
  const qa = document.getElementById('qa');
  const results = [];
  for (const side of sides) {
    qa.innerHTML = side.html;
    await Promise.all([...qa.querySelectorAll('img')].map((img) => img.decode().catch(() => null)));
    const width = screenWidth;
    const overflowing = [];
    for (const e of document.body.querySelectorAll('*')) {
      const box = e.getBoundingClientRect();
      if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
        overflowing.push(`${describe(e)} spans ${Math.round(box.left)}..${Math.round(box.right)} px`);
      }
    }
    const texts = [];
    for (const e of [document.body, ...document.body.querySelectorAll('*')]) {
      const own = [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent)
        .join('').replace(/\s+/g, ' ').trim();
      const style = getComputedStyle(e);
      if (!own || style.display === 'none' || style.visibility !== 'visible' || e.tagName === 'STYLE') continue;
      const back = background(e);
      texts.push({
        element: describe(e),
        text: own.slice(0, 40),
        size: parseFloat(style.fontSize),
        small: e.closest(smallSelector) !== null,
        contrast: ratio(over(parse(style.color), back), back),
        color: style.color,
        background: `rgb(${back.slice(0, 3).map(Math.round).join(', ')})`,
      });
    }
    const source = qa.querySelector('.source');
    results.push({
      label: side.label,
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      overflowing,
      texts,
      scripts: document.querySelectorAll('#qa script').length,
      sources: qa.querySelectorAll('.source').length,
      sourceSize: source ? parseFloat(getComputedStyle(source).fontSize) : null,
    });
  }
  return results;
}
"""


#: The phone widths printed pages are read at (CSS px): a small Android phone and a large one.
PHONE_WIDTHS = (360, 412)


def offline_page_on_phones(page_path: Path) -> dict[int, tuple[int, list[str]]]:
    """Open a page at each phone width in Chromium: its layout width (wider than the screen: sideways
    scrolling) and every address it asked for but its own."""
    found = {}
    with chromium() as browser:
        for width in PHONE_WIDTHS:
            context = phone_context(browser, Screen(width, 800, 2))
            page = context.new_page()
            asked: list[str] = []
            page.on("request", lambda request, asked=asked: asked.append(request.url))
            page.goto(page_path.as_uri())
            layout = page.evaluate("document.documentElement.scrollWidth")
            found[width] = (layout, [url for url in asked if url != page_path.as_uri()])
            context.close()
    return found


def printed_pages(page_path: Path, pdf_path: Path) -> list[str]:
    """Print a page to an A4 PDF in Chromium, as a learner's browser would: the text of each printed page."""
    import pypdf

    with chromium() as browser:
        page = browser.new_page()
        page.goto(page_path.as_uri())
        page.pdf(path=str(pdf_path), format="A4", prefer_css_page_size=True, print_background=True)
    return [page.extract_text() for page in pypdf.PdfReader(pdf_path).pages]
