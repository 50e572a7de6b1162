"""The approved texts: `review --apply` keeps each approved card's content beside the card files, and `diff` shows,
for a card changed since, the whole text as approved and as it is now with the changed words marked; a change
to the source line alone is listed apart and keeps the approval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from exporter.pipeline.checked_stream import check
from exporter.reading import approved_texts
from exporter.reading.approved_texts import APPROVED_TEXTS_FILE
from tests.support import edit, run, sheet_column, snapshot

APPROVE = {"unct": "Ana O'Neil", "principles-cloze": "Ana O'Neil"}
UNCT_LINE = {
    "id": "unct",
    "kind": "acronym",
    "subdeck": "Acronyms",
    "source": {"slide": 6, "section": "Benefits of cooperation with the UN Country Team"},
    "fields": {
        "term": "UNCT",
        "expansion": "United Nations Country Team",
        "explanation": "Every UN agency, fund and programme working in the host country.",
    },
}


@pytest.fixture
def approved(tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small valid set with unct and principles-cloze approved through the review sheet."""
    monkeypatch.chdir(tmp_path)
    assert run("review", "cards", "--sheet", "review.xlsx")[0] == 0
    workbook = load_workbook(tmp_path / "review.xlsx")
    rows = workbook["Cards"]
    for row in range(2, rows.max_row + 1):
        reviewer = APPROVE.get(rows.cell(row, sheet_column("id")).value)
        if reviewer:
            rows.cell(row, sheet_column("decision")).value = "approve"
            rows.cell(row, sheet_column("your name")).value = reviewer
    workbook.save(tmp_path / "filled.xlsx")
    code, out, err = run("review", "cards", "--apply", "filled.xlsx")
    assert (code, err) == (0, "")
    assert "kept the approved text of each approved card in cards/approved-texts.jsonl" in out
    return tmp_path / "cards"


def test_applying_keeps_the_approved_texts_one_card_a_line_sorted(approved: Path) -> None:
    lines = (approved / APPROVED_TEXTS_FILE).read_text(encoding="utf-8").splitlines()

    entries = [json.loads(line) for line in lines]
    assert [entry["id"] for entry in entries] == ["principles-cloze", "unct"]
    unct = entries[1]
    assert {key: value for key, value in unct.items() if key != "fingerprint"} == UNCT_LINE
    deck = check(approved).deck
    assert deck is not None
    assert unct["fingerprint"] == next(card.fingerprint for card in deck.cards if card.id == "unct")
    assert "Médecins Sans Frontières" in lines[0]  # kept readable, not \u-escaped
    assert run("validate", "cards") == (0, "ok: 5 card definitions in 2 topic files\n", "")


def test_diff_shows_the_approved_and_the_new_text_with_the_changed_words_marked(approved: Path) -> None:
    edit(approved / "01-acronyms.yaml", "United Nations Country Team", "United Nations Country Office")
    edit(approved / "02-principles.yaml", "{slide: 13,", "{slide: 12,")

    code, out, err = run("diff", "cards")

    assert (code, err) == (0, "")
    assert out.split("### Needs re-review\n\n", 1)[1] == (
        "Approved cards whose text has changed since; `--approved-only` leaves them out until approved again. "
        "~~Struck~~ words were removed, **bold** ones added since the approval.\n\n"
        "- `unct` (Acronyms): “UNCT”\n"
        f"  - approved by Ana O'Neil on {_today(approved)}\n"
        "  - Back as approved: “United Nations Country ~~Team~~”\n"
        "  - Back now: “United Nations Country **Office**”\n\n"
        "### Source line changed since approval\n\n"
        "Approved cards whose source line alone changed since the approval: the approval stands.\n\n"
        "- `principles-cloze` (Humanitarian principles): “The three humanitarian principles: {{c1::humanity}}, "
        "{{c2::neutrality}} and {{c3::imparti…”: Slide 13 · Collaboration with the Humanitarian Community → "
        "Slide 12 · Collaboration with the Humanitarian Community\n"
    )
    deck = check(approved).deck
    assert deck is not None
    assert {card.id: card.review_state for card in deck.cards}["principles-cloze"] == "approved"


