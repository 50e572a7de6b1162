"""The fixtures the tests share; the helpers are in support.py."""

from __future__ import annotations

import concurrent.futures
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from exporter.pipeline import parallel
from exporter.reading import loading
from exporter.release import ledger_index
from tests.phone_screen import chromium
from tests.support import BUILD_TIME, GOOD_CARD, VALID, build_in_cwd


@pytest.fixture(autouse=True)
def pinned_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_TIME))


@pytest.fixture
def valid_cards(tmp_path: Path) -> Path:
    """A writable copy of the small valid card set."""
    target = tmp_path / "cards"
    shutil.copytree(VALID, target)
    return target


@pytest.fixture
def built_valid(tmp_path: Path, valid_cards: Path) -> Path:
    """The small valid set built into a fresh output folder."""
    from exporter.pipeline.build import build

    out = tmp_path / "dist"
    build(valid_cards, out)
    return out


@pytest.fixture
def released(tmp_path: Path, valid_cards: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert build_in_cwd()[0] == 0
    return tmp_path / "dist"


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every read go to a helper (two cores assumed); the list of helper pools started."""
    started: list[object] = []

    class Counted(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    return started


@pytest.fixture
def many_files(tmp_path: Path) -> Path:
    """Five topic files, one with a problem, one with a card the careful reader must read."""
    cards = tmp_path / "cards"
    shutil.copytree(VALID, cards)
    for number in range(3):
        body = "".join(
            GOOD_CARD.replace("id: unct", f"id: card-{number}-{index}").replace("Team", f"Team {index}")
            for index in range(20)
        )
        (cards / f"1{number}-more.yaml").write_text(f"subdeck: More {number}\ncards:\n{body}", encoding="utf-8")
    (cards / "13-broken.yaml").write_text("subdeck: Broken\ncards:\n" + GOOD_CARD.replace("term:", "trem:"))
    (cards / "14-anchored.yaml").write_text(
        "subdeck: Anchored\ncards:\n" + GOOD_CARD.replace("term: UNCT", "term: &t UNCT")
    )
    return cards


@pytest.fixture
def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually read (not taken from the cache), by shown path, in order."""
    reads: list[str] = []
    real = loading.read_file_bytes

    def counting(data, shown, read):  # type: ignore[no-untyped-def]
        reads.append(Path(shown).name)
        return real(data, shown, read)

    monkeypatch.setattr(loading, "read_file_bytes", counting)
    return reads


@pytest.fixture
def read_here(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The ledgers read from their file (not from the lines the last build kept), in order."""
    read: list[Path] = []
    real = ledger_index.lines_in_memory
    monkeypatch.setattr(
        ledger_index, "lines_in_memory", lambda lines, path: read.append(path) or real(lines, path)
    )
    return read


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, one per test module that asks for it (skipped where it is missing)."""
    with chromium() as browser:
        yield browser
