"""Screenshots of the review page (`flashcards review`) of the shipped deck: its top (the task, the contents) and
one card, on a wide screen (1280 px) and on a phone (412 px), and that card as it prints on A4.

Run from the repository root: `.venv/bin/python docs/screenshots/make_review_screenshots.py [TRAINING_TEXT]`
(with the training text, each card shows the passage it comes from). Writes review-page-*.png next to this
script. Needs /usr/bin/chromium and the test extra (playwright).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from exporter.commands.review import write_review_page  # noqa: E402
from tests.phone_screen import launch  # noqa: E402
from tests.test_review_page import A4_HEIGHT, A4_WIDTH  # noqa: E402

OUT = Path(__file__).resolve().parent
#: The card shown whole: an acronym whose expansion the training text never writes out.
CARD = "acr-srsg"


def main() -> None:
    from playwright.sync_api import sync_playwright

    source = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as work:
        # The page as a trainer makes it from the repository root, without touching the real dist/.
        os.chdir(work)
        Path("cards").symlink_to(ROOT / "cards")
        Path("dist").mkdir()
        shutil.copy(ROOT / "dist" / "ledger.json", "dist/ledger.json")
        output = write_review_page(Path("cards"), Path("dist/review.html"), source=source).path.resolve()
        with sync_playwright() as playwright:
            browser = launch(playwright)
            for width in (1280, 412):
                # the reader's system set to dark: the page stays light unless night mode is asked for
                page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme="dark")
                page.set_default_timeout(180_000)  # a busy machine renders the whole deck slowly
                page.goto(output.as_uri())
                _shot(page, f"review-page-top-{width}.png")
                _card(page, f"review-page-card-{width}.png")
            paper = browser.new_page(viewport={"width": A4_WIDTH, "height": A4_HEIGHT})
            paper.set_default_timeout(180_000)
            paper.goto(output.as_uri())
            paper.emulate_media(media="print")
            _card(paper, "review-page-card-a4-print.png")
            browser.close()


def _card(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"article#card-{CARD}").screenshot(path=str(OUT / name))
    print(f"docs/screenshots/{name} ({CARD})")


def _shot(page, name: str, height: int | None = None) -> None:  # type: ignore[no-untyped-def]
    size = page.viewport_size
    page.screenshot(
        path=str(OUT / name),
        full_page=True,
        clip={"x": 0, "y": 0, "width": size["width"], "height": height or size["height"]},
    )
    print(f"docs/screenshots/{name}")


if __name__ == "__main__":
    main()
