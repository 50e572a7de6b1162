"""Screenshots of the review page (`flashcards review`) of the shipped deck: on a phone, on a wide screen, and as
it prints on A4.

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
#: A card shown whole at phone width: a cloze with three deletions, so three Anki cards.
CARD = "humanitarian-principles"


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
            phone = browser.new_page(viewport={"width": 360, "height": 640}, device_scale_factor=2)
            phone.goto(output.as_uri())
            _shot(phone, "review-page-phone.png")
            box = phone.locator(f"article#card-{CARD}").bounding_box()
            if box:  # its head, its source passage and its first Anki card, light and night
                phone.screenshot(
                    path=str(OUT / "review-page-phone-card.png"),
                    full_page=True,
                    clip={"x": 0, "y": box["y"] - 8, "width": 360, "height": min(box["height"], 1500)},
                )
                print(f"docs/screenshots/review-page-phone-card.png ({CARD})")
            wide = browser.new_page(viewport={"width": 1500, "height": 1800})
            wide.goto(output.as_uri())
            _shot(wide, "review-page-wide.png")
            paper = browser.new_page(viewport={"width": A4_WIDTH, "height": A4_HEIGHT})
            paper.goto(output.as_uri())
            paper.emulate_media(media="print")
            _shot(paper, "review-page-a4-print.png", height=2 * A4_HEIGHT)
            browser.close()


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
