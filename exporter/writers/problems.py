"""Problems → text for people, JSON for tools, or GitHub Actions annotations; colour only where asked."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from exporter.errors import Problem

_BOLD, _RED, _YELLOW, _RESET = "\033[1m", "\033[31m", "\033[33m", "\033[0m"


def use_colour(is_terminal: bool, environ: Mapping[str, str]) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set to anything (https://no-color.org)."""
    return is_terminal and not environ.get("NO_COLOR")


def problem_lines(problems: Sequence[Problem], output_format: str, *, colour: bool = False) -> list[str]:
    """One line per problem (one JSON document for 'json')."""
    if output_format == "json":
        return [
            json.dumps(
                {
                    "problems": [_problem_json(problem) for problem in problems],
                    "errors": sum(problem.severity == "error" for problem in problems),
                    "warnings": sum(problem.severity == "warning" for problem in problems),
                },
                ensure_ascii=False,
            )
        ]
    if output_format == "github":
        return [_annotation(problem) for problem in problems]
    if colour:
        return [_coloured(problem) for problem in problems]
    return [str(problem) for problem in problems]


def _problem_json(problem: Problem) -> dict[str, object]:
    location = problem.location
    return {
        "file": location.path,
        "line": location.line or None,
        "column": location.column or None,
        "severity": problem.severity,
        "message": problem.message,
    }


def _annotation(problem: Problem) -> str:
    # https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    location = problem.location
    properties = [f"file={_escape_property(location.path)}"]
    if location.line:
        properties.append(f"line={location.line}")
        properties.append(f"col={location.column or 1}")
    return f"::{problem.severity} {','.join(properties)}::{_escape_data(problem.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _coloured(problem: Problem) -> str:
    if problem.severity == "warning":
        return f"{_BOLD}{problem.location}:{_RESET} {_YELLOW}warning:{_RESET} {problem.message}"
    return f"{_BOLD}{problem.location}:{_RESET} {_RED}{problem.message}{_RESET}"
