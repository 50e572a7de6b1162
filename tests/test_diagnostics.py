"""Problems as people, tools and GitHub Actions read them: --format, --quiet, colour only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.errors import Location, Problem
from exporter.writers.problems import problem_lines, use_colour
from tests.support import run

DUPLICATE_KEY = "01-acronyms.yaml:15:5: duplicate key 'term' in an acronym card (first at line 14); keep only one"
SCRIPT_WARNING = (
    "02-principles.yaml:7:5: warning: 'extra' has markup that will be removed: <script> element; "
    "delete it (only plain formatting is kept)"
)

#: (id, file, text replaced, replacement, the message validate prints for it)
BAD_INPUTS = [
    ("duplicate-key", "01-acronyms.yaml", "term: OCHA", "term: OCHA\n    term: UNOCHA", DUPLICATE_KEY),
    (
        "misspelt-key",
        "02-principles.yaml",
        "    answer: no\n",
        "    answer: no\n    answr: x\n",
        "02-principles.yaml:14:5: unknown key 'answr' in a basic card; did you mean 'answer'?",
    ),
    (
        "duplicate-id",
        "01-acronyms.yaml",
        "id: ocha",
        "id: unct",
        "01-acronyms.yaml:12:5: card id 'unct' is already used at 01-acronyms.yaml:4:5; give this card its own id",
    ),
    (
        "unclosed-list",
        "01-acronyms.yaml",
        "tags: [un-system]",
        "tags: [un-system",
        "01-acronyms.yaml:11:11: a '[' opened here is never closed; end the list with ']' (YAML gave up at line 12)",
    ),
    (
        "nested-cloze",
        "02-principles.yaml",
        "{{c1::humanity}}",
        "{{c1::humanity",
        "02-principles.yaml:6:5: a cloze deletion is nested inside another; nested deletions are not supported "
        "here (the checks and the review page read one deletion at a time), so write them one after the other",
    ),
]


@pytest.fixture
def cards_here(valid_cards: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small valid set as the working folder, so messages name files as a trainer sees them."""
    monkeypatch.chdir(valid_cards)
    return valid_cards


def spoil(folder: Path, name: str, old: str, new: str) -> None:
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "name, old, new, message", [row[1:] for row in BAD_INPUTS], ids=[row[0] for row in BAD_INPUTS]
)
def test_bad_input_in_every_format(cards_here: Path, name: str, old: str, new: str, message: str) -> None:
    spoil(cards_here, name, old, new)
    location, text = message.split(": ", 1)
    path, line, column = location.split(":")
    assert run("validate", ".") == (1, "", f"{message}\nfailed: 1 problem\n")
    assert run("validate", ".", "--quiet") == (1, "", f"{message}\n")
    assert run("validate", ".", "--format", "github") == (
        1,
        f"::error file={path},line={line},col={column}::{text}\n",
        "failed: 1 problem\n",
    )
    code, out, err = run("validate", ".", "--format", "json")
    assert (code, err) == (1, "")
    assert json.loads(out) == {
        "problems": [
            {"file": path, "line": int(line), "column": int(column), "severity": "error", "message": text}
        ],
        "errors": 1,
        "warnings": 0,
    }
    # build and coverage report the same problem the same way
    assert run("build", ".", "-o", "../dist", "--format", "github")[:2] == (
        1,
        f"::error file={path},line={line},col={column}::{text}\n",
    )
    (cards_here.parent / "unit.txt").write_text("Slide 6\n")
    assert run("coverage", ".", "--source", "../unit.txt", "--format", "github", "-q")[:2] == (
        1,
        f"::error file={path},line={line},col={column}::{text}\n",
    )
    assert not (cards_here.parent / "dist").exists()