def _today(cards: Path) -> str:
    deck = check(cards).deck
    assert deck is not None
    return next(card.review.on or "" for card in deck.cards if card.id == "unct")


def test_a_card_written_over_shows_every_line_and_renders_as_markdown(approved: Path) -> None:
    edit(
        approved / "01-acronyms.yaml",
        "    explanation: Every UN agency, fund and programme working in the host country.\n",
        "    explanation: |\n      - Every UN *agency* & fund\n      - all 3 < 4 of them\n",
    )

    item = _re_review_item(run("diff", "cards")[1])

    assert item.splitlines()[1:4] == [
        "  - Extra as approved: “Every UN ~~agency,~~ fund ~~and programme working in the host country.~~”",
        "  - Extra now: “**•** Every UN **agency &amp;** fund\\",
        "    **• all 3 &lt; 4 of them**”",
    ]
    shown = MarkdownIt("commonmark").enable("strikethrough").render(item)
    assert "“Every UN <s>agency,</s> fund <s>and programme working in the host country.</s>”" in shown
    assert "“<strong>•</strong> Every UN <strong>agency &amp;</strong> fund<br />" in shown
    assert "<strong>• all 3 &lt; 4 of them</strong>”" in shown


def _re_review_item(out: str) -> str:
    """What diff says under Needs re-review after unct's label."""
    return out.split("### Needs re-review\n", 1)[1].split("- `unct` (Acronyms): “UNCT”\n", 1)[1]


def test_a_markup_only_change_shows_the_fields_as_written(approved: Path) -> None:
    edit(approved / "01-acronyms.yaml", "Every UN agency", "Every *UN* agency")

    item = _re_review_item(run("diff", "cards")[1]).splitlines()

    assert item[1:3] == [
        "  - Explanation (as written) as approved: “Every ~~UN~~ agency, fund and programme working in the host "
        "country.”",
        "  - Explanation (as written) now: “Every **\\*UN\\*** agency, fund and programme working in the host "
        "country.”",
    ]


def test_approving_again_replaces_the_kept_text(approved: Path, tmp_path: Path) -> None:
    edit(approved / "01-acronyms.yaml", "United Nations Country Team", "United Nations Country Office")
    assert run("review", "cards", "--sheet", "again.xlsx", "--status", "needs-re-review")[0] == 0
    workbook = load_workbook(tmp_path / "again.xlsx")
    workbook["Cards"].cell(2, sheet_column("decision")).value = "approve"
    workbook["Cards"].cell(2, sheet_column("your name")).value = "Bo"
    workbook.save(tmp_path / "again.xlsx")
    assert run("review", "cards", "--apply", "again.xlsx")[0] == 0

    lines = (approved / APPROVED_TEXTS_FILE).read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[1])["fields"]["expansion"] == "United Nations Country Office"
    assert "Needs re-review" not in run("diff", "cards")[1]


