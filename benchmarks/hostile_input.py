"""Hostile input, timed: how long `flashcards validate` takes to refuse an alias bomb, very deep nesting and huge
files, and its peak memory, each in a fresh process (the baseline row is a tiny valid card set).

Usage: .venv/bin/python benchmarks/hostile_input.py [--repeat 3]
A benchmark, never a test: it prints seconds, peak resident memory (MB), the exit code and the first message.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import card_yaml  # noqa: E402
from exporter.reading.files import MAX_FILE_BYTES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FLASHCARDS = str(Path(sys.executable).parent / "flashcards")
DECK = 'id: bench\ntitle: Bench\nversion: "1.0.0"\noutcomes:\n  LO1: Explain\n'


def billion_laughs() -> Iterator[str]:
    """The classic: nine levels of nine aliases each, a billion strings if anything expanded them."""
    yield "lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in range(1, 10):
        yield f"lol{level}: &lol{level} [{', '.join([f'*lol{level - 1}'] * 9)}]\n"


def nested_flow(depth: int) -> Iterator[str]:
    yield "subdeck: A\ncards: " + "[" * depth + "]" * depth + "\n"


def nested_mappings(depth: int) -> Iterator[str]:
    yield "subdeck: A\ncards: " + "{a: " * depth + "b" + "}" * depth + "\n"


def nested_block(depth: int) -> Iterator[str]:
    """Block mappings, each indented one space more than the last."""
    for level in range(depth):
        yield " " * level + f"k{level}:\n"
    yield " " * depth + "end\n"


def cards_of_size(size: int) -> Iterator[str]:
    """A topic file of realistic cards, as near this many bytes as whole cards allow, never more."""
    import random

    rng = random.Random(7)
    total, index = len("subdeck: Big\ncards:\n"), 0
    yield "subdeck: Big\ncards:\n"
    while True:
        card = card_yaml(index, rng).replace("[LO2]", "[LO1]").replace("[LO3]", "[LO1]")
        total += len(card.encode("utf-8"))
        if total > size:
            return
        yield card
        index += 1


CASES: list[tuple[str, Callable[[], Iterator[str]]]] = [
    ("baseline: a few valid cards", lambda: cards_of_size(1_000)),
    ("billion laughs (9 × 9 aliases)", billion_laughs),
    ("10,000 nested [", lambda: nested_flow(10_000)),
    ("10,000 nested {a:", lambda: nested_mappings(10_000)),
    ("1,000 nested block mappings", lambda: nested_block(1_000)),
    ("1 MB of cards (accepted)", lambda: cards_of_size(1_000_000)),
    (f"{MAX_FILE_BYTES // 1_000_000} MB of cards, at the limit", lambda: cards_of_size(MAX_FILE_BYTES)),
    (
        f"{MAX_FILE_BYTES // 1_000_000 + 10} MB of cards, over it",
        lambda: cards_of_size(MAX_FILE_BYTES + 10_000_000),
    ),
]


def measure(cards: Path) -> tuple[float, float, int, str]:
    """Validate a card set in a fresh process; seconds, peak MB, exit code and the first line it printed."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [FLASHCARDS, "validate", str(cards)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    output = (process.stderr.read() if process.stderr else "") or (process.stdout.read() if process.stdout else "")
    first = next((line for line in output.splitlines() if "warning" not in line), "")
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), first.split(": ", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the fastest time and largest memory")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="flashcards-hostile-"))
    try:
        print(f"python {sys.version.split()[0]}; best of {args.repeat}; each case a fresh `flashcards validate`")
        print(f"{'input':<34} {'bytes':>12} {'s':>7} {'MB':>7} {'exit':>4}  message")
        for name, make in CASES:
            cards = scratch / "cards"
            shutil.rmtree(cards, ignore_errors=True)
            cards.mkdir()
            (cards / "deck.yaml").write_text(DECK)
            topic = cards / "t.yaml"
            with topic.open("w", encoding="utf-8") as stream:  # written piece by piece: this process stays small
                stream.writelines(make())
            runs = [measure(cards) for _ in range(args.repeat)]
            seconds, memory = min(run[0] for run in runs), max(run[1] for run in runs)
            code, message = runs[0][2], runs[0][3]
            print(
                f"{name:<34} {topic.stat().st_size:>12,} {seconds:>7.2f} {memory:>7.0f} {code:>4}  {message[:70]}"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
