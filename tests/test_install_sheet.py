"""The learners' install sheet: written by every build from the release's facts, read on a phone without
sideways scrolling, printed on exactly one A4 page, its QR code decoding to the download address."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.rendering.plain_text import gapped_line
from tests.phone_screen import PHONE_WIDTHS, offline_page_on_phones, printed_pages
from tests.support import DECK, GOOD_CARD, card_set, edit, release, run, topic

URL = "https://training.example.org/decks/test-deck.apkg?release=1.1.0"
SHIPPED_SHEET = Path(__file__).parent.parent / "dist" / "mission-partners.install.html"


def _sheet(out: Path) -> str:
    return (out / "test-deck.install.html").read_text(encoding="utf-8")


def test_a_first_release_sheet_has_nothing_to_choose_and_no_code_without_an_address(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release(valid_cards, tmp_path / "dist", "1.0.0", 1_764_000_000, monkeypatch)
    sheet = _sheet(tmp_path / "dist")

    assert "<svg" not in sheet and "<script" not in sheet.lower()
    assert "Get the file <b>test-deck.apkg</b> from your trainer" in sheet
    assert "<li>Nothing to choose: keep the import window&#x27;s settings.</li>" in sheet
    assert "<li>Nothing to do but import the file; progress is kept.</li>" in sheet
    assert 'AnkiMobile</h2><p class="paid">A paid app' in sheet and 'AnkiDroid</h2><p class="paid">Free' in sheet
    assert "study at <b>ankiweb.net</b> in the phone's browser (online only)" in sheet
    assert "principles: […], […] and […].</li><li>and 2 more new cards</li>" in sheet
    assert "choose <b>Save</b> or <b>Download</b>" in sheet


@pytest.mark.parametrize(
    ("first_field", "line"),
    [
        ("Aid follows {{c1::humanity::a principle}} &amp; {{c2::need}}.", "Aid follows […] & […]."),
        ("<b>Three</b><br>hats,\n one  person", "Three hats, one person"),
        ("{{c1::a\nb}} &lt;not a tag&gt;", "[…] <not a tag>"),
    ],
    ids=["a hint gives nothing away", "markup and line breaks go", "entities are read"],
)
def test_a_new_card_is_named_by_a_line_that_gives_no_answer_away(first_field: str, line: str) -> None:
    # the sheet's "What's new" and the package's deck description both name new cards so
    assert gapped_line(first_field) == line


@pytest.mark.slow
def test_an_update_sheet_says_what_to_do_and_what_is_new(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    release(valid_cards, out, "1.0.0", 1_764_000_000, monkeypatch)
    # one card retired and another new in its place (other text: the same term would be an undeclared rename)
    edit(
        valid_cards / "01-acronyms.yaml",
        "- id: unct\n    kind: acronym\n    term: UNCT\n    expansion: United Nations Country Team\n",
        "- id: undp\n    kind: acronym\n    term: UNDP\n    expansion: United Nations Development Programme\n",
    )
    release(valid_cards, out, "1.1.0", 1_764_100_000, monkeypatch)
    sheet = _sheet(out)

    assert "version 1.1.0, 2025-11-25" in sheet
    assert (
        "<li>Suspend the 1 retired card: after the import, in <b>Browse</b> search "
        "<code>&quot;deck:Test Deck&quot; tag:retired</code>, select it, then <b>Suspend</b>.</li>"
    ) in sheet
    assert "<h2>What's new in 1.1.0</h2><p>1 new card, 1 card retired.</p><ul><li>UNDP</li></ul>" in sheet
    # the shipped sheet has no suspend step since release 1.3.0: a sheet with one still prints on one page
    (page,) = printed_pages(out / "test-deck.install.html", tmp_path / "sheet.pdf")
    assert "Suspend the 1 retired card" in page


@pytest.mark.slow
def test_the_sheet_reads_on_a_phone_prints_on_one_page_and_its_code_scans(
    tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = run("build", str(valid_cards), "-o", "dist", "--download-url", URL)
    assert code == 0
    sheet = tmp_path / "dist" / "test-deck.install.html"

    assert offline_page_on_phones(sheet) == {width: (width, []) for width in PHONE_WIDTHS}
    assert len(printed_pages(sheet, tmp_path / "sheet.pdf")) == 1
    assert _decoded_qr_codes(sheet) == [URL]


@pytest.mark.slow
def test_the_shipped_sheet_reads_on_a_phone_and_prints_on_one_page(tmp_path: Path) -> None:
    assert offline_page_on_phones(SHIPPED_SHEET) == {width: (width, []) for width in PHONE_WIDTHS}
    (page,) = printed_pages(SHIPPED_SHEET, tmp_path / "sheet.pdf")
    # release 1.3.0 brings the deck's options preset and corrects many cards: the step that takes the preset
    # and what is new are on the one page
    assert "Updating from an earlier version\nTick Import any deck presets to take the deck's new daily" in page
    assert page.endswith("What's new in 1.3.0\n238 cards corrected.")


def test_the_download_address_comes_from_the_deck_file_and_the_build_option_wins(
    tmp_path: Path, valid_cards: Path
) -> None:
    edit(valid_cards / "deck.yaml", "source:", 'download_url: "https://example.org/from-deck.apkg"\nsource:')
    assert run("build", str(valid_cards), "-o", str(tmp_path / "a"))[0] == 0
    assert run("build", str(valid_cards), "-o", str(tmp_path / "b"), "--download-url", URL)[0] == 0

    assert 'href="https://example.org/from-deck.apkg"' in _sheet(tmp_path / "a")
    assert f'href="{URL.replace("&", "&amp;")}"' in _sheet(tmp_path / "b")
    # build --check builds with the same address
    assert run("build", str(valid_cards), "-o", str(tmp_path / "b"), "--check", "--download-url", URL)[0] == 0
    assert run("build", str(valid_cards), "-o", str(tmp_path / "b"), "--check")[0] == 1


BAD_ADDRESSES = [
    pytest.param("http://example.org/d.apkg", "is not an https address; give the whole address, starting with https://", id="http"),
    pytest.param("example.org/d.apkg", "is not an https address; give the whole address, starting with https://", id="no-scheme"),
    pytest.param("https:///d.apkg", "has no host name (as in https://example.org/deck.apkg); give the whole address", id="no-host"),
    pytest.param("https://example.org/my deck.apkg", "holds a space or an invisible character; copy the address again from the browser's address bar", id="space"),
    pytest.param("https://me:secret@example.org/d.apkg", "holds a user name or password; share a link that needs neither", id="password"),
    pytest.param("https://example.org/" + "a" * 500, "is longer than 500 characters, too long for a QR code to scan; use a shorter link", id="too-long"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "message"), BAD_ADDRESSES)
def test_a_bad_download_address_in_the_deck_file_is_refused_where_it_is(
    tmp_path: Path, url: str, message: str
) -> None:
    cards = card_set(tmp_path, {"01-a.yaml": topic(GOOD_CARD)}, deck=DECK + f'download_url: "{url}"\n')

    code, _, errors = run("build", str(cards), "-o", str(tmp_path / "dist"))

    assert code == 1
    assert f"{cards / 'deck.yaml'}:6:15: 'download_url' {message}" in errors
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(("url", "message"), BAD_ADDRESSES)
def test_a_bad_download_address_option_is_a_usage_error(
    tmp_path: Path, valid_cards: Path, url: str, message: str
) -> None:
    code, _, errors = run("build", str(valid_cards), "-o", str(tmp_path / "dist"), "--download-url", url)

    assert code == 2
    assert f"Invalid value for '--download-url': '{url}' {message}" in " ".join(errors.split())
    assert not (tmp_path / "dist").exists()


# Draws the sheet's QR code (its inline SVG) on a canvas, as a camera would see it on the screen, and returns the
# grey level of each pixel.
_QR_PIXELS_JS = """
async (size) => {
  const svg = document.querySelector('.get svg');
  const image = new Image();
  image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, size, size);
  context.drawImage(image, 0, 0, size, size);
  const data = context.getImageData(0, 0, size, size).data;
  const grey = [];
  for (let i = 0; i < data.length; i += 4) grey.push(data[i]);
  return grey;
}
"""


def _decoded_qr_codes(sheet: Path) -> list[str]:
    import zxingcpp

    from tests.phone_screen import chromium

    size = 400
    with chromium() as browser:
        page = browser.new_page()
        page.goto(sheet.as_uri())
        grey = page.evaluate(_QR_PIXELS_JS, size)
    pixels = memoryview(bytes(grey)).cast("B", (size, size))
    return [found.text for found in zxingcpp.read_barcodes(pixels)]


@pytest.mark.slow
def test_the_longest_sheet_still_prints_on_one_page_and_fits_a_phone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exporter.errors import Location
    from exporter.model import Deck
    from exporter.release.ledger import Changes, Release
    from exporter.writers import install_sheet

    # every step a release can ask for, a long title and a long address
    monkeypatch.setattr(install_sheet, "deck_has_options", lambda deck: True)
    title = "Unit 7, Part 3: Protection of Civilians, Conflict-Related Sexual Violence and Child Protection"
    deck = Deck("unit-7", title, "2.10.3", "", "", "", {}, (), Location("deck.yaml"))
    changes = Changes(
        added=tuple(f"new-{number}" for number in range(40)),
        changed={"a": ()},
        retired=("b", "c"),
        restored=("d",),
        renamed_decks=((f"{title}::Old topic one", f"{title}::New topic one"),) * 2,
        note_types=("Peacekeeping Question: field 'Hint' added",),
    )
    news = ["A question long enough to wrap on a phone, as the longest card questions of a deck do, and more."] * 3
    url = "https://training.example.org/" + "decks/unit-7/" * 20 + "unit-7.apkg"
    sheet = tmp_path / "unit-7.install.html"
    sheet.write_text(
        install_sheet.install_sheet_html(deck, "unit-7.apkg", Release("2.10.3", "2026-12-01", changes), news, url),
        encoding="utf-8",
    )

    assert "Import any deck presets" in sheet.read_text(encoding="utf-8")
    assert offline_page_on_phones(sheet) == {width: (width, []) for width in PHONE_WIDTHS}
    assert len(printed_pages(sheet, tmp_path / "sheet.pdf")) == 1
    assert _decoded_qr_codes(sheet) == [url]
