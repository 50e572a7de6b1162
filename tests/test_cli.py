"""The command line, as a trainer types it: exit codes and output, checked separately."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import click
import pytest

from exporter.cli import main
from tests.support import modules_imported, run, snapshot

ROOT = Path(__file__).parent.parent


COMMANDS = [
    "build",
    "coverage",
    "diff",
    "discard-tryout",
    "handout",
    "init",
    "review",
    "stats",
    "translations",
    "validate",
]
#: the commands with commands of their own: (group, command)
SUBCOMMANDS = [("translations", "update")]


def test_the_commands() -> None:
    assert sorted(main.commands) == COMMANDS


@pytest.mark.parametrize("command", [command for command in COMMANDS if command not in dict(SUBCOMMANDS)])
def test_every_command_has_help(command: str) -> None:
    code, out, err = run(command, "--help")
    assert (code, err) == (0, "")
    argument = "DIR" if command == "init" else "[CARDS]"
    definition = main.commands[command]
    assert definition.help and out.startswith(f"Usage: main {command} [OPTIONS] {argument}\n\n")
    assert " ".join(definition.help.split()) in " ".join(out.split())
    for option in definition.params:
        if isinstance(option, click.Option):
            assert option.help and option.opts[-1] in out, option.name


@pytest.mark.parametrize(("group", "command"), SUBCOMMANDS)
def test_every_subcommand_has_help(group: str, command: str) -> None:
    code, out, err = run(group, command, "--help")
    assert (code, err) == (0, "")
    definition = main.commands[group].commands[command]  # type: ignore[attr-defined]
    assert definition.help and out.startswith(f"Usage: main {group} {command} [OPTIONS] [CARDS]\n\n")
    assert " ".join(str(main.commands[group].help).split()) in " ".join(run(group, "--help")[1].split())
    for option in definition.params:
        if isinstance(option, click.Option):
            assert option.help and option.opts[-1] in out, option.name


@pytest.mark.parametrize("command", ["build", "coverage", "validate"])
def test_problem_reporting_commands_take_format_and_quiet(command: str) -> None:
    out = run(command, "--help")[1]
    assert "--format [text|json|github]" in out and "-q, --quiet" in out


def test_top_level_help_lists_commands() -> None:
    code, out, _ = run("--help")
    assert code == 0
    listed = [line.split()[0] for line in out.split("Commands:\n")[1].splitlines()]
    assert listed == COMMANDS


BARE_CLICK_GROUP = """
import click
@click.group()
def main():
    pass
@main.command()
@click.option("--output", type=click.Path())
def build(output):
    pass
main()
"""


def test_help_loads_only_what_click_does_and_the_command_line() -> None:
    """`flashcards --help` costs no more start-up than click's own help, but for the command line's modules: every
    other module is imported where a command needs it."""
    click_alone = modules_imported("-c", BARE_CLICK_GROUP, "--help")
    ours = modules_imported("-c", "from exporter.cli import main; main()", "--help")
    assert sorted(ours - click_alone) == [
        "exporter",
        "exporter.cli",
        "exporter.cli.commands",
        "exporter.cli.console",
        "exporter.cli.review",
        "exporter.cli.translations",
        "exporter.cli.tryout",
        "exporter.errors",
        "exporter.review_states",
    ]


def test_version_comes_from_the_package_metadata() -> None:
    declared = re.search(r'^version = "(.+)"$', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    assert declared is not None and declared.group(1) == version("flashcard-exporter")
    assert run("--version") == (0, f"flashcards, version {declared.group(1)}\n", "")


def test_help_imports_nothing_heavy() -> None:
    """--help answers at once: YAML, genanki, Markdown, the model and the pipeline load only when a command
    runs (a command's options name what they offer without loading what uses it)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "exporter", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {
        line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")
    }
    assert "exporter.cli" in imported
    assert (
        imported
        & {
            "yaml",
            "genanki",
            "markdown_it",
            "nh3",
            "hashlib",
            "exporter.model",
            "exporter.pipeline.build",
            "exporter.writers.problems",
        }
        == set()
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["validate", "--format", "xml"],
            "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json', 'github'.",
        ),
        (
            ["stats", "--format", "github"],
            "Error: Invalid value for '--format': 'github' is not one of 'text', 'json'.",
        ),
        (["stats", "--quiet"], "Error: No such option '--quiet'."),
        (["init"], "Error: Missing argument 'DIR'."),
        (["bulid"], "Error: No such command 'bulid'. Did you mean 'build'?"),
        (["build", "--approved"], "Error: No such option '--approved'. Did you mean '--approved-only'?"),
    ],
    ids=[
        "unknown-format",
        "stats-has-no-github-format",
        "stats-has-no-quiet",
        "init-needs-a-folder",
        "mistyped-command",
        "mistyped-option",
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == message


def test_validate_ok(valid_cards: Path) -> None:
    assert run("validate", str(valid_cards)) == (0, "ok: 5 card definitions in 2 topic files\n", "")


def test_validate_reports_problems_and_exits_1(valid_cards: Path) -> None:
    topic = valid_cards / "01-acronyms.yaml"
    topic.write_text(topic.read_text().replace("term: OCHA", "term: OCHA\n    term: UNOCHA"))
    code, out, err = run("validate", str(valid_cards))
    assert code == 1 and out == ""
    assert err == (
        f"{topic}:15:5: duplicate key 'term' in an acronym card (first at line 14); keep only one\n"
        "failed: 1 problem\n"
    )


def test_build_writes_decks(valid_cards: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run("build", str(valid_cards), "-o", str(out_dir))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "built Test Deck 1.0.0: 5 notes, 9 cards"
    assert sorted(path.name for path in out_dir.iterdir()) == [
        "CHANGELOG.md",
        "ledger.json",
        "test-deck.anki.csv",
        "test-deck.apkg",
        "test-deck.install.html",
        "test-deck.spreadsheet.csv",
    ]


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
    assert err == (
        f"{tmp_path / 'nowhere'}: not a folder of card files; give the folder that holds deck.yaml\n"
        "failed: 1 problem\n"
    )


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "exporter", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("flashcards, version ")
