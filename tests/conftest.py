"""The fixtures the tests share; the helpers are in support.py."""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from exporter.pipeline import parallel
from exporter.reading import loading
from exporter.release import ledger_index
from tests.phone_screen import chromium
from tests.support import BUILD_TIME, DATA, GOOD_CARD, VALID, build_in_cwd, copy_card_set

#: What each test found in the folders no test may write into before it (and its fixtures) started.
_DATA_BEFORE = pytest.StashKey[dict[str, tuple[bool, int, int]]]()
#: The test data, and the repository's own card set and release (the shipped deck and its dist/).
_WATCHED = (DATA, DATA.parents[1] / "cards", DATA.parents[1] / "dist")


def _data_state() -> dict[str, tuple[bool, int, int]]:
    """Every folder and file under the watched folders, hidden and git-ignored ones too: is it a folder, size,
    mtime."""
    state = {}
    root = DATA.parents[1]
    for watched in _WATCHED:
        for folder, folders, files in os.walk(watched):
            for name in folders + files:
                path = os.path.join(folder, name)
                facts = os.stat(path, follow_symlinks=False)
                state[os.path.relpath(path, root)] = (name in folders, facts.st_size, facts.st_mtime_ns)
    return state


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before the test's fixtures, so a module's fixture that writes is caught at its first test."""
    item.stash[_DATA_BEFORE] = _data_state()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Fail the test (at its teardown) that wrote into tests/data, cards/ or dist/: a cache or output left there
    would make later tests run against stale state, so results would depend on their order and on earlier runs."""
    report = yield
    if call.when == "teardown" and _DATA_BEFORE in item.stash:
        before, after = item.stash[_DATA_BEFORE], _data_state()
        changed = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
        if changed:
            report.outcome = "failed"
            report.longrepr = (
                f"{item.nodeid} wrote where no test may (run the command on a copy: support.copy_card_set): "
                + ", ".join(changed)
            )
    return report


@pytest.fixture(autouse=True)
def pinned_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(BUILD_TIME))


@pytest.fixture
def valid_cards(tmp_path: Path) -> Path:
    """A writable copy of the small valid card set."""
    return copy_card_set(VALID, tmp_path / "cards")


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
    cards = copy_card_set(VALID, tmp_path / "cards")
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
