"""Build speed and memory at curriculum scale, side by side with the floor (C loader + genanki directly).

Usage: .venv/bin/python benchmarks/build_speed.py [--sizes 1000,10000,100000] [--repeat 3] [--kinds synthetic,grown]
Prints wall time (s), peak memory (MB) and ratios, each the median of --repeat runs, and a verdict per target of
issues 7 and 14; a benchmark, never a test. The card sets: `synthetic` (short generated cards) and `grown` (the
shipped cards, their own texts, copied to the size). The flashcards command measured is the one beside this
Python; to measure other code, put it first on PYTHONPATH (the header prints which exporter is imported).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.grown import write_grown_set  # noqa: E402
from benchmarks.synthetic import write_card_set  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLASHCARDS = str(BIN / "flashcards")
PYTHON = sys.executable
FLOOR = str(ROOT / "benchmarks/floor.py")
PEAK = str(ROOT / "benchmarks/peak.py")
WRITERS: dict[str, Callable[[Path, int, int], Path]] = {"synthetic": write_card_set, "grown": write_grown_set}

Run = tuple[float, float]  # wall seconds, peak MB


def measure(command: list[str]) -> Run:
    """Run a command to the end; return its wall time in seconds and its peak resident memory in MB."""
    # stderr into a file, not a pipe: a build that warns a lot would fill the pipe and wait for ever
    with tempfile.TemporaryFile() as errors:
        finished = subprocess.run([PYTHON, PEAK, *command], stdout=subprocess.PIPE, stderr=errors, text=True)
        if finished.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"failed: {' '.join(command)}\n{errors.read().decode()[-5000:]}")
    elapsed, peak_kb = finished.stdout.split()
    return float(elapsed), int(peak_kb) / 1024


@dataclass
class Runs:
    """Every run of one card set, in the order made; ratios are taken run by run (the runs of one round are made
    close together, so they share the machine's mood), and the median of those is reported."""

    full: list[Run] = field(default_factory=list)
    rebuild: list[Run] = field(default_factory=list)
    floor: list[Run] = field(default_factory=list)
    paused: list[Run] = field(default_factory=list)
    validate: list[Run] = field(default_factory=list)
    validate_again: list[Run] = field(default_factory=list)

    def ratio(self, top: str, bottom: str, column: int = 0) -> float:
        pairs = zip(getattr(self, top), getattr(self, bottom), strict=True)
        return statistics.median(a[column] / b[column] for a, b in pairs)

    @staticmethod
    def median(runs: list[Run]) -> Run:
        return statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs)


def measure_set(cards: Path, out: Path, scratch: Path, repeat: int, files: int) -> Runs:
    runs = Runs()
    for attempt in range(repeat):
        # a full build: no last release and no cache of read files
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cards / ".flashcards-cache", ignore_errors=True)
        runs.full.append(measure([FLASHCARDS, "build", str(cards), "-o", str(out)]))
        if files == 100:
            _edit_one_file(cards, attempt)
            runs.rebuild.append(measure([FLASHCARDS, "build", str(cards), "-o", str(out)]))
        runs.floor.append(measure([PYTHON, FLOOR, str(cards), str(scratch / "floor")]))
        runs.paused.append(measure([PYTHON, FLOOR, str(cards), str(scratch / "floor"), "--gc-paused"]))
        shutil.rmtree(cards / ".flashcards-cache", ignore_errors=True)
        runs.validate.append(measure([FLASHCARDS, "validate", str(cards)]))
        runs.validate_again.append(measure([FLASHCARDS, "validate", str(cards)]))
    return runs


