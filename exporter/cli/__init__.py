"""The command line: thin commands over the library (commands.py, review.py, translations.py, tryout.py) in a
frame that alone prints and picks exit codes (console.py)."""

from exporter.cli import commands, review, translations, tryout  # noqa: F401  (define the commands on main)
from exporter.cli.console import main

__all__ = ["main"]