def test_applying_reads_the_approved_texts_once(approved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    real_read_bytes, real_path_read_bytes = approved_texts.read_bytes, Path.read_bytes

    def counted(path: Path, shown: str) -> bytes:
        reads.append(Path(shown).name)
        return real_read_bytes(path, shown)

    def counted_path(path: Path) -> bytes:
        reads.append(path.name)
        return real_path_read_bytes(path)

    monkeypatch.setattr(approved_texts, "read_bytes", counted)
    monkeypatch.setattr(Path, "read_bytes", counted_path)
    before = (approved / APPROVED_TEXTS_FILE).read_bytes()
    reads.clear()

    code, out, err = run("review", "cards", "--apply", "filled.xlsx")

    assert (code, err) == (0, "")
    assert reads.count(APPROVED_TEXTS_FILE) == 1
    assert "kept the approved text" not in out  # approving the same texts again leaves the file as it is
    assert (approved / APPROVED_TEXTS_FILE).read_bytes() == before


FIX = (
    "; the file is written by 'flashcards review --apply'; take it back from git "
    "(git checkout -- cards/approved-texts.jsonl)"
)
# (id, the file's text, the exact message)
DAMAGED = [
    (
        "not-json",
        '{"id": "unct",\n',
        "cards/approved-texts.jsonl:1:15: not a JSON line (Expecting property name enclosed in double quotes)"
        + FIX,
    ),
    (
        "a-list",
        "[1, 2]\n",
        "cards/approved-texts.jsonl:1:1: expected an object with the keys id, fingerprint, kind, subdeck, source, "
        "fields" + FIX,
    ),
    (
        "text-edited",
        "UNCT_EDITED",
        "cards/approved-texts.jsonl:2:1: card 'unct': the text on this line is not the one its fingerprint was made "
        "from" + FIX,
    ),
    ("twice", "UNCT_TWICE", "cards/approved-texts.jsonl:3:1: card 'unct' is also on line 2" + FIX),
    (
        "no-term",
        "UNCT_NO_TERM",
        "cards/approved-texts.jsonl:2:1: card 'unct': fields must give the text of term, expansion and may give "
        "explanation" + FIX,
    ),
    (
        "bad-source",
        "UNCT_BAD_SOURCE",
        'cards/approved-texts.jsonl:2:1: card \'unct\': source must be {"slide": a number, "section": text}' + FIX,
    ),
    ("utf-16", "UTF16", "cards/approved-texts.jsonl:1:1: the file is UTF-16; save it as UTF-8"),
]


def _damaged(path: Path, how: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    unct = json.loads(lines[1])
    changes = {
        "UNCT_EDITED": {"fields": {**unct["fields"], "expansion": "United Nations Crisis Team"}},
        "UNCT_NO_TERM": {"fields": {"expansion": "United Nations Country Team"}},
        "UNCT_BAD_SOURCE": {"source": {"slide": "six"}},
    }
    if how == "UTF16":
        path.write_bytes("".join(lines).encode("utf-16"))
    elif how == "UNCT_TWICE":
        path.write_text("".join(lines) + lines[1], encoding="utf-8")
    elif how in changes:
        path.write_text(lines[0] + json.dumps(unct | changes[how]) + "\n", encoding="utf-8")
    else:
        path.write_text(how, encoding="utf-8")


@pytest.mark.parametrize(("how", "message"), [case[1:] for case in DAMAGED], ids=[case[0] for case in DAMAGED])
def test_a_damaged_file_stops_diff_and_apply_with_its_line(approved: Path, how: str, message: str) -> None:
    _damaged(approved / APPROVED_TEXTS_FILE, how)
    before = snapshot(approved)

    for command in (("diff", "cards"), ("review", "cards", "--apply", "filled.xlsx")):
        code, out, err = run(*command)

        assert (code, out, err) == (1, "", f"{message}\nfailed: 1 problem\n"), command
    assert {name: data for name, data in snapshot(approved).items() if not name.startswith(".flashcards")} == {
        name: data for name, data in before.items() if not name.startswith(".flashcards")
    }
    assert run("validate", "cards")[0] == 0


def test_the_review_page_shows_the_approved_and_the_new_text_and_the_source_only_edits(approved: Path) -> None:
    edit(approved / "01-acronyms.yaml", "United Nations Country Team", "United Nations Country Office")
    edit(approved / "02-principles.yaml", "{slide: 13,", "{slide: 12,")

    assert run("review", "cards", "-o", "review.html")[0] == 0

    page = (approved.parent / "review.html").read_text(encoding="utf-8")
    card = page.split('id="card-unct"', 1)[1].split("</article>", 1)[0]
    since = card.split('<div class="rv-since-approval">', 1)[1].split("</div>", 1)[0]
    assert "United Nations Country <del>Team</del>" in since
    assert "United Nations Country <ins>Office</ins>" in since
    assert (
        '<div class="rv-since-approval">'
        not in page.split('id="card-principles-cloze"', 1)[1].split("</article>", 1)[0]
    )
    edits = page.split('<ul class="rv-source-edits">', 1)[1].split("</ul>", 1)[0]
    assert '<a href="#card-principles-cloze">' in edits
