"""The README's walk for trainers, from `flashcards init` to a release, says what the commands really print."""

from __future__ import annotations

import re
import shlex
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
WALK = README.split("## A new deck for another unit (trainers)\n", 1)[1].split("\n## ", 1)[0]


def console_blocks() -> list[list[tuple[list[str], str]]]:
    """Each ```console block of the walk as (arguments, expected output) pairs."""
    blocks = []
    for block in re.findall(r"```console\n(.*?)```", WALK, re.DOTALL):
        runs: list[tuple[list[str], str]] = []
        for line in textwrap.dedent(block).strip().splitlines():
            if line.startswith("$ flashcards "):
                runs.append((shlex.split(line)[2:], ""))
            else:
                runs[-1] = (runs[-1][0], runs[-1][1] + line + "\n")
        blocks.append(runs)
    return blocks


def test_the_walk_prints_what_the_readme_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (init,), validate_runs = console_blocks()
    result = CliRunner().invoke(main, init[0])
    assert (result.exit_code, result.output) == (0, init[1])

    built = re.search(r"`(built .*?)`", WALK)
    assert built is not None
    assert CliRunner().invoke(main, ["build", "unit-4"]).stdout.splitlines()[0] == built.group(1)

    # the mistake the walk shows: a second answer under the first
    topic = tmp_path / "unit-4" / "01-getting-started.yaml"
    original = topic.read_text()
    topic.write_text(original.replace("    answer: Three\n", "    answer: Three\n    answer: 3\n"))
    (broken, broken_output), (fixed, fixed_output) = validate_runs
    result = CliRunner().invoke(main, broken)
    assert (result.exit_code, result.output) == (1, broken_output)
    topic.write_text(original)
    result = CliRunner().invoke(main, fixed)
    assert (result.exit_code, result.output) == (0, fixed_output)


def test_the_first_release_after_the_try_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Step 4: with the examples replaced, the build refuses until dist/ is cleared and the version raised."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    runner.invoke(main, ["init", "unit-4"])
    assert runner.invoke(main, ["build", "unit-4"]).exit_code == 0
    topic = tmp_path / "unit-4" / "01-getting-started.yaml"
    topic.write_text(topic.read_text().replace("id: example-question", "id: poc-tiers"))
    assert runner.invoke(main, ["build", "unit-4"]).exit_code == 1
    deck = tmp_path / "unit-4" / "deck.yaml"
    assert 'version: "1.0.0"' in WALK and "rm -r dist\n" in WALK
    deck.write_text(deck.read_text().replace('version: "0.1.0"', 'version: "1.0.0"'))
    for path in (tmp_path / "dist").iterdir():
        path.unlink()
    (tmp_path / "dist").rmdir()
    result = runner.invoke(main, ["build", "unit-4"])
    assert (result.exit_code, result.stdout.splitlines()[0]) == (0, "built Unit 4 1.0.0: 3 notes, 6 cards")
    assert "retired" not in (tmp_path / "dist" / "CHANGELOG.md").read_text().split("## 1.0.0")[1]