def test_warning_in_every_format(cards_here: Path) -> None:
    spoil(cards_here, "02-principles.yaml", "extra: Médecins", "extra: <script>x</script>Médecins")
    assert run("validate", ".") == (
        0,
        "ok: 5 card definitions in 2 topic files, 1 warning\n",
        f"{SCRIPT_WARNING}\n",
    )
    assert run("validate", ".", "-q") == (0, "", f"{SCRIPT_WARNING}\n")
    assert run("validate", ".", "--format", "github") == (
        0,
        "::warning file=02-principles.yaml,line=7,col=5::'extra' has markup that will be removed: <script> "
        "element; delete it (only plain formatting is kept)\n"
        "ok: 5 card definitions in 2 topic files, 1 warning\n",
        "",
    )
    code, out, err = run("build", ".", "-o", "../dist", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["warnings"] == 1 and json.loads(out)["problems"][0]["severity"] == "warning"


def test_json_on_success_is_one_empty_document(cards_here: Path) -> None:
    empty = '{"problems": [], "errors": 0, "warnings": 0}\n'
    assert run("validate", ".", "--format", "json") == (0, empty, "")
    assert run("build", ".", "-o", "../dist", "--format", "json") == (0, empty, "")
    assert run("build", ".", "-o", "../dist", "--check", "--format", "json") == (0, empty, "")


def test_quiet_success_prints_nothing(cards_here: Path) -> None:
    assert run("validate", ".", "--quiet") == (0, "", "")
    assert run("build", ".", "-o", "../dist", "-q") == (0, "", "")
    assert run("build", ".", "-o", "../dist", "--check", "-q") == (0, "", "")
    assert (cards_here.parent / "dist" / "test-deck.apkg").is_file()


def test_stale_output_as_annotations(cards_here: Path) -> None:
    assert run("build", ".", "-o", "../dist")[0] == 0
    (cards_here.parent / "dist" / "CHANGELOG.md").write_text("edited by hand\n")
    assert run("build", ".", "-o", "../dist", "--check", "--format", "github") == (
        1,
        "::error file=../dist/CHANGELOG.md::stale; run 'flashcards build' and commit the result\n",
        "failed: 1 stale file\n",
    )


@pytest.mark.parametrize(
    "problem, annotation",
    [
        (Problem(Location("cards/a.yaml", 3, 7), "bad"), "::error file=cards/a.yaml,line=3,col=7::bad"),
        (Problem(Location("cards/a.yaml", 3), "bad"), "::error file=cards/a.yaml,line=3,col=1::bad"),
        (Problem(Location("cards"), "no deck.yaml"), "::error file=cards::no deck.yaml"),
        (
            Problem(Location("cards/a.yaml", 1, 1), "50% off\nnext", "warning"),
            "::warning file=cards/a.yaml,line=1,col=1::50%25 off%0Anext",
        ),
        (Problem(Location("C:/odd,name.yaml", 2, 2), "x"), "::error file=C%3A/odd%2Cname.yaml,line=2,col=2::x"),
    ],
    ids=["line-and-column", "line-only", "whole-file", "escaped-message", "escaped-path"],
)
def test_github_annotation_text(problem: Problem, annotation: str) -> None:
    assert problem_lines([problem], "github") == [annotation]


@pytest.mark.parametrize(
    "is_terminal, environ, expected",
    [
        (True, {}, True),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": "0"}, False),
        (True, {"NO_COLOR": ""}, True),
        (False, {}, False),
    ],
    ids=["terminal", "no-color-set", "no-color-zero", "no-color-empty", "not-a-terminal"],
)
def test_colour_rule(is_terminal: bool, environ: dict[str, str], expected: bool) -> None:
    assert use_colour(is_terminal, environ) is expected


def on_terminal(args: list[str], cwd: Path, **environ: str) -> tuple[int, str, bytes]:
    """Run the CLI with stderr on a real pseudo-terminal; return exit code, stdout and what the terminal got."""
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "CI")} | environ
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal
    )
    os.close(terminal)
    received = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the program closed the terminal
            break
        if not chunk:
            break
        received.append(chunk)
    os.close(controller)
    assert process.stdout is not None
    out = process.stdout.read().decode()
    return process.wait(), out, b"".join(received)


CLI = [sys.executable, "-m", "exporter"]
#: The CLI with the progress bar shown from the first step, as a long build would show it.
CLI_EAGER_BAR = [
    sys.executable,
    "-c",
    "import exporter.cli.console as console; console.PROGRESS_DELAY = 0; console.main()",
]
#: The CLI with a delay no test build reaches: a build done before the delay shows no bar, however loaded the
#: machine running the tests is.
CLI_PATIENT_BAR = [
    sys.executable,
    "-c",
    "import exporter.cli.console as console; console.PROGRESS_DELAY = 3600; console.main()",
]


