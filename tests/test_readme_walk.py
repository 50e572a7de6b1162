"""The README's path for trainers, followed as written: its install commands are real ones, its folder commands
run, and every command it shows prints what the README says, mistakes included."""

from __future__ import annotations

import os
import re
import shlex
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
WALK = README.split("## A new deck for another unit (trainers)\n", 1)[1].split("\n## ", 1)[0]
TOPIC = Path("unit-4") / "01-getting-started.yaml"
DECK = Path("unit-4") / "deck.yaml"

#: the mistakes step 3 names, in its order: (how the README names it, the edit that makes it)
MISTAKES = [
    ("a second `answer:` under the first", "    answer: Three\n", "    answer: Three\n    answer: 3\n"),
    ("`expantion:` typed for `expansion:`", "    expansion: United", "    expantion: United"),
    ("a quote opened and never closed", "    question: How many", '    question: "How many'),
    ("a line indented more than its card", "    answer: Three\n", "      answer: Three\n"),
    ("quotes pasted from a word processor", "answer: Three\n", "answer: “Three: UN, national, regional”\n"),
]
#: the trainer's own cards, in place of init's examples
OWN_CARDS = """\
# yaml-language-server: $schema=.schema/topic.schema.json
subdeck: Tiers of protection
cards:
  - id: poc-tiers
    kind: basic
    question: How many tiers of action protect civilians?
    answer: Three
    source: {slide: 4}
    outcomes: [LO1]
  - id: poc
    kind: acronym
    term: POC
    expansion: Protection of Civilians
    source: {slide: 2}
    outcomes: [LO2]
"""


def blocks(kind: str) -> list[str]:
    return [textwrap.dedent(block) for block in re.findall(rf"```{kind}\n(.*?)```", WALK, re.DOTALL)]


def console_runs(block: str) -> list[tuple[list[str], str]]:
    """A ```console block as (arguments, expected output) pairs."""
    runs: list[tuple[list[str], str]] = []
    for line in block.strip().splitlines():
        if line.startswith("$ flashcards "):
            runs.append((shlex.split(line)[2:], ""))
        else:
            runs[-1] = (runs[-1][0], runs[-1][1] + line + "\n")
    return runs


def invoke(arguments: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, arguments)
    return result.exit_code, result.output


def shown_in_prose(start: str) -> str:
    """The text of a `code span` of the walk that starts so."""
    found = re.search(rf"`({re.escape(start)}.*?)`", WALK)
    assert found is not None, start
    return found.group(1)


def test_the_install_commands_are_real_ones() -> None:
    """No placeholder to type: pip installs this repository's folder (`.`), run from it, into its own venv."""
    install = blocks("sh")[0].strip().splitlines()
    assert install[0] == "python3 -m venv ~/flashcards-env"
    for line in install[1:]:
        words = shlex.split(line)
        assert words[:4] == ["~/flashcards-env/bin/python", "-m", "pip", "install"]
        assert [word for word in words[4:] if not word.startswith("-")] in (["pip"], ["."])
    assert (ROOT / "pyproject.toml").is_file()
    assert "`. ~/flashcards-env/bin/activate`" in WALK


def test_init_refuses_this_repository_as_the_walk_says() -> None:
    assert "`init` refuses a folder inside this repository" in " ".join(WALK.split())
    assert invoke(["init", str(ROOT / "unit-4")])[0] == 1
    assert not (ROOT / "unit-4").exists()


def test_the_walk_from_init_to_an_update(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for line in blocks("sh")[1].strip().splitlines():  # the deck's own folder, outside this repository
        command, folder = shlex.split(line)
        assert command in ("mkdir", "cd"), line
        if command == "mkdir":
            Path(os.path.expanduser(folder)).mkdir()
        else:
            monkeypatch.chdir(os.path.expanduser(folder))
    init, mistakes, discard, update = (console_runs(block) for block in blocks("console"))
    assert invoke(init[0][0]) == (0, init[0][1])

    # step 2: the try-out
    code, out = invoke(["build", "unit-4"])
    assert (code, out.splitlines()[0]) == (0, shown_in_prose("built Unit 4: Protection of Civilians 0.1.0"))

    # step 3: each mistake it names, then the fixed file
    original = TOPIC.read_text()
    assert len(mistakes) == len(MISTAKES) + 1
    for (named, old, new), (arguments, expected) in zip(MISTAKES, mistakes[:-1], strict=True):
        assert named in " ".join(WALK.split()), named
        TOPIC.write_text(original.replace(old, new))
        assert invoke(arguments) == (1, expected), named
    TOPIC.write_text(original)
    assert invoke(mistakes[-1][0]) == (0, mistakes[-1][1])

    # step 4: the trainer's own cards, the try-out dropped, release 1.0.0 with nothing retired and no warning
    TOPIC.write_text(OWN_CARDS)
    assert invoke(discard[0][0]) == (0, discard[0][1])
    set_version("1.0.0")
    result = CliRunner().invoke(main, ["build", "unit-4"])
    released = shown_in_prose("built Unit 4: Protection of Civilians 1.0.0").removesuffix("…")
    assert (result.exit_code, result.stderr) == (0, "") and result.stdout.startswith(released + "2 notes, 3 cards")
    assert "Retired" not in Path("dist/CHANGELOG.md").read_text()
    assert invoke(["discard-tryout", "unit-4"])[0] == 1  # learners may have 1.0.0 now

    # step 6: an update, refused under the same version, built under the next
    TOPIC.write_text(OWN_CARDS.replace("answer: Three", "answer: Three (assess, prevent, respond)"))
    assert invoke(update[0][0]) == (1, update[0][1])
    set_version("1.0.1")
    code, out = invoke(["build", "unit-4"])
    assert (code, out.splitlines()[0]) == (0, "built Unit 4: Protection of Civilians 1.0.1: 2 notes, 3 cards")


def set_version(version: str) -> None:
    assert f'`version: "{version}"`' in WALK
    DECK.write_text(re.sub(r'version: "[0-9.]+"', f'version: "{version}"', DECK.read_text()))
