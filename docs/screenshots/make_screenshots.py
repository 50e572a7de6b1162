"""Screenshots of shipped cards on a 360-px phone, light and night, for reviewing the note types' styling.

Run from the repository root: `.venv/bin/python docs/screenshots/make_screenshots.py`. Writes the PNGs next to
this script. Needs /usr/bin/chromium and the test extra (anki, playwright).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.phone_screen import MODES, Screen, engine_sides, launch, page_html, phone_context  # noqa: E402

OUT = Path(__file__).resolve().parent
#: file stem → the side shown (the label's start: card id and card number, then the side)
SHOTS = {
    "card-acronym": ("acr-dsrsg-rc-hc", 1, "answer"),
    "card-acronym-reverse": ("acr-dsrsg-rc-hc", 2, "answer"),
    "card-cloze-question": ("cluster-sectors", 3, "question"),
    "card-cloze-answer": ("cluster-sectors", 3, "answer"),
    "card-long-basic": ("ifis-in-unct", 1, "answer"),
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as work:
        sides, media = engine_sides(ROOT / "cards", Path(work))
        wanted = {}
        for stem, (card_id, number, which) in SHOTS.items():
            matches = [
                s for s in sides if s.card_id == card_id and s.side == which and f"card {number})" in s.label
            ]
            if len(matches) != 1:
                sys.exit(f"no single {which} of card {number} of {card_id!r} in cards/: update SHOTS")
            wanted[stem] = matches[0]
        screen = Screen(360, 640, 2)  # the tests' small phone, at 2× to keep the files small
        with sync_playwright() as playwright:
            browser = launch(playwright)
            context = phone_context(browser, screen)
            page = context.new_page()
            for stem, side in wanted.items():
                for mode in MODES:
                    # Pages live in the media folder, as the apps' do, so image sources resolve.
                    page_file = media / f"_{stem}-{mode}.html"
                    page_file.write_text(page_html(side.html, mode), encoding="utf-8")
                    page.goto(page_file.as_uri())
                    target = OUT / f"{stem}-{'dark' if mode == 'night' else 'light'}-{screen.width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT))
            browser.close()


if __name__ == "__main__":
    main()