def test_problems_coloured_on_a_terminal(cards_here: Path) -> None:
    spoil(cards_here, "01-acronyms.yaml", "term: OCHA", "term: OCHA\n    term: UNOCHA")
    spoil(cards_here, "02-principles.yaml", "extra: Médecins", "extra: <script>x</script>Médecins")
    code, out, terminal = on_terminal(CLI + ["validate", "."], cards_here)
    assert (code, out) == (1, "")
    assert terminal.decode() == (
        "\x1b[1m01-acronyms.yaml:15:5:\x1b[0m \x1b[31mduplicate key 'term' in an acronym card (first at line 14); "
        "keep only one\x1b[0m\r\n"
        "\x1b[1m02-principles.yaml:7:5:\x1b[0m \x1b[33mwarning:\x1b[0m 'extra' has markup that will be removed: "
        "<script> element; delete it (only plain formatting is kept)\r\n"
        "failed: 2 problems\r\n"
    )
    assert on_terminal(CLI + ["validate", "."], cards_here, NO_COLOR="")[2] == terminal


@pytest.mark.parametrize("value", ["1", "true"])
def test_no_color_turns_colour_off(cards_here: Path, value: str) -> None:
    spoil(cards_here, "01-acronyms.yaml", "term: OCHA", "term: OCHA\n    term: UNOCHA")
    assert on_terminal(CLI + ["validate", "."], cards_here, NO_COLOR=value) == (
        1,
        "",
        f"{DUPLICATE_KEY}\r\nfailed: 1 problem\r\n".encode(),
    )


def test_no_colour_off_a_terminal_even_when_colour_is_allowed(cards_here: Path) -> None:
    spoil(cards_here, "01-acronyms.yaml", "term: OCHA", "term: OCHA\n    term: UNOCHA")
    result = CliRunner().invoke(main, ["validate", "."], color=True)
    assert (result.exit_code, result.stderr) == (1, f"{DUPLICATE_KEY}\nfailed: 1 problem\n")


BAR = "\r\x1b[?25lbuilding  [{}]  {:>3}%"


def test_progress_bar_on_a_terminal(cards_here: Path) -> None:
    code, out, terminal = on_terminal(CLI_EAGER_BAR + ["build", ".", "-o", "../dist"], cards_here)
    assert (code, out.splitlines()[0]) == (0, "built Test Deck 1.0.0: 5 notes, 9 cards")
    # bytes of each topic file as it is read, then three writing steps of a tenth of the reading each
    sizes = [path.stat().st_size for path in sorted(cards_here.glob("*.yaml")) if path.name != "deck.yaml"]
    step = sum(sizes) // 10
    total = sum(sizes) + 3 * step
    done = [sum(sizes[: count + 1]) for count in range(len(sizes))] + [
        sum(sizes) + step,
        sum(sizes) + 2 * step,
        total,
    ]
    steps = [BAR.format("-" * 36, 0)] + [
        BAR.format("#" * int(36 * part / total) + "-" * (36 - int(36 * part / total)), int(100 * part / total))
        for part in done
    ]
    assert terminal.decode() == "".join(steps) + "\x1b[?25h\r\n"


@pytest.mark.parametrize(
    "args, environ",
    [
        (["-q"], {}),
        ([], {"CI": "true"}),
        (["--format", "json"], {"CI": "1"}),
    ],
    ids=["quiet", "ci", "ci-json"],
)
def test_no_progress_bar_when_quiet_or_in_ci(cards_here: Path, args: list[str], environ: dict[str, str]) -> None:
    code, _, terminal = on_terminal(CLI_EAGER_BAR + ["build", ".", "-o", "../dist", *args], cards_here, **environ)
    assert (code, terminal) == (0, b"")


def test_no_progress_bar_for_a_quick_build(cards_here: Path) -> None:
    code, _, terminal = on_terminal(CLI_PATIENT_BAR + ["build", ".", "-o", "../dist"], cards_here)
    assert (code, terminal) == (0, b"")


def test_no_progress_bar_off_a_terminal(cards_here: Path) -> None:
    result = subprocess.run(
        CLI_EAGER_BAR + ["build", ".", "-o", "../dist"],
        cwd=cards_here,
        capture_output=True,
        text=True,
        env={key: value for key, value in os.environ.items() if key != "CI"},
    )
    assert (result.returncode, result.stderr) == (0, "")