def _edit_one_file(cards: Path, attempt: int) -> None:
    """Change one question in one topic file of a built set and raise the deck's version, as a trainer would."""
    topic = cards / "topic-050.yaml"
    text = topic.read_text(encoding="utf-8")
    edited = text.replace('kind: basic\n    question: "', f'kind: basic\n    question: "Edit {attempt} ', 1)
    if edited == text:
        raise SystemExit(f"no question to edit in {topic}")
    topic.write_text(edited, encoding="utf-8")
    deck = cards / "deck.yaml"
    deck.write_text(
        re.sub(
            r'(?m)^version: "(\d+)\.(\d+)\.(\d+)"',
            lambda m: f'version: "{m[1]}.{m[2]}.{int(m[3]) + 1}"',
            deck.read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )


def _print_set(label: str, runs: Runs) -> None:
    ours, floor, paused = Runs.median(runs.full), Runs.median(runs.floor), Runs.median(runs.paused)
    print(
        f"{label:<30} {ours[0]:>8.2f} {ours[1]:>8.0f} | {floor[0]:>8.2f} {floor[1]:>8.0f} | {paused[0]:>8.2f} | "
        f"{runs.ratio('full', 'floor'):>6.2f} {runs.ratio('full', 'paused'):>6.2f} "
        f"{runs.ratio('full', 'floor', 1):>6.2f}"
    )
    if runs.rebuild:
        rebuild = Runs.median(runs.rebuild)
        print(
            f"{'  rebuild, 1 file edited':<30} {rebuild[0]:>8.2f} {rebuild[1]:>8.0f}   "
            f"({runs.ratio('rebuild', 'full'):.2f} × the full build)"
        )
    validate, again = Runs.median(runs.validate), Runs.median(runs.validate_again)
    print(
        f"{'  validate':<30} {validate[0]:>8.2f} {validate[1]:>8.0f}   ({runs.ratio('validate', 'full'):.2f} × "
        f"the full build's time, {runs.ratio('validate', 'full', 1):.2f} × its memory)"
    )
    print(f"{'  validate again, unchanged':<30} {again[0]:>8.2f} {again[1]:>8.0f}")


def _verdicts(kind: str, size: int, files: int, runs: Runs) -> list[tuple[str, float, float]]:
    label = f"{kind} {size:,} × {files} file{'s' if files > 1 else ''}"
    verdicts = [
        (f"{label}: ours / floor", runs.ratio("full", "floor"), 0.5),
        (f"{label}: ours / floor with the collector paused", runs.ratio("full", "paused"), 1.3),
        (f"{label}: peak memory / the floor's", runs.ratio("full", "floor", 1), 0.75),
    ]
    if runs.rebuild:
        verdicts.append(
            (f"{label}: rebuild after one file changed / full build", runs.ratio("rebuild", "full"), 0.3)
        )
        again = statistics.median(run[0] for run in runs.validate_again)
        verdicts.append((f"{label}: validate of the unchanged set, run twice, the second (s)", again, 1.0))
    else:
        verdicts += [
            (f"{label}: validate / full build, time", runs.ratio("validate", "full"), 0.5),
            (f"{label}: validate / full build, peak memory", runs.ratio("validate", "full", 1), 1.0),
        ]
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the median is shown")
    parser.add_argument("--kinds", default="synthetic,grown", help="card sets to measure: synthetic, grown")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    kinds = [kind.strip() for kind in args.kinds.split(",")]
    if unknown := set(kinds) - set(WRITERS):
        parser.error(f"unknown --kinds: {', '.join(sorted(unknown))}")
    scratch = Path(tempfile.mkdtemp(prefix="flashcards-bench-"))
    os.environ["SOURCE_DATE_EPOCH"] = "1764000000"
    # as users run it: byte code cached after the first start (a sandbox may switch the cache off)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    verdicts: list[tuple[str, float, float]] = []
    try:
        _header(args.repeat)
        # first, while no big build has just filled the page cache and heated the machine
        verdicts += _startup(args.repeat)
        print(
            f"\n{'card set':<30} {'ours s':>8} {'ours MB':>8} | {'floor s':>8} {'floor MB':>8} | {'paused s':>8} | "
            f"{'/floor':>6} {'/paused':>6} {'mem':>6}"
        )
        for kind in kinds:
            for size in sizes:
                for files in (1, 100):
                    cards = WRITERS[kind](scratch / f"{kind}-{size}-{files}", size, files)
                    runs = measure_set(cards, scratch / f"out-{kind}-{size}-{files}", scratch, args.repeat, files)
                    _print_set(f"{kind} {size:,} × {files} file{'s' if files > 1 else ''}", runs)
                    if size == max(sizes):
                        verdicts += _verdicts(kind, size, files, runs)
                    shutil.rmtree(scratch / f"{kind}-{size}-{files}")
                    shutil.rmtree(scratch / f"out-{kind}-{size}-{files}", ignore_errors=True)
        print("\ntargets (issues 7 and 14):")
        for what, value, limit in verdicts:
            print(f"  {'met    ' if value <= limit else 'NOT met'} {what}: {value:.2f} (target ≤ {limit})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _header(repeat: int) -> None:
    code = subprocess.run(
        # from outside any checkout, so that only PYTHONPATH and the installed package decide, as for the command
        [PYTHON, "-c", "import exporter; print(exporter.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    ).stdout.strip()
    folder = Path(code).parent.parent
    commit = subprocess.run(
        ["git", "-C", str(folder), "log", "-1", "--format=%h %s"], capture_output=True, text=True
    ).stdout.strip()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; figures are the median of {repeat} runs")
    print(f"exporter code measured: {folder} ({commit[:72] or 'not a git checkout'})")


def _startup(repeat: int) -> list[tuple[str, float, float]]:
    """Print how many ms --help and validating the shipped deck take beyond starting Python (and beyond
    importing click, which --help cannot avoid); return the verdicts."""
    runs = max(repeat, 15)
    commands = {
        "bare": [PYTHON, "-c", "pass"],
        "click": [PYTHON, "-c", "import click"],
        "help": [FLASHCARDS, "--help"],
        "validate": [FLASHCARDS, "validate", str(ROOT / "cards")],
    }
    for command in commands.values():
        measure(command)  # once unmeasured: byte code written, files in the page cache
    # round by round, each command once a round, and each difference taken within its round: the machine's mood
    # moves within seconds, and a few milliseconds between medians taken a block apart would be that mood
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(measure(command)[0] * 1000)
    bare, click, help_ms, validate = (statistics.median(times[name]) for name in commands)

    def over(name: str, base: str) -> float:
        return statistics.median(later - first for first, later in zip(times[base], times[name], strict=True))

    help_over_bare, help_over_click, validate_over_bare = (
        over("help", "bare"),
        over("help", "click"),
        over("validate", "bare"),
    )
    print(
        f"start-up (median of {runs} rounds; the differences are medians of each round's): python -c pass {bare:.0f} "
        f"ms; python -c 'import click' {click:.0f} ms; flashcards --help {help_ms:.0f} ms (+{help_over_bare:.0f} "
        f"over pass, +{help_over_click:.0f} over click); validate shipped deck {validate:.0f} ms "
        f"(+{validate_over_bare:.0f})"
    )
    return [
        ("flashcards --help, ms after python -c pass", help_over_bare, 60),
        ("flashcards --help, ms after python -c 'import click'", help_over_click, 25),
        ("flashcards validate (shipped deck), ms after python -c pass", validate_over_bare, 150),
    ]


if __name__ == "__main__":
    main()
