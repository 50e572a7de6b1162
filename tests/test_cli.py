"""The command line, as a trainer types it: exit codes and output, checked separately."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("command", ["validate", "build"])
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert out.startswith(f"Usage: main {command} [OPTIONS] [CARDS]")
    assert len(out.splitlines()) > 4


def test_top_level_help_lists_commands() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "build" in out and "validate" in out


def test_validate_ok(valid_cards: Path) -> None:
    assert run("validate", str(valid_cards)) == (0, "ok: 5 card definitions in 2 topic files\n", "")


def test_validate_reports_problems_and_exits_1(valid_cards: Path) -> None:
    topic = valid_cards / "01-acronyms.yaml"
    topic.write_text(topic.read_text().replace("term: OCHA", "term: OCHA\n    term: UNOCHA"))
    code, out, err = run("validate", str(valid_cards))
    assert code == 1 and out == ""
    assert err == (f"{topic}:15:5: duplicate key 'term' in an acronym card (first at line 14); keep only one\n"
                   "failed: 1 problem\n")


def test_build_writes_decks(valid_cards: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run("build", str(valid_cards), "-o", str(out_dir))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "built Test Deck 1.0.0: 5 notes, 9 cards"
    assert sorted(path.name for path in out_dir.iterdir()) == [
        "CHANGELOG.md", "ledger.json", "test-deck.anki.csv", "test-deck.apkg", "test-deck.spreadsheet.csv"]


def test_failed_build_leaves_output_as_it_was(valid_cards: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    assert run("build", str(valid_cards), "-o", str(out_dir))[0] == 0
    before = snapshot(out_dir)
    topic = valid_cards / "02-principles.yaml"
    topic.write_text(topic.read_text().replace("{{c1::humanity}}", "{{c1::humanity"))
    topic_two = valid_cards / "01-acronyms.yaml"
    topic_two.write_text(topic_two.read_text().replace("OCHA\n", "OCHA\n    expansion: again\n", 1))
    code, out, err = run("build", str(valid_cards), "-o", str(out_dir))
    assert (code, out) == (1, "")
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "failed: 2 problems"
    assert snapshot(out_dir) == before


def test_missing_folder(tmp_path: Path) -> None:
    code, out, err = run("validate", str(tmp_path / "nowhere"))
    assert (code, out) == (1, "")
    assert err == (f"{tmp_path / 'nowhere'}: not a folder of card files; give the folder that holds deck.yaml\n"
                   "failed: 1 problem\n")


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "exporter", "--version"], capture_output=True, text=True,
                            check=True)
    assert result.stdout.startswith("flashcards, version ")
