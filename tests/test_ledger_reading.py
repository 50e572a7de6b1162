"""The last release's ledger, read line by line: a damaged one stops the build with a message, and a ledger laid
out otherwise (formatted by hand or by a tool) is read whole, to the same release."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import build_in_cwd as _build
from tests.support import bump_version, outputs, snapshot

RESTORE = "; restore it from version control"
# (id, pattern in the ledger, replacement, exact error line)
DAMAGED = [
    (
        "time-not-a-number",
        r'("ocha": .*"mtime": )\d+',
        r'\1"soon"',
        f"dist/ledger.json:10:1: the release ledger is damaged (bad entry ocha: invalid literal for int() with base 10: "
        f"'soon'){RESTORE}",
    ),
    (
        "time-out-of-range",
        r'("ocha": .*"mtime": )\d+',
        r"\g<1>-5",
        f"dist/ledger.json:10:1: the release ledger is damaged (bad entry ocha: time -5 out of range){RESTORE}",
    ),
    (
        "guid-missing",
        r'("ocha": \{)"guid": "[^"]*", ',
        r"\1",
        f"dist/ledger.json:10:1: the release ledger is damaged (bad entry ocha: 'guid'){RESTORE}",
    ),
    (
        "line-cut-short",
        r'("ocha": \{"guid": "[^"]*"), .*',
        r"\1,",
        f"dist/ledger.json:10:1: the release ledger is damaged (bad entry ocha: Expecting ',' delimiter: line 1 "
        f"column 28 (char 27)){RESTORE}",
    ),
    (
        "fields-not-a-list",
        r'("unct": .*"fields": )\[[^]]*\]',
        r"\g<1>7",
        f"dist/ledger.json:13:1: the release ledger is damaged (bad entry unct: 'int' object is not iterable){RESTORE}",
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


def _mtime_of(card_id: str, value: str) -> Callable[[Path], None]:
    def tamper(dist: Path) -> None:
        ledger = dist / "ledger.json"
        text, count = re.subn(rf'("{card_id}": .*"mtime": )\d+', rf"\g<1>{value}", ledger.read_text(), count=1)
        assert count == 1
        ledger.write_text(text)

    return tamper


def _replaced_by(make: Callable[[Path], None]) -> Callable[[Path], None]:
    def tamper(dist: Path) -> None:
        (dist / "ledger.json").unlink()
        make(dist / "ledger.json")

    return tamper


def _guid_shared(*retired: str, live: str | None = None) -> Callable[[Path], None]:
    """Retire these cards in a release, then give each retired card the GUID of the live card (or of the first)."""

    def tamper(dist: Path) -> None:
        for topic in Path("cards").glob("0*.yaml"):
            kept = "".join(
                card
                for card in re.split(r"(?m)^(?=  - id: )", topic.read_text())
                if not any(card.startswith(f"  - id: {card_id}\n") for card_id in retired)
            )
            topic.write_text(kept)
        bump_version(Path("cards"), "1.1.0")
        assert _build()[0] == 0
        ledger = dist / "ledger.json"
        guids = {
            card_id: guid
            for card_id, guid in re.findall(r'^  "([^"]+)": \{"guid": "([^"]+)"', ledger.read_text(), re.M)
        }
        text = ledger.read_text()
        for card_id in retired[1:] if live is None else retired:
            text = text.replace(guids[card_id], guids[live or retired[0]])
        ledger.write_text(text)

    return tamper


# (id, what is done to the released folder, exact error line): each stops the build at once, changing nothing
TAMPERED = [
    (
        "card-time-2^63",
        _mtime_of("ocha", str(2**63)),
        f"dist/ledger.json:10:1: the release ledger is damaged (bad entry ocha: time {2**63} out of range){RESTORE}",
    ),
    (
        "note-type-time-2^64",
        _mtime_of("1607392319002", str(2**64)),
        f"dist/ledger.json:6:1: the release ledger is damaged (bad entry 1607392319002: time {2**64} out of range)"
        f"{RESTORE}",
    ),
    (
        "symlink-to-dev-zero",
        _replaced_by(lambda path: path.symlink_to("/dev/zero")),
        "dist/ledger.json: cannot read the release ledger (it is a device, not a file); restore it from version "
        "control, it records what learners already have",
    ),
    (
        "fifo",
        _replaced_by(os.mkfifo),
        "dist/ledger.json: cannot read the release ledger (it is a named pipe, not a file); restore it from "
        "version control, it records what learners already have",
    ),
    (
        "retired-guid-of-a-live-card",
        _guid_shared("ocha", live="unct"),
        "dist/ledger.json:10:1: the release ledger is damaged (bad entry ocha: its GUID 'XNy3NAKIV4DTFzQc' is also "
        f"card unct's){RESTORE}",
    ),
    (
        "two-retired-cards-one-guid",
        _guid_shared("ocha", "version-number"),
        "dist/ledger.json:14:1: the release ledger is damaged (bad entry version-number: its GUID 'Q3DCv2g0Z8pNA4Av' is also "
        f"card ocha's){RESTORE}",
    ),
]


@pytest.mark.parametrize(
    ("tamper", "expected"), [case[1:] for case in TAMPERED], ids=[case[0] for case in TAMPERED]
)
def test_tampered_ledger_stops_the_build_at_once(
    released: Path, tamper: Callable[[Path], None], expected: str
) -> None:
    tamper(released)
    before = snapshot(released)
    # a process of its own: a build that hangs (on a named pipe) is stopped by the timeout, and fails the test
    result = subprocess.run(
        [sys.executable, "-m", "exporter", "build", "cards", "-o", "dist"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, "", f"{expected}\nfailed: 1 problem\n")
    assert snapshot(released) == before
