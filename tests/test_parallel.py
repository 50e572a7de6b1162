"""Reading with a helper process gives exactly what reading in one process gives: cards, locations, problems."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exporter.pipeline import parallel, stream
from exporter.pipeline.checked_stream import check
from exporter.reading import pieces as yaml_reading
from tests.support import big_topic_file


def _everything(cards: Path):  # type: ignore[no-untyped-def]
    checked = check(cards)
    deck, problems = checked.deck, checked.problems
    assert deck is not None
    return (
        deck,
        problems,
        [dict(card.key_locations) for card in deck.cards],
        [card.location for card in deck.cards],
    )


def test_a_helper_reads_files_as_this_process_does(
    many_files: Path, monkeypatch: pytest.MonkeyPatch, helpers: list[object]
) -> None:
    alone = _everything(many_files)
    assert not helpers
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    helped = _everything(many_files)
    assert len(helpers) == 1
    assert helped == alone
    assert len(alone[0].topics) == 7
    reused = f"card id 'unct' is already used at {many_files / '01-acronyms.yaml'}:4:5; give this card its own id"
    assert [str(problem) for problem in alone[1]] == [
        f"{many_files / '13-broken.yaml'}:3:5: {reused}",
        f"{many_files / '13-broken.yaml'}:3:5: the acronym card 'unct' has no 'term'; add 'term: ...'",
        f"{many_files / '13-broken.yaml'}:5:5: unknown key 'trem' in an acronym card; did you mean 'term'?",
        f"{many_files / '14-anchored.yaml'}:3:5: {reused}",
    ]
    assert alone[0].topics[-1].cards[0].fields["term"] == "UNCT"


def test_a_helper_reads_pieces_of_a_big_file_as_this_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helpers: list[object]
) -> None:
    cards = big_topic_file(tmp_path / "cards", 60, comment=False)
    monkeypatch.setattr(yaml_reading, "PIECE_CHARACTERS", 300)
    alone = _everything(cards)
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    helped = _everything(cards)
    assert len(helpers) == 1
    assert helped == alone
    assert [location.line for location in helped[3]] == [3 + 6 * index for index in range(60)]


def _killed(read, items) -> bytes:  # type: ignore[no-untyped-def]
    os._exit(9)


_READ_HERE: list[str] = []
_REAL_READ = stream.compile_work


def _recorded(work):  # type: ignore[no-untyped-def]
    _READ_HERE.append(Path(work[1][0]).name)
    return _REAL_READ(work)


def test_a_helper_that_dies_is_done_without(
    many_files: Path, monkeypatch: pytest.MonkeyPatch, helpers: list[object]
) -> None:
    alone = _everything(many_files)
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(parallel, "read_packed", _killed)
    _READ_HERE.clear()
    monkeypatch.setattr(stream, "compile_work", _recorded)
    assert _everything(many_files) == alone
    assert len(helpers) == 1
    assert sorted(_READ_HERE) == sorted(path.name for path in many_files.glob("[0-9]*.yaml")), (
        "this process read the helper's share too"
    )


# macOS and Windows start the helper by "spawn": a fresh interpreter that imports the main module again, so the
# helper must work from `python -m exporter` there too, and its share must come back (not be read again here).
_SPAWNED_RUN = """
import atexit, multiprocessing, runpy, sys
multiprocessing.set_start_method("spawn")
from exporter.pipeline import cache, parallel
parallel.PARALLEL_BYTES = 0
parallel.available_cores = lambda: 2
unpacked = []
unpack = cache.unpack
cache.unpack = lambda data: unpacked.append(len(data)) or unpack(data)
atexit.register(lambda: print(f"helper results: {len(unpacked)}"))
sys.argv = ["flashcards", "validate", sys.argv[1]]
runpy.run_module("exporter", run_name="__main__", alter_sys=True)
"""


def test_python_m_exporter_reads_with_a_spawned_helper(many_files: Path) -> None:
    import subprocess
    import sys

    for broken in ("13-broken.yaml", "14-anchored.yaml"):
        (many_files / broken).unlink()
    result = subprocess.run(
        [sys.executable, "-c", _SPAWNED_RUN, str(many_files)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    # the helper's share (three of the five files) comes back file by file, each once
    assert result.stdout == "ok: 65 card definitions in 5 topic files\nhelper results: 3\n"
