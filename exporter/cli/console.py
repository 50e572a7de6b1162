"""The command line's frame: the one place that turns errors into messages and exit codes, and prints them."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from exporter.errors import ExporterError, Problem

if TYPE_CHECKING:  # imported where used: the build brings what other commands do without
    from exporter.pipeline.build import Built

#: How problems can be printed (see writers/problems.py)
PROBLEM_FORMATS = ("text", "json", "github")
#: A build shows its progress bar only once it has taken this long (seconds).
PROGRESS_DELAY = 0.5

# One instance per kind of path, shared by the options: click looks up a translation of the kind's name each time
# it makes one, and every start-up, `flashcards --help` too, makes them all.
ANY_PATH = click.Path(path_type=Path)
FILE_PATH = click.Path(dir_okay=False, path_type=Path)
FOLDER_PATH = click.Path(file_okay=False, path_type=Path)

# readable=False: an unreadable card folder is a content problem the loader reports (exit 1), not a usage error
CARDS_ARGUMENT = click.argument("cards", default="cards", type=click.Path(path_type=Path, readable=False))


def output_option(default: str, help: str, kind: click.Path = ANY_PATH) -> Callable[[Any], Any]:
    """A command's -o/--output: the folder of a release, or the page it writes."""
    return click.option("-o", "--output", "output", default=default, show_default=True, type=kind, help=help)


class _Commands(click.Group):
    """Turns our errors into messages and exit code 1, and an interrupt into 130, in this one place."""

    def invoke(self, ctx: click.Context) -> Any:
        restore_sigterm = _sigterm_as_interrupt()
        try:
            return super().invoke(ctx)
        except ExporterError as error:
            fail(error.problems)
        except KeyboardInterrupt as interrupt:
            # a build's interrupt says what became of its output folder; other commands change nothing
            click.echo(str(interrupt) or "interrupted; nothing was changed", err=True)
            ctx.exit(130)
        finally:
            restore_sigterm()


def _sigterm_as_interrupt() -> Callable[[], None]:
    """Make SIGTERM stop a command the way Ctrl-C does (temporary files removed); return what undoes that."""
    import signal  # here, not at the top: `--help` never gets this far, and signal's import is slow

    try:
        previous_handler = signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:  # not the main thread: the embedding program owns its signals
        return lambda: None

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous_handler)

    return restore


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


Command = TypeVar("Command", bound=Callable[..., Any])


def remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    ctx.meta[f"flashcards.{param.name}"] = value  # meta is shared with the group, which reports errors
    return value


def setting(name: str, default: object) -> Any:
    return click.get_current_context().meta.get(f"flashcards.{name}", default)


def output_options(*formats: str, quiet: bool = True) -> Callable[[Command], Command]:
    """--format (and --quiet) for a command that reports problems."""

    def decorate(command: Command) -> Command:
        if quiet:
            command = click.option(
                "-q",
                "--quiet",
                is_flag=True,
                callback=remember,
                help="Print only problems: no summary, no progress bar.",
            )(command)
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(formats),
            default="text",
            show_default=True,
            callback=remember,
            help="How to print problems: text for people (on stderr), json for tools (one document on stdout), "
            "github for GitHub Actions annotations (on stdout)."
            if "github" in formats
            else "How to print: tables for people (text), or one JSON document on stdout for tools, "
            "problems too (json).",
        )(command)

    return decorate


def report(problems: Sequence[Problem]) -> None:
    """Print problems in the chosen format; with --format json, call it exactly once per command."""
    from exporter.writers.problems import problem_lines, use_colour

    output_format = setting("output_format", "text")
    if output_format != "text":
        for line in problem_lines(problems, output_format):
            click.echo(line)
        return
    colour = use_colour(sys.stderr.isatty(), os.environ)
    for line in problem_lines(problems, "text", colour=colour):
        click.echo(line, err=True, color=colour)


def summary(text: str) -> None:
    """Say what a command did, unless asked for only problems or for one JSON document."""
    if not setting("quiet", False) and setting("output_format", "text") != "json":
        click.echo(text)


def fail(problems: Sequence[Problem], noun: str = "problem") -> None:
    report(problems)
    if not setting("quiet", False) and setting("output_format", "text") != "json":
        click.echo(f"failed: {count(len(problems), noun)}", err=True)
    click.get_current_context().exit(1)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A bar on stderr for a build that takes more than a moment; none off a terminal, in CI or with --quiet."""
    stream = sys.stderr
    if setting("quiet", False) or not stream.isatty() or os.environ.get("CI"):
        yield None
        return
    started = time.monotonic()
    bars: list[Any] = []

    def show(done: int, total: int) -> None:
        if not bars:
            if time.monotonic() - started < PROGRESS_DELAY:
                return
            bars.append(click.progressbar(length=total, label=label, file=stream, show_eta=False).__enter__())
        bars[0].update(done - bars[0].pos)

    try:
        yield show
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flashcard-exporter", prog_name="flashcards")
def main() -> None:
    """Build Anki decks and CSV from reviewed flashcard definitions in YAML."""


def built_summary(built: Built, *, approved_only: bool) -> str:
    """What a build says it did: the deck and each edition, then the files written."""
    from exporter.rendering.translation import language_name

    return (
        f"built {built.deck.title} {built.deck.version}: {count(built.note_count, 'note')}, "
        f"{count(built.card_count, 'card')}"
        + (" (approved cards only)" if approved_only else "")
        + "".join(
            f"\nand its {language_name(deck.lang)} edition, {deck.title}: {count(notes, 'note')}, "
            f"{count(cards, 'card')}"
            for deck, notes, cards in built.editions
        )
        + "".join(f"\n  {path}" for path in built.paths)
    )
