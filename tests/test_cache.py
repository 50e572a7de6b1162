"""The cache of read card files: a rebuild reads only changed files, and the outputs never depend on it."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.errors import ExporterError
from exporter.pipeline import cache as cache_module
from exporter.pipeline import parallel
from exporter.pipeline.build import build
from exporter.pipeline.cache import CACHE_FOLDER, Cache
from exporter.pipeline.checked_stream import check
from exporter.reading import composing
from exporter.reading import pieces as yaml_reading
from exporter.release.comparison import Consent
from tests.support import GOOD_CARD, big_topic_file, bump_version, card_set, edit, outputs, run, topic


def entries(cards: Path) -> list[Path]:
    """The entries of card files (not those of kept files: the last ledger's lines)."""
    kept = {path.stem for path in (cards / CACHE_FOLDER).glob("*.file")}
    return sorted(path for path in (cards / CACHE_FOLDER).glob("*.entry") if path.stem not in kept)


def test_outputs_are_the_same_with_and_without_the_cache(valid_cards: Path, tmp_path: Path) -> None:
    build(valid_cards, tmp_path / "uncached", cache=False)
    assert not (valid_cards / CACHE_FOLDER).exists()
    build(valid_cards, tmp_path / "cold")
    build(valid_cards, tmp_path / "warm")
    assert len(entries(valid_cards)) == 3  # the deck file and both topic files
    assert outputs(tmp_path / "cold") == outputs(tmp_path / "uncached") == outputs(tmp_path / "warm")


def test_a_rebuild_reads_only_the_changed_file(
    valid_cards: Path, tmp_path: Path, counted_reads: list[str]
) -> None:
    build(valid_cards, tmp_path / "first")
    assert counted_reads == ["deck.yaml", "01-acronyms.yaml", "02-principles.yaml"]
    counted_reads.clear()
    changed = valid_cards / "02-principles.yaml"
    changed.write_text(changed.read_text(encoding="utf-8") + "    tags: [edited]\n", encoding="utf-8")
    build(valid_cards, tmp_path / "second")
    assert counted_reads == ["02-principles.yaml"]
    build(valid_cards, tmp_path / "uncached", cache=False)
    assert outputs(tmp_path / "second") == outputs(tmp_path / "uncached")
    assert b"edited" in (tmp_path / "second" / "test-deck.anki.csv").read_bytes()
    assert len(entries(valid_cards)) == 3, "the entry of the old content is pruned"


def test_the_files_a_helper_reads_are_kept_in_the_cache(
    valid_cards: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    helpers: list[object],
    counted_reads: list[str],
) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_BYTES", 0)
    build(valid_cards, tmp_path / "helped")
    assert len(helpers) == 1
    # (the helper's reads are its own: this process read the deck file and its share of the topic files)
    assert "01-acronyms.yaml" not in counted_reads or "02-principles.yaml" not in counted_reads
    assert len(entries(valid_cards)) == 3, "each file's chunk is kept, by whichever process read it"
    counted_reads.clear()
    build(valid_cards, tmp_path / "warm")
    assert counted_reads == []
    assert len(helpers) == 1, "nothing left to read: no helper"
    build(valid_cards, tmp_path / "uncached", cache=False)
    assert outputs(tmp_path / "helped") == outputs(tmp_path / "warm") == outputs(tmp_path / "uncached")


def test_an_entry_of_other_code_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = Cache(tmp_path)
    key = old.key(b"subdeck: A\n", "cards/a.yaml")
    old.put(key, "read by the old exporter")
    assert Cache(tmp_path).get(key) == "read by the old exporter"
    monkeypatch.setattr(cache_module, "code_identity", lambda: b"the exporter after an upgrade")
    newer = Cache(tmp_path)
    assert newer.key(b"subdeck: A\n", "cards/a.yaml") != key
    assert newer.get(newer.key(b"subdeck: A\n", "cards/a.yaml")) is None


def test_the_key_covers_the_bytes_and_the_path(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    keys = {
        cache.key(b"subdeck: A\n", "cards/a.yaml"),
        cache.key(b"subdeck: B\n", "cards/a.yaml"),
        cache.key(b"subdeck: A\n", "cards/b.yaml"),
    }
    assert len(keys) == 3


class _Runs:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (print, ("this must never run",))


DAMAGES = {
    "empty": lambda data: b"",
    "cut-short": lambda data: data[: len(data) // 2],
    "garbage": lambda data: b"\x80\x05not a pickle at all" * 50,
    "code-in-it": lambda data: pickle.dumps((Path("x").name, _Runs())),
    "other-file's-entry": lambda data: pickle.dumps(("another key", ("a Topic", []))),
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_damaged_entries_are_ignored(valid_cards: Path, tmp_path: Path, damage, capsys) -> None:  # type: ignore[no-untyped-def]
    build(valid_cards, tmp_path / "uncached", cache=False)
    build(valid_cards, tmp_path / "first")
    for entry in entries(valid_cards):
        entry.write_bytes(damage(entry.read_bytes()))
    build(valid_cards, tmp_path / "second")
    assert outputs(tmp_path / "second") == outputs(tmp_path / "uncached")
    assert "must never run" not in capsys.readouterr().out
    # the damaged entries were replaced by good ones
    assert Cache(valid_cards / CACHE_FOLDER).get(entries(valid_cards)[0].stem) is not None


def test_the_cache_folder_is_safe_to_delete(valid_cards: Path, tmp_path: Path) -> None:
    build(valid_cards, tmp_path / "first")
    shutil.rmtree(valid_cards / CACHE_FOLDER)
    build(valid_cards, tmp_path / "second")
    assert outputs(tmp_path / "first") == outputs(tmp_path / "second")


def test_git_never_sees_the_cache(valid_cards: Path, tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(valid_cards)], check=True)
    build(valid_cards, tmp_path / "out")
    assert entries(valid_cards), "the build left entries in the cache"
    untracked = subprocess.run(
        ["git", "-C", str(valid_cards), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert sorted(untracked) == ["?? 01-acronyms.yaml", "?? 02-principles.yaml", "?? deck.yaml"]


def test_a_cache_that_cannot_be_written_is_skipped(valid_cards: Path, tmp_path: Path) -> None:
    (valid_cards / CACHE_FOLDER).write_text("a file where the folder would go\n")
    build(valid_cards, tmp_path / "out")
    build(valid_cards, tmp_path / "uncached", cache=False)
    assert outputs(tmp_path / "out") == outputs(tmp_path / "uncached")


def test_problems_come_back_from_the_cache(tmp_path: Path, counted_reads: list[str]) -> None:
    cards = card_set(tmp_path, {"t.yaml": topic(GOOD_CARD.replace("term: UNCT", "trem: UNCT"))})
    messages = []
    for _ in range(2):
        with pytest.raises(ExporterError) as error:
            build(cards, tmp_path / "out")
        messages.append(str(error.value))
    assert counted_reads == ["deck.yaml", "t.yaml"], "the second build read no file again"
    assert (
        messages
        == [
            f"{cards / 't.yaml'}:3:5: the acronym card 'unct' has no 'term'; add 'term: ...'\n"
            f"{cards / 't.yaml'}:5:5: unknown key 'trem' in an acronym card; did you mean 'term'?"
        ]
        * 2
    )


def test_build_check_reads_every_file(built_valid: Path, valid_cards: Path, counted_reads: list[str]) -> None:
    from exporter.pipeline.build import stale_files

    counted_reads.clear()
    assert stale_files(valid_cards, built_valid) == []
    assert counted_reads == ["deck.yaml", "01-acronyms.yaml", "02-principles.yaml"]


def load_deck(cards: Path):  # type: ignore[no-untyped-def]
    checked = check(cards)
    return checked.deck, checked.problems


# Reading a big file in pieces (see yaml_reading.card_pieces) must give exactly what reading it whole gives.


def _careful_deck(cards: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with monkeypatch.context() as patch:
        patch.setattr(composing, "quick_compose", _never_quick)
        return load_deck(cards)


def _never_quick(text: str) -> None:
    raise yaml_reading.NotQuick


@pytest.mark.parametrize(
    "extra",
    ["", '    extra: "a quoted text\n  - that spans a line starting like a card"\n'],
    ids=["plain", "quoted-text-across-a-piece-boundary"],
)
def test_a_big_file_read_in_pieces_is_read_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str
) -> None:
    cards = big_topic_file(tmp_path / "cards", 40, extra=extra)
    monkeypatch.setattr(yaml_reading, "PIECE_CHARACTERS", 200)
    assert yaml_reading.card_pieces((cards / "t.yaml").read_text()) is not None
    quick, quick_problems = load_deck(cards)
    careful, careful_problems = _careful_deck(cards, monkeypatch)
    assert quick is not None and careful is not None
    assert (quick, quick_problems) == (careful, careful_problems)
    assert [dict(card.key_locations) for card in quick.cards] == [
        dict(card.key_locations) for card in careful.cards
    ]
    assert len(quick.cards) == 40
    assert quick.cards[-1].location.line == 3 + 39 * 6 + (2 if extra else 0) + 1


def test_build_no_cache_neither_uses_nor_writes_it(
    valid_cards: Path, tmp_path: Path, counted_reads: list[str]
) -> None:
    assert run("build", str(valid_cards), "-o", str(tmp_path / "uncached"), "--no-cache", "-q")[0] == 0
    assert not (valid_cards / CACHE_FOLDER).exists()
    build(valid_cards, tmp_path / "cached")
    counted_reads.clear()
    assert run("build", str(valid_cards), "-o", str(tmp_path / "again"), "--no-cache", "-q")[0] == 0
    assert counted_reads == ["deck.yaml", "01-acronyms.yaml", "02-principles.yaml"]
    assert outputs(tmp_path / "again") == outputs(tmp_path / "cached") == outputs(tmp_path / "uncached")


def _next_release(cards: Path) -> None:
    edit(cards / "01-acronyms.yaml", "term: OCHA", "term: UN-OCHA")
    bump_version(cards, "1.1.0")


@pytest.mark.parametrize("damaged", [False, True], ids=["kept", "kept-file-damaged"])
def test_the_last_ledger_comes_from_the_cache_unless_changed(
    valid_cards: Path, tmp_path: Path, damaged: bool, read_here: list[Path]
) -> None:
    """A build keeps its ledger's lines for the next; a rebuild compares with them and gives the same release
    as one that reads the ledger itself."""
    build(valid_cards, tmp_path / "cached")
    shutil.copytree(tmp_path / "cached", tmp_path / "uncached")
    (kept,) = (valid_cards / CACHE_FOLDER).glob("*.file")
    if damaged:
        kept.write_bytes(kept.read_bytes()[:-1] + b"!")
    _next_release(valid_cards)
    build(valid_cards, tmp_path / "cached", consent=Consent(reused_ids=frozenset({"ocha"})))
    assert read_here == ([tmp_path / "cached" / "ledger.json"] if damaged else [])
    build(valid_cards, tmp_path / "uncached", cache=False, consent=Consent(reused_ids=frozenset({"ocha"})))
    assert read_here[-1] == tmp_path / "uncached" / "ledger.json"
    assert outputs(tmp_path / "cached") == outputs(tmp_path / "uncached")
    assert "Term: “OCHA” → “UN-OCHA”" in (tmp_path / "cached" / "CHANGELOG.md").read_text()


def test_a_ledger_changed_since_is_read_itself(valid_cards: Path, tmp_path: Path, read_here: list[Path]) -> None:
    """The kept lines are found by the ledger's bytes: a ledger edited since is read from its file."""
    import re

    build(valid_cards, tmp_path / "cached")
    ledger = tmp_path / "cached" / "ledger.json"
    edited, count = re.subn(
        r'("unct": .*"mtime": )(\d+)',
        lambda found: f"{found[1]}{int(found[2]) - 5}",
        ledger.read_text(encoding="utf-8"),
    )
    assert count == 1
    ledger.write_text(edited, encoding="utf-8")
    shutil.copytree(tmp_path / "cached", tmp_path / "uncached")
    _next_release(valid_cards)
    build(valid_cards, tmp_path / "cached", consent=Consent(reused_ids=frozenset({"ocha"})))
    assert read_here == [ledger]
    build(valid_cards, tmp_path / "uncached", cache=False, consent=Consent(reused_ids=frozenset({"ocha"})))
    assert outputs(tmp_path / "cached") == outputs(tmp_path / "uncached")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab&!<[]{},:# \t\n\r\x0b\x1c\u00a0\u2028é'\"")) | st.text())
def test_only_careful_finds_what_the_pattern_it_replaced_found(text: str) -> None:
    # what quick_compose sent to the careful composer before str.find replaced the regular expression
    pattern = re.compile(r"(?:^|[\s\[\]{},:])[&!]|<<")
    assert composing.only_careful(text) == (pattern.search(text) is not None)
