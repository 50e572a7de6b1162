"""A build streams the card set file by file, a big file piece by piece, on two cores: whichever way a card is
read, the outputs and the problems are exactly those of reading everything at once in one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exporter.errors import ExporterError
from exporter.pipeline import parallel
from exporter.pipeline import stream as chunk_stream
from exporter.pipeline.build import build
from exporter.pipeline.checked_stream import check
from exporter.reading import pieces as yaml_reading
from tests.support import big_topic_file, outputs


@pytest.fixture
def piece_reads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each piece read, in this process: True if it read quickly."""
    reads: list[bool] = []
    real = chunk_stream.compile_piece

    def counting(item):  # type: ignore[no-untyped-def]
        chunk = real(item)
        reads.append(chunk is not None)
        return chunk

    monkeypatch.setattr(chunk_stream, "compile_piece", counting)
    return reads


def big_file_set(tmp_path: Path, extra: str = "", broken: bool = False) -> Path:
    # the extra text in the second card, where a piece boundary is looked for; the broken card near the end, so
    # in a late piece
    return big_topic_file(tmp_path / "cards", 40, extra=extra, extra_after=1, broken=37 if broken else None)


@pytest.mark.parametrize(
    "extra",
    ["", '    explanation: "a quoted text\n  - that spans a line starting like a card"\n'],
    ids=["plain", "quoted-text-across-a-piece-boundary"],
)
def test_a_big_file_built_in_pieces_gives_what_it_gives_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_reads: list[bool], extra: str
) -> None:
    cards = big_file_set(tmp_path, extra)
    build(cards, tmp_path / "whole", cache=False)
    assert piece_reads == []
    monkeypatch.setattr(yaml_reading, "PIECE_CHARACTERS", 200)
    build(cards, tmp_path / "pieces", cache=False)
    assert len(piece_reads) > 10
    # the quoted text makes a piece that does not read quickly: the file is then read whole, for the rest
    assert all(piece_reads) == (not extra)
    assert outputs(tmp_path / "pieces") == outputs(tmp_path / "whole")


@pytest.mark.parametrize(
    "extra",
    ["", '    explanation: "a quoted text\n  - that spans a line starting like a card"\n'],
    ids=["plain", "quoted-text-across-a-piece-boundary"],
)
def test_a_big_file_built_in_pieces_has_the_problems_validate_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_reads: list[bool], extra: str
) -> None:
    cards = big_file_set(tmp_path, extra, broken=True)
    monkeypatch.setattr(yaml_reading, "PIECE_CHARACTERS", 200)
    with pytest.raises(ExporterError) as error:
        build(cards, tmp_path / "out", cache=False)
    assert len(piece_reads) > 10 and not all(piece_reads)
    t = cards / "t.yaml"
    line = 4 + 37 * 6 + (2 if extra else 0)
    assert str(error.value) == (
        f"{t}:{line}:5: the acronym card 'card-37' has no 'term'; add 'term: ...'\n"
        f"{t}:{line + 2}:5: unknown key 'trem' in an acronym card; did you mean 'term'?"
    )
    assert str(error.value) == str(ExporterError.from_problems(check(cards).errors))
    assert not (tmp_path / "out").exists()


def _killed(read, item) -> bytes:  # type: ignore[no-untyped-def]
    os._exit(9)


def test_a_helper_builds_what_this_process_builds(
    many_files: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    helpers: list[object],
) -> None:
    for broken in ("13-broken.yaml", "14-anchored.yaml"):
        (many_files / broken).unlink()
    build(many_files, tmp_path / "alone", cache=False)
    assert not helpers
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    build(many_files, tmp_path / "helped", cache=False)
    assert len(helpers) == 1
    assert outputs(tmp_path / "helped") == outputs(tmp_path / "alone")
    monkeypatch.setattr(parallel, "read_packed", _killed)
    build(many_files, tmp_path / "helper-killed", cache=False)
    assert len(helpers) == 2
    assert outputs(tmp_path / "helper-killed") == outputs(tmp_path / "alone")


def test_a_helper_reads_pieces_of_a_big_file_for_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helpers: list[object]
) -> None:
    cards = big_file_set(tmp_path)
    build(cards, tmp_path / "alone", cache=False)
    monkeypatch.setattr(yaml_reading, "PIECE_CHARACTERS", 200)
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    build(cards, tmp_path / "helped", cache=False)
    assert len(helpers) == 1
    assert outputs(tmp_path / "helped") == outputs(tmp_path / "alone")
