"""The cache key covers every input that decides a topic file's chunk: a rebuild with a warm cache after any of
them changes gives exactly what a build without the cache gives (exit code, messages, every output byte)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from exporter.pipeline import cache as cache_module
from exporter.pipeline.cache import Cache, code_identity
from tests.support import edit, outputs, run, tiny_png

SCRIPT = "<script>alert(1)</script>"
EXPLANATION = "explanation: Every UN agency, fund and programme working in the host country."
MAP_CARD = (
    "subdeck: Maps\ncards:\n  - id: map\n    kind: basic\n"
    "    question: |\n      ![Map of Liberia](liberia.png)\n      Which country is this?\n"
    "    answer: Liberia\n    source: {slide: 16}\n"
)


def _nothing(cards: Path) -> None:
    pass


def _script_in_a_card(cards: Path) -> None:
    edit(cards / "01-acronyms.yaml", EXPLANATION, f"explanation: 'Every UN agency {SCRIPT}'")


def _a_map(cards: Path) -> None:
    (cards / "media").mkdir()
    (cards / "media" / "liberia.png").write_bytes(tiny_png(200))
    (cards / "03-maps.yaml").write_text(MAP_CARD, encoding="utf-8")


def _map_redrawn(cards: Path) -> None:
    (cards / "media" / "liberia.png").write_bytes(tiny_png(10))


def _outcome_dropped(cards: Path) -> None:
    edit(cards / "deck.yaml", '  LO2: "Define humanitarian assistance"\n', "")


def _retitled(cards: Path) -> None:
    edit(cards / "deck.yaml", 'title: "Test Deck"', 'title: "Peacekeeping Deck"')


def _deck_id_changed(cards: Path) -> None:
    edit(cards / "deck.yaml", "id: test-deck", "id: other-deck")


Change = Callable[[Path], None]
# (id, before the first build, between it and the rebuild, the rebuild's options, its exit code)
INPUTS: list[tuple[str, Change, Change, list[str], int]] = [
    ("strict", _script_in_a_card, _nothing, ["--strict"], 1),
    ("outcomes", _nothing, _outcome_dropped, [], 1),
    ("approved-only", _nothing, _nothing, ["--approved-only"], 0),
    ("media", _a_map, _map_redrawn, [], 0),
    ("deck-title", _nothing, _retitled, [], 0),
    ("deck-id", _nothing, _deck_id_changed, [], 0),
]


def _build(folder: str, *options: str) -> tuple[int, str, str, dict[str, bytes] | None]:
    code, out, err = run("build", *options, "cards", "-o", folder)
    return code, out.replace(folder, "<out>"), err, outputs(Path(folder)) if Path(folder).exists() else None


@pytest.mark.parametrize(
    ("before", "change", "options", "code"),
    [row[1:] for row in INPUTS],
    ids=[row[0] for row in INPUTS],
)
def test_a_warm_rebuild_gives_what_a_cold_one_gives(
    valid_cards: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    before: Change,
    change: Change,
    options: list[str],
    code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    before(valid_cards)
    first = _build("first")
    assert first[0] == 0, first
    change(valid_cards)
    warm = _build("warm", *options)
    cold = _build("cold", "--no-cache", *options)
    assert cold[0] == code, cold
    assert cold[1:] != first[1:], "the change makes a difference"
    assert warm == cold


def test_build_then_build_strict_refuses_a_script(valid_cards: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(valid_cards.parent)
    _script_in_a_card(valid_cards)
    code, _, err = run("build", "cards", "-o", "dist")
    assert code == 0 and "warning: 'explanation' has markup that will be removed: <script> element" in err
    assert run("build", "--strict", "cards", "-o", "dist") == (
        1,
        "",
        "cards/01-acronyms.yaml:8:5: 'explanation' has markup that will be removed: <script> element; delete it "
        "(only plain formatting is kept)\nfailed: 1 problem\n",
    )


def test_build_then_outcome_dropped_refuses_the_cards_that_use_it(
    valid_cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(valid_cards.parent)
    assert run("build", "cards", "-o", "dist")[0] == 0
    _outcome_dropped(valid_cards)
    code, out, err = run("build", "cards", "-o", "dist")
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == "cards/01-acronyms.yaml:17:5: outcome 'LO2' is not in deck.yaml; use one of: LO1"
    assert err.splitlines()[-1] == "failed: 4 problems"


def test_the_key_covers_the_context(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    keys = {
        cache.key(b"subdeck: A\n", "cards/a.yaml", b"context"),
        cache.key(b"subdeck: A\n", "cards/a.yaml", b"context 2"),
        cache.key(b"subdeck: A\n", "cards/a.yaml", b""),
        # the parts are told apart, not run together
        cache.key(b"subdeck: A\n", "cards/a.yamlcontext", b""),
    }
    assert len(keys) == 4


EXPORTER = Path(cache_module.__file__).parent.parent


def _modules_the_identity_misses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The exporter's modules whose every byte could change without changing code_identity()."""
    before = code_identity()
    real = Path.read_bytes
    missed = []
    for module in sorted(EXPORTER.rglob("*.py")):

        def read_bytes(path: Path, module: Path = module) -> bytes:
            data = real(path)
            return data + b"\n# edited\n" if path == module else data

        with monkeypatch.context() as patch:
            patch.setattr(Path, "read_bytes", read_bytes)
            if code_identity() == before:
                missed.append(str(module.relative_to(EXPORTER)))
    return missed


def test_the_code_identity_covers_the_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    assert [module for module in _modules_the_identity_misses(monkeypatch) if module.startswith("pipeline/")] == []


def test_the_code_identity_covers_every_module(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _modules_the_identity_misses(monkeypatch) == []
