"""Dropping a try-out release, so the first release for learners starts afresh: only a try-out (every release
below 1.0.0, see release/tryout.py) of this very deck, never a release learners may have or another deck's."""

from __future__ import annotations

import contextlib
from pathlib import Path

from exporter.errors import ExporterError, Location
from exporter.pipeline.checked_stream import opened_or_failed
from exporter.pipeline.output import locked_output
from exporter.pipeline.release_files import every_output_name
from exporter.release.ledger import LEDGER_FILE
from exporter.release.ledger_index import read_ledger
from exporter.release.tryout import handed_out


def discard_tryout(cards_dir: Path, out_dir: Path) -> tuple[str, list[Path]]:
    """Remove the try-out release of the deck in cards_dir from out_dir; its version and the files removed.

    ExporterError, with nothing removed, if out_dir holds no release, another deck's, or one learners may have.
    """
    deck = opened_or_failed(cards_dir).deck
    ledger_path = out_dir / LEDGER_FILE
    if not ledger_path.is_file():
        raise ExporterError(
            Location(str(out_dir)), f"there is no release here to discard ({ledger_path} does not exist)"
        )
    with locked_output(out_dir):
        ledger = read_ledger(out_dir)
        if ledger.deck_id != deck.id:
            raise ExporterError(
                Location(str(ledger_path)),
                f"the release here is deck '{ledger.deck_id}', not '{deck.id}' (the deck in {cards_dir}); nothing "
                "was removed. Give the output folder of this card set's own releases with -o",
            )
        version = handed_out(ledger)
        if version is not None:
            raise ExporterError(
                Location(str(ledger_path)),
                f"release {version} is in this ledger: releases from 1.0.0 on are for learners, and their "
                "progress depends on the ledger; nothing was removed. To change the deck, edit the cards, raise "
                "'version' in deck.yaml and build",
            )
        return ledger.version, _remove_release(out_dir, every_output_name(deck))


def _remove_release(out_dir: Path, names: list[str]) -> list[Path]:
    """Remove a build's files, the ledger last (a stop half-way leaves a release that can be discarded again)."""
    removed = []
    for name in sorted(names, key=lambda name: name.startswith("ledger.")):
        path = out_dir / name
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise ExporterError(Location(str(path)), f"cannot remove it: {error.strerror or error}") from None
        removed.append(path)
    with contextlib.suppress(OSError):  # other files of the trainer's stay, and so does the folder
        out_dir.rmdir()
    return removed
