"""Screenshots of what trainers hand out with a release of the shipped deck: the install sheet on a phone (with the
QR code of an example download address) and the first page of the printable cards as it prints on A4.

Run from the repository root: `.venv/bin/python docs/screenshots/make_kit_screenshots.py`. Writes
install-sheet-phone-360.png and handout-a4-page.png next to this script, without touching the real dist/. Needs
/usr/bin/chromium and the test extra (playwright).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from exporter.commands.handout import write_handout  # noqa: E402
from exporter.pipeline.build import build  # noqa: E402
from tests.phone_screen import Screen, launch, phone_context  # noqa: E402

OUT = Path(__file__).resolve().parent
EXAMPLE_URL = "https://training.example.org/decks/mission-partners.apkg"
#: A4's printable area with the handout's 12 mm margins, in CSS px.
A4_PRINT = (round(186 * 96 / 25.4), round(273 * 96 / 25.4))


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)
        shutil.copytree(ROOT / "cards", "cards", ignore=shutil.ignore_patterns(".flashcards-cache"))
        shutil.copytree(ROOT / "dist", "dist")
        # the shipped release again, as its build time pinned it, with an address to show the QR code
        os.environ["SOURCE_DATE_EPOCH"] = "1796163076"
        build(Path("cards"), Path("dist"), cache=False, download_url=EXAMPLE_URL)
        sheet = Path("dist/mission-partners.install.html").resolve()
        handout = write_handout(Path("cards"), Path("dist/handout.html")).path.resolve()
        with sync_playwright() as playwright:
            browser = launch(playwright)
            phone = phone_context(browser, Screen(360, 640, 2)).new_page()
            phone.goto(sheet.as_uri())
            phone.screenshot(path=str(OUT / "install-sheet-phone-360.png"), full_page=True)
            print("docs/screenshots/install-sheet-phone-360.png")
            paper = browser.new_page(viewport={"width": A4_PRINT[0], "height": A4_PRINT[1]})
            paper.goto(handout.as_uri())
            paper.emulate_media(media="print")
            paper.screenshot(path=str(OUT / "handout-a4-page.png"))
            print("docs/screenshots/handout-a4-page.png")
            browser.close()


if __name__ == "__main__":
    main()
