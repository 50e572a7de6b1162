"""The house limits a newcomer relies on: every module of the exporter under 300 lines, every function under 50."""

from __future__ import annotations

import ast
from pathlib import Path

EXPORTER = Path(__file__).parent.parent / "exporter"


def _modules() -> list[Path]:
    return sorted(EXPORTER.rglob("*.py"))


def test_every_module_is_under_300_lines() -> None:
    long = {str(path.relative_to(EXPORTER)): len(path.read_text().splitlines()) for path in _modules()}
    assert {name: lines for name, lines in long.items() if lines > 300} == {}


def test_every_function_is_under_50_lines() -> None:
    long = [
        f"{path.relative_to(EXPORTER)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > 50
    ]
    assert long == []
