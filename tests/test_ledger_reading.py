"""The last release's ledger, read line by line: a damaged one stops the build with a message, and a ledger laid
out otherwise (formatted by hand or by a tool) is read whole, to the same release."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support import build_in_cwd as _build
from tests.support import bump_version, outputs

RESTORE = "; restore it from version control"
# (id, pattern in the ledger, replacement, exact error line)
DAMAGED = [
    (
        "time-not-a-number",
        r'("ocha": .*"mtime": )\d+',
        r'\1"soon"',
        f"dist/ledger.json: the release ledger is damaged (bad entry ocha: invalid literal for int() with base 10: "
        f"'soon'){RESTORE}",
    ),
    (
        "time-out-of-range",
        r'("ocha": .*"mtime": )\d+',
        r"\g<1>-5",
        f"dist/ledger.json: the release ledger is damaged (bad entry ocha: time -5 out of range){RESTORE}",
    ),
    (
        "guid-missing",
        r'("ocha": \{)"guid": "[^"]*", ',
        r"\1",
        f"dist/ledger.json: the release ledger is damaged (bad entry ocha: 'guid'){RESTORE}",
    ),
    (
        "line-cut-short",
        r'("ocha": \{"guid": "[^"]*"), .*',
        r"\1,",
        f"dist/ledger.json: the release ledger is damaged (bad entry ocha: Expecting ',' delimiter: line 1 "
        f"column 28 (char 27)){RESTORE}",
    ),
    (
        "fields-not-a-list",
        r'("unct": .*"fields": )\[[^]]*\]',
        r"\g<1>7",
        f"dist/ledger.json: the release ledger is damaged (bad entry unct: 'int' object is not iterable){RESTORE}",
    ),
    (
        "other-format",
        r'"format": 1',
        '"format": 2',
        f"dist/ledger.json: the release ledger is damaged (bad entry format 2){RESTORE}",
    ),
    (
        "not-json",
        r"^\{",
        "[",
        "dist/ledger.json: cannot read the release ledger (Expecting ',' delimiter: line 2 column 10 (char 11)); restore it from "
        "version control, it records what learners already have",
    ),
]


@pytest.mark.parametrize(
    ("pattern", "replacement", "expected"), [case[1:] for case in DAMAGED], ids=[case[0] for case in DAMAGED]
)
def test_damaged_ledger_stops_the_build(released: Path, pattern: str, replacement: str, expected: str) -> None:
    ledger = released / "ledger.json"
    damaged, count = re.subn(pattern, replacement, ledger.read_text(encoding="utf-8"), count=1, flags=re.M)
    assert count == 1
    ledger.write_text(damaged, encoding="utf-8")
    before = outputs(released)
    assert _build() == (1, "", f"{expected}\nfailed: 1 problem\n")
    assert outputs(released) == before


def test_ledger_laid_out_otherwise_gives_the_same_release(released: Path, tmp_path: Path) -> None:
    """Read whole instead of line by line (and not from the lines the last build kept, as the bytes differ):
    the next release is byte for byte the same."""
    topic = Path("cards/01-acronyms.yaml")
    # a new card for the unct one retired (another term: the same one would be a rename nobody declared)
    text = topic.read_text().replace("term: OCHA", "term: UN-OCHA")
    topic.write_text(text.replace("id: unct", "id: unct-team").replace("term: UNCT\n", "term: UN-CT\n"))
    bump_version(Path("cards"), "1.1.0")
    ledger = released / "ledger.json"
    original = ledger.read_text(encoding="utf-8")
    assert _build("--allow-reuse", "ocha")[0] == 0
    line_by_line = outputs(released)
    ledger.write_text(json.dumps(json.loads(original), indent=2), encoding="utf-8")
    assert _build("--allow-reuse", "ocha")[0] == 0
    assert outputs(released) == line_by_line
    changelog = line_by_line["CHANGELOG.md"].decode()
    assert "### Retired" in changelog and "`unct`" in changelog and "Term: “OCHA” → “UN-OCHA”" in changelog
