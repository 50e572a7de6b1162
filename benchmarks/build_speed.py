"""Build speed and memory at curriculum scale, side by side with the floor (C loader + genanki directly).

Usage: .venv/bin/python benchmarks/build_speed.py [--sizes 1000,10000,100000] [--repeat 3]
Prints wall time (s), peak memory (MB) and ours/floor ratios; a benchmark, never a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import write_card_set  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLASHCARDS = str(BIN / "flashcards")
PYTHON = sys.executable


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command to the end; return its wall time in seconds and its peak resident memory in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"failed: {' '.join(command)}\n{process.stderr.read().decode() if process.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss / 1024


def best(command: list[str], repeat: int, before=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        if before:
            before()
        runs.append(measure(command))
    return min(run[0] for run in runs), max(run[1] for run in runs)


def row(label: str, ours: tuple[float, float], floor: tuple[float, float], paused: tuple[float, float]) -> str:
    return (
        f"{label:<22} {ours[0]:>8.2f} {ours[1]:>8.0f} | {floor[0]:>8.2f} {floor[1]:>8.0f} | {paused[0]:>8.2f} | "
        f"{ours[0] / floor[0]:>6.2f} {ours[0] / paused[0]:>6.2f} {ours[1] / floor[1]:>6.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is shown")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="flashcards-bench-"))
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")
    os.environ.update(env)
    verdicts: list[tuple[str, float, float]] = []
    try:
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; times are the best of {args.repeat}")
        # first, while no big build has just filled the page cache and heated the machine
        help_ms, validate_ms = _startup(args.repeat)
        print(
            f"{'card set':<22} {'ours s':>8} {'ours MB':>8} | {'floor s':>8} {'floor MB':>8} | {'paused s':>8} | "
            f"{'/floor':>6} {'/paused':>6} {'mem':>6}"
        )
        for size in sizes:
            for files in (1, 100):
                cards = write_card_set(scratch / f"cards-{size}-{files}", size, files)
                out = scratch / f"out-{size}-{files}"

                def clean(out: Path = out, cards: Path = cards) -> None:
                    # a full build: no last release and no cache of read files
                    shutil.rmtree(out, ignore_errors=True)
                    shutil.rmtree(cards / ".flashcards-cache", ignore_errors=True)

                ours = best([FLASHCARDS, "build", str(cards), "-o", str(out)], args.repeat, clean)
                floor = best(
                    [PYTHON, str(ROOT / "benchmarks/floor.py"), str(cards), str(scratch / "floor")], args.repeat
                )
                paused = best(
                    [PYTHON, str(ROOT / "benchmarks/floor.py"), str(cards), str(scratch / "floor"), "--gc-paused"],
                    args.repeat,
                )
                label = f"build {size:,} × {files} file{'s' if files > 1 else ''}"
                print(row(label, ours, floor, paused))
                validate = best([FLASHCARDS, "validate", str(cards)], args.repeat)
                print(f"{'  validate':<22} {validate[0]:>8.2f} {validate[1]:>8.0f}")
                if size == max(sizes):
                    verdicts += [
                        (f"{label}: ours / floor", ours[0] / floor[0], 0.5),
                        (f"{label}: ours / floor with the collector paused", ours[0] / paused[0], 1.3),
                        (f"{label}: peak memory / the floor's", ours[1] / floor[1], 0.75),
                    ]
                if files == 100:
                    rebuild = _rebuild(cards, out, ours, args.repeat)
                    if size == max(sizes):
                        verdicts.append((f"{label}: rebuild after one file changed / full build", rebuild, 0.3))
        verdicts += [
            ("flashcards --help, ms after python -c pass", help_ms, 60),
            ("flashcards validate (shipped deck), ms after python -c pass", validate_ms, 150),
        ]
        print("\ntargets (issue 7):")
        for what, value, limit in verdicts:
            print(f"  {'met    ' if value <= limit else 'NOT met'} {what}: {value:.2f} (target ≤ {limit})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _rebuild(cards: Path, out: Path, full: tuple[float, float], repeat: int) -> float:
    """Change one topic file of a built set, rebuild (the cache of read files warm), and return the time as a
    fraction of the full build's."""
    topic = cards / "topic-050.yaml"
    times = []
    for attempt in range(repeat):
        text = topic.read_text(encoding="utf-8")
        topic.write_text(
            text.replace('kind: basic\n    question: "', f'kind: basic\n    question: "Edit {attempt} ', 1),
            encoding="utf-8",
        )
        deck = cards / "deck.yaml"
        deck.write_text(deck.read_text().replace(f'version: "1.0.{attempt}"', f'version: "1.0.{attempt + 1}"'))
        times.append(measure([FLASHCARDS, "build", str(cards), "-o", str(out)]))
    fastest = min(times)
    print(
        f"{'  rebuild, 1 file edited':<22} {fastest[0]:>8.2f} {fastest[1]:>8.0f}   ({fastest[0] / full[0]:.2f} × the full build)"
    )
    return fastest[0] / full[0]


def _startup(repeat: int) -> tuple[float, float]:
    """Print and return how many ms --help and validating the shipped deck take beyond starting Python."""
    runs = max(repeat, 5)

    def median(command: list[str]) -> float:
        return statistics.median(measure(command)[0] for _ in range(runs))

    bare = median([PYTHON, "-c", "pass"])
    help_time = median([FLASHCARDS, "--help"])
    validate = median([FLASHCARDS, "validate", str(ROOT / "cards")])
    print(
        f"start-up (median of {runs}): python -c pass {bare * 1000:.0f} ms; flashcards --help "
        f"{help_time * 1000:.0f} ms (+{(help_time - bare) * 1000:.0f}); validate shipped deck {validate * 1000:.0f} ms "
        f"(+{(validate - bare) * 1000:.0f})"
    )
    return (help_time - bare) * 1000, (validate - bare) * 1000


if __name__ == "__main__":
    main()
